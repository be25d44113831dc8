/**
 * SPDY/3 header blocks: u32 count, then u32-length name / u32-length value pairs, compressed
 * with one zlib stream per direction per connection (SPDY/3 dictionary, Z_SYNC_FLUSH per block).
 *
 * Inbound blocks go through Node's (asynchronous) inflate; the connection keeps frames in order
 * while one is being decoded. Outbound blocks are written as zlib *stored* blocks: a valid zlib
 * stream any inflater reads, produced synchronously so a SYN_REPLY can never overtake data.
 */
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

export type Headers = Record<string, string>;

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib header announcing the SPDY dictionary (FDICT), then its Adler-32. */
function zlibHeader(): Buffer {
  const cmf = 0x78;
  let flg = 0x20; // FDICT, FLEVEL 0
  flg += 31 - ((cmf * 256 + flg) % 31);
  const h = Buffer.alloc(6);
  h[0] = cmf;
  h[1] = flg;
  h.writeUInt32BE(adler32(SPDY3_DICTIONARY), 2);
  return h;
}

/**
 * Deflate stored (uncompressed) blocks, never final, ending with the empty stored block that
 * Z_SYNC_FLUSH emits: Go's flate only hands out a non-final block's bytes once it sees that
 * marker, and would otherwise read past the frame and fail every later header block.
 */
function storedBlocks(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += 0xffff) {
    const chunk = data.subarray(at, at + 0xffff);
    const h = Buffer.alloc(5);
    h[0] = 0x00;
    h.writeUInt16LE(chunk.length, 1);
    h.writeUInt16LE(~chunk.length & 0xffff, 3);
    parts.push(h, chunk);
  }
  parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
  return Buffer.concat(parts);
}

export class HeaderCodec {
  private inflater?: zlib.Inflate;
  private pending?: { chunks: Buffer[]; reject(e: Error): void };
  private wroteHeader = false;

  /** Decompresses and parses one inbound header block; calls must not overlap. */
  decode(block: Buffer): Promise<Headers> {
    if (block.length === 0) return Promise.resolve({});
    if (!this.inflater) {
      this.inflater = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
      this.inflater.on('data', (c: Buffer) => this.pending?.chunks.push(c));
      this.inflater.on('error', (e) => this.pending?.reject(new SpdyProtocolError(`bad compressed header block: ${e.message}`)));
    }
    const inf = this.inflater;
    return new Promise<Headers>((resolve, reject) => {
      const p = { chunks: [] as Buffer[], reject };
      this.pending = p;
      inf.write(block);
      inf.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (this.pending !== p) return;
        this.pending = undefined;
        try {
          resolve(parseBlock(Buffer.concat(p.chunks)));
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  encode(headers: Headers): Buffer {
    const body = storedBlocks(serializeBlock(headers));
    if (this.wroteHeader) return body;
    this.wroteHeader = true;
    return Buffer.concat([zlibHeader(), body]);
  }

  close(): void {
    this.pending = undefined;
    this.inflater?.destroy();
  }
}

export function parseBlock(raw: Buffer): Headers {
  const out: Headers = {};
  const u32 = (at: number): number => {
    if (at + 4 > raw.length) throw new SpdyProtocolError('truncated header block');
    return raw.readUInt32BE(at);
  };
  const count = u32(0);
  let at = 4;
  for (let i = 0; i < count; i++) {
    const nl = u32(at);
    at += 4;
    if (at + nl > raw.length) throw new SpdyProtocolError('truncated header name');
    const name = raw.toString('latin1', at, at + nl).toLowerCase();
    at += nl;
    const vl = u32(at);
    at += 4;
    if (at + vl > raw.length) throw new SpdyProtocolError('truncated header value');
    out[name] = raw.toString('latin1', at, at + vl);
    at += vl;
  }
  return out;
}

export function serializeBlock(headers: Headers): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(headers);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [k, v] of entries) {
    for (const s of [k.toLowerCase(), v]) {
      const b = Buffer.from(s, 'latin1');
      const l = Buffer.alloc(4);
      l.writeUInt32BE(b.length);
      parts.push(l, b);
    }
  }
  return Buffer.concat(parts);
}
