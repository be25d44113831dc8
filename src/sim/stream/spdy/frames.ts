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

/**
 * Splits a byte stream into frames; throws SpdyProtocolError on bytes that are not SPDY/3.
 * A DATA frame's payload is passed on as it arrives, in pieces (slices of the chunks pushed,
 * never copied; FIN only on the last piece): bulk transfers then cost no copy here, and a
 * piece may be handed to a socket at once. Control frames come whole.
 */
export class FrameParser {
  private rest: Buffer = EMPTY;
  /** The DATA frame whose payload is still arriving. */
  private data: { streamId: number; flags: number; left: number } | undefined;

  push(chunk: Buffer): Frame[] {
    const b = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = EMPTY;
    const out: Frame[] = [];
    let at = 0;
    while (at < b.length) {
      const d = this.data;
      if (d) {
        const n = Math.min(d.left, b.length - at);
        d.left -= n;
        out.push({ kind: 'data', streamId: d.streamId, flags: d.left ? d.flags & ~FLAG_FIN : d.flags, data: b.subarray(at, at + n) });
        at += n;
        if (!d.left) this.data = undefined;
        continue;
      }
      if (b.length - at < 8) break;
      const len = b.readUIntBE(at + 5, 3);
      if (len > MAX_FRAME) throw new SpdyProtocolError(`frame length ${len} too large`);
      const flags = b[at + 4]!;
      if (b[at]! & 0x80) {
        if (b.length - at < 8 + len) break;
        const version = b.readUInt16BE(at) & 0x7fff;
        if (version !== 3) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        out.push(decodeControl(b.readUInt16BE(at + 2), flags, b.subarray(at + 8, at + 8 + len)));
        at += 8 + len;
      } else {
        const streamId = b.readUInt32BE(at) & 0x7fffffff;
        if (streamId === 0) throw new SpdyProtocolError('DATA frame on stream 0');
        at += 8;
        if (len) this.data = { streamId, flags, left: len };
        else out.push({ kind: 'data', streamId, flags, data: EMPTY });
      }
    }
    // A partial frame head or control frame waits for the next chunk (copied: it is small, and
    // must not keep a large chunk alive).
    if (at < b.length) this.rest = Buffer.from(b.subarray(at));
    return out;
  }
}

const EMPTY = Buffer.alloc(0);

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
