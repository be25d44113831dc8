/**
 * Opens a SPDY/3.1 session for a streaming request over either transport kubectl uses: a
 * WebSocket carrying raw SPDY bytes in binary messages (subprotocol `SPDY/3.1+<proto>`), or the
 * legacy `POST` + `Upgrade: SPDY/3.1` with `X-Stream-Protocol-Version`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { SpdyConnection, type SpdyStream } from '../spdy/connection.js';
import { acceptWebSocket, isWebSocketUpgrade, offeredProtocols } from './websocket.js';
import { socketTransport, wsTransport } from './bytes.js';

export const isSpdyUpgrade = (req: IncomingMessage): boolean => (req.headers.upgrade ?? '').toLowerCase().startsWith('spdy/3.1');

/** X-Stream-Protocol-Version values offered on a SPDY upgrade. */
export function offeredStreamProtocols(req: IncomingMessage): string[] {
  const raw = req.headers['x-stream-protocol-version'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** Whether this upgrade asks for SPDY carrying `proto` (e.g. portforward.k8s.io). */
export function wantsSpdy(req: IncomingMessage, proto: string): boolean {
  if (isWebSocketUpgrade(req)) return offeredProtocols(req).includes(`SPDY/3.1+${proto}`);
  return isSpdyUpgrade(req) && (offeredStreamProtocols(req).includes(proto) || offeredStreamProtocols(req).length === 0);
}

export function openSpdy(
  req: IncomingMessage, socket: Duplex, head: Buffer, proto: string,
  onStream: (s: SpdyStream, conn: SpdyConnection) => void, log: (m: string) => void,
): void {
  const start = (conn: SpdyConnection) => conn;
  if (isWebSocketUpgrade(req)) {
    acceptWebSocket(req, socket, head, `SPDY/3.1+${proto}`, (ws) => {
      let conn: SpdyConnection | undefined;
      conn = start(new SpdyConnection(wsTransport(ws, log), { onStream: (s) => onStream(s, conn!), log }));
    });
    return;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
    `X-Stream-Protocol-Version: ${proto}\r\n\r\n`,
  );
  let conn: SpdyConnection | undefined;
  conn = new SpdyConnection(socketTransport(socket), { onStream: (s) => onStream(s, conn!), log });
  if (head.length) conn.ingest(head);
}
