/**
 * A tiny Redis (RESP2) server for the demo's redis pods, so `redis-cli -p <forwarded port> ping`
 * answers PONG through port-forward. In-memory strings only: PING, ECHO, GET, SET, DEL, EXISTS,
 * INCR, KEYS, DBSIZE, INFO, CLIENT, COMMAND, SELECT, QUIT.
 */
import { createServer, type Socket } from 'node:net';
import type { PodServer, Served } from './http-server.js';

const simple = (s: string) => `+${s}\r\n`;
const error = (s: string) => `-${s}\r\n`;
const int = (n: number) => `:${n}\r\n`;
const bulk = (s: string | undefined) => (s === undefined ? '$-1\r\n' : `$${Buffer.byteLength(s)}\r\n${s}\r\n`);
const array = (xs: string[]) => `*${xs.length}\r\n${xs.map(bulk).join('')}`;

/** Parses complete RESP arrays (or inline commands) from the buffer; returns commands and the rest. */
function parse(buf: Buffer): { cmds: string[][]; rest: Buffer } {
  const cmds: string[][] = [];
  let i = 0;
  const line = (from: number): [string, number] | undefined => {
    const end = buf.indexOf('\r\n', from);
    return end < 0 ? undefined : [buf.toString('utf8', from, end), end + 2];
  };
  for (;;) {
    if (i >= buf.length) break;
    if (buf[i] !== 0x2a) {
      const l = line(i);
      if (!l) break;
      if (l[0].trim()) cmds.push(l[0].trim().split(/\s+/));
      i = l[1];
      continue;
    }
    const head = line(i + 1);
    if (!head) break;
    const n = Number(head[0]);
    let j = head[1];
    const args: string[] = [];
    let complete = true;
    for (let k = 0; k < n; k++) {
      const len = line(j + 1);
      if (!len || buf[j] !== 0x24) { complete = false; break; }
      const size = Number(len[0]);
      if (len[1] + size + 2 > buf.length) { complete = false; break; }
      args.push(buf.toString('utf8', len[1], len[1] + size));
      j = len[1] + size + 2;
    }
    if (!complete) break;
    cmds.push(args);
    i = j;
  }
  return { cmds, rest: buf.subarray(i) };
}

export function startRedisServer(onServed: (s: Served) => void): Promise<PodServer> {
  const data = new Map<string, string>([['shop:visits', '48213'], ['shop:cart:1042', '{"items":[1,2]}']]);
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let pending: Buffer = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      const { cmds, rest } = parse(Buffer.concat([pending, d]));
      pending = rest;
      for (const args of cmds) {
        const t0 = performance.now();
        const name = (args[0] ?? '').toUpperCase();
        let out: string;
        switch (name) {
          case 'PING': out = args[1] !== undefined ? bulk(args[1]) : simple('PONG'); break;
          case 'ECHO': out = bulk(args[1] ?? ''); break;
          case 'GET': out = bulk(data.get(args[1] ?? '')); break;
          case 'SET': data.set(args[1] ?? '', args[2] ?? ''); out = simple('OK'); break;
          case 'DEL': out = int(args.slice(1).filter((k) => data.delete(k)).length); break;
          case 'EXISTS': out = int(args.slice(1).filter((k) => data.has(k)).length); break;
          case 'INCR': {
            const v = Number(data.get(args[1] ?? '') ?? 0) + 1;
            data.set(args[1] ?? '', String(v));
            out = int(v);
            break;
          }
          case 'KEYS': out = array([...data.keys()]); break;
          case 'DBSIZE': out = int(data.size); break;
          case 'INFO': out = bulk(`# Server\r\nredis_version:7.4.1\r\nredis_mode:standalone\r\nos:Linux 6.1.0-27-cloud-amd64 x86_64\r\n# Keyspace\r\ndb0:keys=${data.size},expires=0,avg_ttl=0\r\n`); break;
          case 'CLIENT': case 'SELECT': out = simple('OK'); break;
          case 'COMMAND': out = '*0\r\n'; break;
          case 'QUIT': out = simple('OK'); break;
          default: out = error(`ERR unknown command '${args[0] ?? ''}', with args beginning with: ${args.slice(1, 3).map((a) => `'${a}'`).join(' ')}`);
        }
        sock.write(out);
        onServed({ method: name, path: args[1] ?? '', status: out.startsWith('-') ? 500 : 200, bytes: Buffer.byteLength(out), ua: 'redis-cli', ms: performance.now() - t0 });
        if (name === 'QUIT') sock.end();
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : 0,
        close: () => { server.close(); for (const s of sockets) s.destroy(); },
      });
    });
  });
}
