/**
 * The client side of WebSocket framing (RFC 6455), just what kubectl's SPDY tunnel needs: the
 * `ws` package refuses the subprotocol `SPDY/3.1+portforward.k8s.io` (a `/` is not a token
 * character), so the tunnel frames by hand. Outbound: one masked binary frame per write.
 * Inbound: binary (and continuation) payloads are passed on in pieces as they arrive, without
 * copying — SPDY is a byte stream, message boundaries carry nothing; pings are answered; a close
 * or a text frame ends the tunnel.
 */
import { randomFillSync } from 'node:crypto';

const OP = { CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

/** A masked client frame (FIN set). */
export function clientFrame(op: number, payload: Buffer): Buffer {
  const len = payload.length;
  const hl = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(hl + 4 + len);
  out[0] = 0x80 | op;
  if (len < 126) out[1] = 0x80 | len;
  else if (len < 65536) { out[1] = 0x80 | 126; out.writeUInt16BE(len, 2); }
  else { out[1] = 0x80 | 127; out.writeBigUInt64BE(BigInt(len), 2); }
  randomFillSync(out, hl, 4);
  const m0 = out[hl]!, m1 = out[hl + 1]!, m2 = out[hl + 2]!, m3 = out[hl + 3]!;
  const at = hl + 4;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    out[at + i] = payload[i]! ^ m0;
    out[at + i + 1] = payload[i + 1]! ^ m1;
    out[at + i + 2] = payload[i + 2]! ^ m2;
    out[at + i + 3] = payload[i + 3]! ^ m3;
  }
  for (; i < len; i++) out[at + i] = payload[i]! ^ out[hl + (i & 3)]!;
  return out;
}

export const binaryFrame = (b: Buffer): Buffer => clientFrame(OP.BINARY, b);

export function closeFrame(code = 1000): Buffer {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(code);
  return clientFrame(OP.CLOSE, p);
}

export interface ServerFrameEvents {
  data(b: Buffer): void;
  /** A ping's answer to send. */
  reply(frame: Buffer): void;
  /** The server closed, or broke the protocol. */
  end(why: string): void;
}

/** Reads what a server sends; `push` every chunk. */
export class ServerFrameReader {
  private rest: Buffer = Buffer.alloc(0);
  private cur: { op: number; left: number; ctl: Buffer[] } | undefined;
  private done = false;

  constructor(private readonly ev: ServerFrameEvents) {}

  push(chunk: Buffer): void {
    const b = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = Buffer.alloc(0);
    let at = 0;
    while (at < b.length && !this.done) {
      const cur = this.cur;
      if (cur) {
        const n = Math.min(cur.left, b.length - at);
        const piece = b.subarray(at, at + n);
        at += n;
        cur.left -= n;
        if (cur.op < 0x8) this.ev.data(piece);
        else cur.ctl.push(piece);
        if (!cur.left) this.finish(cur);
        continue;
      }
      if (b.length - at < 2) break;
      const op = b[at]! & 0x0f;
      const masked = (b[at + 1]! & 0x80) !== 0;
      let len = b[at + 1]! & 0x7f;
      let hl = 2;
      if (len === 126) {
        if (b.length - at < 4) break;
        len = b.readUInt16BE(at + 2);
        hl = 4;
      } else if (len === 127) {
        if (b.length - at < 10) break;
        len = Number(b.readBigUInt64BE(at + 2));
        hl = 10;
      }
      at += hl;
      if (masked) return this.fail('the API server sent a masked frame');
      if (op === OP.TEXT) return this.fail('the API server sent a text message inside the SPDY tunnel');
      const frame = { op, left: len, ctl: [] as Buffer[] };
      if (len) this.cur = frame;
      else this.finish(frame);
    }
    if (at < b.length && !this.done) this.rest = Buffer.from(b.subarray(at));
  }

  private finish(f: { op: number; ctl: Buffer[] }): void {
    this.cur = undefined;
    if (f.op === OP.PING) this.ev.reply(clientFrame(OP.PONG, Buffer.concat(f.ctl)));
    else if (f.op === OP.CLOSE) {
      const p = Buffer.concat(f.ctl);
      this.fail(`the API server closed the tunnel${p.length >= 2 ? ` (${p.readUInt16BE(0)}${p.length > 2 ? ` ${p.subarray(2).toString('utf8')}` : ''})` : ''}`);
    }
  }

  private fail(why: string): void {
    this.done = true;
    this.ev.end(why);
  }
}
