/**
 * A test-only gate in front of a real API server (the embedded cluster): forwards every request
 * and stream as is, except the paths it is told to forbid (answered with a real RBAC-style 403
 * Status), and it can be shut to look like a server that went away (connections refused, open
 * watches cut) and opened again on the same port. Upgrades (WebSocket, SPDY) pass through; it
 * can refuse SPDY upgrades as a proxy that strips `Upgrade: SPDY/3.1` makes the API server do,
 * and cut the connections open now while it keeps listening.
 */
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SimTls } from '../../../src/sim/tls.js';

export interface GateProxy {
  url: string;
  port: number;
  /** Paths matching are answered 403 Forbidden. */
  forbid(re: RegExp | undefined): void;
  /** While held, new watch requests wait (not forwarded) until released. */
  holdWatches(hold: boolean): void;
  /** Forward to another server from now on (a restarted cluster). */
  retarget(url: string): void;
  /** Requests seen, as "METHOD path?query". */
  seen: string[];
  /** 'upgrade': answer `Upgrade: SPDY/3.1` with 400 (WebSockets still pass); 'all': also WebSockets asking only for SPDY inside. */
  refuseSpdy(refuse: false | 'upgrade' | 'all'): void;
  /** Upgrades passed through, as "METHOD path upgrade [subprotocols]". */
  upgrades: string[];
  /** Cuts every open connection (upgraded ones included) and keeps listening. */
  cut(): void;
  /** Stops listening and cuts every open connection. */
  shut(): Promise<void>;
  /** Listens again on the same port. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export async function startGateProxy(target: string, tls: SimTls): Promise<GateProxy> {
  let upstream = new URL(target);
  let hold = false;
  let held: Array<() => void> = [];
  const seen: string[] = [];
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  let forbidden: RegExp | undefined;
  const sockets = new Set<Socket>();
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push(`${req.method} ${req.url}`);
    if (forbidden?.test(path)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      const resource = path.split('/').pop();
      res.end(JSON.stringify({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
        message: `${resource} is forbidden: User "system:serviceaccount:default:viewer" cannot list resource "${resource}" in API group "" at the cluster scope`,
      }));
      return;
    }
    const forward = () => {
      const up = https.request({
        host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent,
      }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
        res.on('close', () => ur.destroy());
      });
      up.on('error', () => res.destroy());
      if (req.readableEnded) up.end();
      else req.pipe(up);
    };
    if (hold && /[?&]watch=(true|1)/.test(req.url ?? '')) held.push(forward);
    else forward();
  });
  let noSpdy: false | 'upgrade' | 'all' = false;
  const upgrades: string[] = [];
  const upstreamSockets = new Set<Socket>();
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const kind = String(req.headers.upgrade ?? '');
    const subprotocols = String(req.headers['sec-websocket-protocol'] ?? '');
    if ((noSpdy && /^spdy\//i.test(kind)) || (noSpdy === 'all' && /^websocket$/i.test(kind) && /^\s*SPDY\/3\.1\+[^,]*$/i.test(subprotocols))) {
      const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Upgrade request required', reason: 'BadRequest', code: 400 });
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    upgrades.push(`${req.method} ${req.url} ${kind}${subprotocols ? ` [${subprotocols}]` : ''}`);
    const up = https.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, rejectUnauthorized: false });
    up.on('upgrade', (res: IncomingMessage, usock: Socket, uhead: Buffer) => {
      upstreamSockets.add(usock);
      usock.on('close', () => { upstreamSockets.delete(usock); socket.destroy(); });
      usock.on('error', () => usock.destroy());
      socket.on('close', () => usock.destroy());
      const lines = [`HTTP/1.1 101 ${res.statusMessage ?? 'Switching Protocols'}`];
      for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (uhead.length) socket.write(uhead);
      if (head.length) usock.write(head);
      usock.pipe(socket).pipe(usock);
    });
    up.on('response', (res) => {
      socket.write(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\nConnection: close\r\n\r\n`);
      res.pipe(socket);
    });
    up.on('error', () => socket.destroy());
    up.end();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const shut = async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    seen,
    forbid: (re) => {
      forbidden = re;
    },
    holdWatches: (h) => {
      hold = h;
      if (!h) {
        const go = held;
        held = [];
        for (const f of go) f();
      }
    },
    refuseSpdy: (r) => { noSpdy = r; },
    upgrades,
    cut: () => {
      for (const s of [...sockets, ...upstreamSockets]) s.destroy();
    },
    retarget: (url) => {
      upstream = new URL(url);
    },
    shut,
    open: () => listen(port),
    close: async () => {
      if (server.listening) await shut();
      agent.destroy();
    },
  };
}

