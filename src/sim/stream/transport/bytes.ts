/**
 * A bidirectional byte pipe with backpressure, so SPDY can run the same way over a raw upgraded
 * socket (POST + Upgrade: SPDY/3.1) and inside binary WebSocket messages (kubectl's tunnel).
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

export interface ByteTransport {
  /** Queues bytes; false when the caller should wait for onDrain before writing more. */
  write(buf: Buffer): boolean;
  onData(cb: (buf: Buffer) => void): void;
  onDrain(cb: () => void): void;
  onClose(cb: () => void): void;
  close(): void;
}

const HIGH_WATER = 1 << 20;

export function socketTransport(socket: Duplex): ByteTransport {
  const closers: Array<() => void> = [];
  let closed = false;
  const fireClose = () => {
    if (closed) return;
    closed = true;
    for (const c of closers) c();
  };
  socket.on('close', fireClose);
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
  return {
    // Back-pressure at the same 1 MiB as the WebSocket transport below, not at the socket's own
    // 16 KiB: pausing the pod's connection every few frames halved a raw SPDY upgrade's throughput.
    write: (buf) => {
      if (closed) return false;
      socket.write(buf);
      return socket.writableLength < HIGH_WATER;
    },
    onData: (cb) => socket.on('data', (d: Buffer) => cb(d)),
    onDrain: (cb) => socket.on('drain', cb),
    onClose: (cb) => closers.push(cb),
    close: () => {
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    },
  };
}

export function wsTransport(ws: WebSocket, log: (m: string) => void = () => {}): ByteTransport {
  const drains: Array<() => void> = [];
  let pending = 0;
  let blocked = false;
  return {
    write(buf) {
      if (ws.readyState !== ws.OPEN) return false;
      pending += buf.length;
      ws.send(buf, { binary: true }, () => {
        pending -= buf.length;
        if (blocked && pending < HIGH_WATER / 2) {
          blocked = false;
          for (const d of drains) d();
        }
      });
      if (pending >= HIGH_WATER) blocked = true;
      return !blocked;
    },
    onData: (cb) => ws.on('message', (d: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      // kubectl's tunnel only ever sends binary messages; text is not part of the protocol.
      if (!isBinary) {
        log('closing: text message inside a SPDY tunnel');
        ws.close(1003, 'binary messages only');
        return;
      }
      cb(Array.isArray(d) ? Buffer.concat(d) : Buffer.isBuffer(d) ? d : Buffer.from(d));
    }),
    onDrain: (cb) => drains.push(cb),
    onClose: (cb) => ws.on('close', cb),
    close: () => ws.close(1000),
  };
}
