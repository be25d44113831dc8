/**
 * SPDY/3 framing: an incremental parser for the bytes a client sends and encoders for the
 * frames a server writes. Header blocks stay compressed here; see headers.ts.
 */

export const CONTROL = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

export const FLAG_FIN = 0x01;
export const RST_PROTOCOL_ERROR = 1;
export const RST_INVALID_STREAM = 2;
export const RST_CANCEL = 5;

/** Frames larger than this are refused (SPDY allows 16 MiB; real clients stay far below). */
const MAX_FRAME = 16 * 1024 * 1024 - 1;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'syn_stream'; streamId: number; associatedId: number; priority: number; flags: number; block: Buffer }
  | { kind: 'syn_reply'; streamId: number; flags: number; block: Buffer }
  | { kind: 'headers'; streamId: number; flags: number; block: Buffer }
  | { kind: 'rst_stream'; streamId: number; status: number }
  | { kind: 'settings' }
  | { kind: 'ping'; id: number }
  | { kind: 'goaway'; lastStreamId: number; status: number }
  | { kind: 'window_update'; streamId: number; delta: number }
  | { kind: 'unknown'; type: number };

export class SpdyProtocolError extends Error {}

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`${what} frame too short (${payload.length} bytes)`);
}

function decodeControl(type: number, flags: number, p: Buffer): Frame {
  switch (type) {
    case CONTROL.SYN_STREAM:
      need(p, 10, 'SYN_STREAM');
      return {
        kind: 'syn_stream', streamId: p.readUInt32BE(0) & 0x7fffffff, associatedId: p.readUInt32BE(4) & 0x7fffffff,
        priority: p[8]! >> 5, flags, block: p.subarray(10),
      };
    case CONTROL.SYN_REPLY:
      need(p, 4, 'SYN_REPLY');
      return { kind: 'syn_reply', streamId: p.readUInt32BE(0) & 0x7fffffff, flags, block: p.subarray(4) };
    case CONTROL.HEADERS:
      need(p, 4, 'HEADERS');
      return { kind: 'headers', streamId: p.readUInt32BE(0) & 0x7fffffff, flags, block: p.subarray(4) };
    case CONTROL.RST_STREAM:
      need(p, 8, 'RST_STREAM');
      return { kind: 'rst_stream', streamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case CONTROL.SETTINGS:
      need(p, 4, 'SETTINGS');
      if (p.length < 4 + p.readUInt32BE(0) * 8) throw new SpdyProtocolError('SETTINGS frame shorter than its entry count');
      return { kind: 'settings' };
    case CONTROL.PING:
      need(p, 4, 'PING');
      return { kind: 'ping', id: p.readUInt32BE(0) };
    case CONTROL.GOAWAY:
      need(p, 4, 'GOAWAY');
      return { kind: 'goaway', lastStreamId: p.readUInt32BE(0) & 0x7fffffff, status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case CONTROL.WINDOW_UPDATE:
      need(p, 8, 'WINDOW_UPDATE');
      return { kind: 'window_update', streamId: p.readUInt32BE(0) & 0x7fffffff, delta: p.readUInt32BE(4) & 0x7fffffff };
    default:
      // SPDY/3 §2.2.1: unknown control frames must be ignored.
      return { kind: 'unknown', type };
  }
}

/** Splits a byte stream into frames; throws SpdyProtocolError on bytes that are not SPDY/3. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 8) {
      const b = this.buf;
      const len = b.readUIntBE(5, 3);
      if (len > MAX_FRAME) throw new SpdyProtocolError(`frame length ${len} too large`);
      if (b.length < 8 + len) break;
      const flags = b[4]!;
      const payload = b.subarray(8, 8 + len);
      if (b[0]! & 0x80) {
        const version = b.readUInt16BE(0) & 0x7fff;
        if (version !== 3) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        out.push(decodeControl(b.readUInt16BE(2), flags, payload));
      } else {
        const streamId = b.readUInt32BE(0) & 0x7fffffff;
        if (streamId === 0) throw new SpdyProtocolError('DATA frame on stream 0');
        // Copy: the payload outlives this parse buffer (it is handed to sockets).
        out.push({ kind: 'data', streamId, flags, data: Buffer.from(payload) });
      }
      this.buf = b.subarray(8 + len);
    }
    if (this.buf.length === 0) this.buf = Buffer.alloc(0);
    return out;
  }
}

function controlHeader(type: number, flags: number, len: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8003, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24 | len) >>> 0, 4);
  return h;
}

export function encodeData(streamId: number, data: Buffer, fin: boolean): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24 | data.length) >>> 0, 4);
  return data.length ? Buffer.concat([h, data]) : h;
}

export function encodeSynReply(streamId: number, block: Buffer, fin = false): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(streamId & 0x7fffffff);
  return Buffer.concat([controlHeader(CONTROL.SYN_REPLY, fin ? FLAG_FIN : 0, 4 + block.length), body, block]);
}

export function encodeSynStream(streamId: number, block: Buffer, fin = false): Buffer {
  const body = Buffer.alloc(10);
  body.writeUInt32BE(streamId & 0x7fffffff, 0);
  return Buffer.concat([controlHeader(CONTROL.SYN_STREAM, fin ? FLAG_FIN : 0, 10 + block.length), body, block]);
}

export function encodeRst(streamId: number, status: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(streamId & 0x7fffffff, 0);
  body.writeUInt32BE(status, 4);
  return Buffer.concat([controlHeader(CONTROL.RST_STREAM, 0, 8), body]);
}

export function encodePing(id: number): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(id >>> 0);
  return Buffer.concat([controlHeader(CONTROL.PING, 0, 4), body]);
}

export function encodeGoaway(lastStreamId: number, status: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(lastStreamId & 0x7fffffff, 0);
  body.writeUInt32BE(status, 4);
  return Buffer.concat([controlHeader(CONTROL.GOAWAY, 0, 8), body]);
}
