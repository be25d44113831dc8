/**
 * Accepts WebSocket upgrades for the streaming endpoints with the subprotocol the server chose.
 * The `ws` package refuses subprotocols that are not HTTP tokens — kubectl's
 * `SPDY/3.1+portforward.k8s.io` contains '/' — so the offer is taken off the request before
 * the handshake and the answer header is added back in the 'headers' hook.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

const CHOSEN = Symbol('kai-ws-protocol');
type Req = IncomingMessage & { [CHOSEN]?: string };

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024, clientTracking: false });
wss.on('headers', (headers: string[], req: Req) => {
  const p = req[CHOSEN];
  if (p && !headers.some((h) => h.toLowerCase().startsWith('sec-websocket-protocol:'))) {
    headers.push(`Sec-WebSocket-Protocol: ${p}`);
  }
});

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols the client offered, in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const raw = req.headers['sec-websocket-protocol'];
  const s = Array.isArray(raw) ? raw.join(',') : raw ?? '';
  return s.split(',').map((p) => p.trim()).filter(Boolean);
}

/** Completes the handshake answering `protocol`; `cb` gets the open socket. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string, cb: (ws: WebSocket) => void): void {
  const r = req as Req;
  r[CHOSEN] = protocol;
  delete r.headers['sec-websocket-protocol'];
  wss.handleUpgrade(r, socket, head, (ws) => {
    ws.on('error', () => ws.terminate());
    cb(ws);
  });
}
