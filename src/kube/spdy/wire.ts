/**
 * What a SPDY session (session.ts) runs over, and how it is opened — the two ways kubectl has:
 * - `POST …/portforward` upgraded to `SPDY/3.1` (X-Stream-Protocol-Version: portforward.k8s.io):
 *   SPDY frames straight on the TLS connection;
 * - a WebSocket with subprotocol `SPDY/3.1+portforward.k8s.io` (kubectl ≥ 1.30's tunnel, for
 *   proxies that pass WebSockets but not other upgrades): SPDY bytes inside binary messages.
 * Either way, what one turn of the event loop writes leaves in one write (one TLS record run /
 * one WebSocket message): with many streams busy, a write each would cost more than the data.
 */
import https from 'node:https';
import type { Socket } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { binaryFrame, closeFrame, ServerFrameReader } from './ws-frames.js';

/** The server answered the upgrade with something else than what was asked. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export interface WireEvents {
  data(b: Buffer): void;
  /** Queued bytes went down after `queued` was high. */
  drain(): void;
  close(why: string): void;
}

export interface Wire {
  write(b: Buffer): void;
  /** Bytes accepted and not yet handed to the kernel. */
  readonly queued: number;
  pause(): void;
  resume(): void;
  /** Ends the connection after `last`. */
  end(last?: Buffer): void;
  destroy(): void;
  /** Starts delivering events (bytes read with the upgrade first). */
  attach(ev: WireEvents): void;
}

export interface WireTarget {
  /** https://host:port of the API server. */
  server: URL;
  /** e.g. /api/v1/namespaces/ns/pods/name/portforward */
  path: string;
  /** Credentials and TLS (client-node's applyToHTTPSOptions: headers, agent). */
  request: https.RequestOptions;
  timeoutMs: number;
}

const TUNNEL = 'SPDY/3.1+portforward.k8s.io';

/** POST + `Upgrade: SPDY/3.1`; rejects with UpgradeRefused when the server will not. */
export function upgradeToSpdy(t: WireTarget): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      ...t.request, protocol: 'https:', hostname: t.server.hostname.replace(/^\[|\]$/g, ''), port: Number(t.server.port || 443),
      method: 'POST', path: t.path,
      headers: {
        ...(t.request.headers ?? {}), Connection: 'Upgrade', Upgrade: 'SPDY/3.1',
        'X-Stream-Protocol-Version': 'portforward.k8s.io', 'Content-Length': '0',
      },
    });
    req.setTimeout(t.timeoutMs, () => req.destroy(new Error(`no answer from the API server within ${t.timeoutMs / 1000} s`)));
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      req.setTimeout(0);
      if (!/^spdy\/3\.1$/i.test(String(res.headers.upgrade ?? ''))) {
        socket.destroy();
        reject(new UpgradeRefused(101, `the API server upgraded to ${res.headers.upgrade ?? 'nothing'}, not SPDY/3.1`));
        return;
      }
      resolve(socketWire(socket, head));
    });
    req.on('response', (res) => refusal(res, 'SPDY/3.1').then(reject, reject));
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket carrying SPDY (`SPDY/3.1+portforward.k8s.io`); rejects with UpgradeRefused when the server will not. */
export function tunnelSpdy(t: WireTarget): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const req = https.request({
      ...t.request, protocol: 'https:', hostname: t.server.hostname.replace(/^\[|\]$/g, ''), port: Number(t.server.port || 443),
      method: 'GET', path: t.path,
      headers: {
        ...(t.request.headers ?? {}), Connection: 'Upgrade', Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Protocol': TUNNEL,
      },
    });
    req.setTimeout(t.timeoutMs, () => req.destroy(new Error(`no answer from the API server within ${t.timeoutMs / 1000} s`)));
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      req.setTimeout(0);
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) {
        socket.destroy();
        reject(new Error('the API server answered the WebSocket handshake wrongly (Sec-WebSocket-Accept)'));
        return;
      }
      // A server that does not tunnel SPDY accepts the WebSocket without the subprotocol.
      if (String(res.headers['sec-websocket-protocol'] ?? '') !== TUNNEL) {
        socket.destroy();
        reject(new UpgradeRefused(101, `the API server did not accept the subprotocol ${TUNNEL}`));
        return;
      }
      resolve(tunnelWire(socketWire(socket, Buffer.alloc(0)), head));
    });
    req.on('response', (res) => refusal(res, 'a SPDY WebSocket tunnel').then(reject, reject));
    req.on('error', reject);
    req.end();
  });
}

/** The message of a refused upgrade: a kubernetes Status's, else the status line and the body's start. */
async function refusal(res: import('node:http').IncomingMessage, what: string): Promise<UpgradeRefused> {
  let body = '';
  res.setEncoding('utf8');
  await new Promise<void>((done) => {
    res.on('data', (d: string) => { if (body.length < 4096) body += d; });
    res.on('end', done);
    res.on('error', () => done());
  });
  const code = res.statusCode ?? 0;
  try {
    const s = JSON.parse(body) as { message?: string };
    if (s.message) return new UpgradeRefused(code, s.message);
  } catch { /* not JSON */ }
  return new UpgradeRefused(code, `the API server answered ${code}${body.trim() ? `: ${body.trim().slice(0, 200)}` : ''} instead of upgrading to ${what}`);
}

function socketWire(socket: Socket, head: Buffer): Wire {
  socket.setNoDelay(true);
  let corked = false;
  const uncork = () => { corked = false; socket.uncork(); };
  return {
    write(b) {
      if (!corked) { corked = true; socket.cork(); setImmediate(uncork); }
      socket.write(b);
    },
    get queued() { return socket.writableLength; },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    end(last) {
      if (!socket.destroyed) { if (last) socket.end(last); else socket.end(); }
      setTimeout(() => socket.destroy(), 1000).unref();
    },
    destroy: () => socket.destroy(),
    attach(ev) {
      socket.on('data', ev.data);
      socket.on('drain', ev.drain);
      socket.on('error', (e) => ev.close(`the connection to the API server failed: ${e.message}`));
      socket.on('close', () => ev.close('the connection to the API server closed'));
      socket.on('end', () => socket.end());
      if (head.length) ev.data(head);
    },
  };
}

/** SPDY bytes in WebSocket binary frames over `inner` (the upgraded socket). */
function tunnelWire(inner: Wire, head: Buffer): Wire {
  let closed = false;
  return {
    write: (b) => { if (!closed) inner.write(binaryFrame(b)); },
    get queued() { return inner.queued; },
    pause: () => inner.pause(),
    resume: () => inner.resume(),
    end(last) {
      if (closed) return;
      closed = true;
      inner.end(last ? Buffer.concat([binaryFrame(last), closeFrame()]) : closeFrame());
    },
    destroy: () => inner.destroy(),
    attach(ev) {
      const reader = new ServerFrameReader({
        data: ev.data,
        reply: (f) => inner.write(f),
        end: (why) => { ev.close(why); inner.destroy(); },
      });
      inner.attach({ data: (b) => reader.push(b), drain: ev.drain, close: ev.close });
      if (head.length) reader.push(head);
    },
  };
}
