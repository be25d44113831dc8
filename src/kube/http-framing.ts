/**
 * HTTP/1.x message framing for the port-forward's reader (http-meter.ts): one direction's
 * messages — a head (bounded, headers kept bounded with secret values redacted), then a body by
 * its framing (none, Content-Length, chunked with trailers, until close). Body bytes are
 * counted and skipped, never copied or decoded — unless the user asked to see bodies (onBody).
 */

const MAX_HEAD = 64 * 1024;
const MAX_HEADERS = 40;
const MAX_VALUE = 256;
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token']);
const CRLF2 = Buffer.from('\r\n\r\n');

export function bounded(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export interface Head {
  line: string;
  headers: Array<[string, string]>;
  /** Lower-cased names → last value, for the framing rules. */
  get(name: string): string | undefined;
}

export function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const headers: Array<[string, string]> = [];
  const map = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    const c = l.indexOf(':');
    if (c <= 0) continue;
    const name = l.slice(0, c).trim();
    const value = l.slice(c + 1).trim();
    const lower = name.toLowerCase();
    map.set(lower, map.has(lower) && (lower === 'transfer-encoding') ? `${map.get(lower)}, ${value}` : value);
    if (headers.length < MAX_HEADERS) headers.push([bounded(name, 64), SECRET_HEADERS.has(lower) ? '[redacted]' : bounded(value, MAX_VALUE)]);
  }
  return { line: lines[0]!, headers, get: (n) => map.get(n) };
}

export type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'eof' };

export function framing(h: Head): Framing | 'bad' {
  const te = h.get('transfer-encoding');
  if (te && /(^|,)\s*chunked\s*$/i.test(te)) return { kind: 'chunked' };
  const cl = h.get('content-length');
  if (cl !== undefined) {
    if (!/^\d{1,15}$/.test(cl)) return 'bad';
    const n = Number(cl);
    return n ? { kind: 'length', left: n } : { kind: 'none' };
  }
  return te ? { kind: 'eof' } : { kind: 'none' };
}

/**
 * One direction's framing: head, then a body per its framing. `consume` eats what belongs to
 * the current message and says how many bytes it took; the caller attributes them.
 */
export class MessageReader {
  state: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' = 'head';
  private head: Buffer[] = [];
  private headLen = 0;
  private line = '';
  private body: Framing = { kind: 'none' };
  private chunkLeft = 0;
  /** Set when a message's head was read; the caller then decides its framing via startBody. */
  onHead: (h: Head) => void = () => {};
  /** A message ended (its last byte consumed). */
  onEnd: () => void = () => {};
  /** Parsing is impossible from here on (reason). */
  onGiveUp: (why: string) => void = () => {};
  /** Set only while a body is captured on demand: its bytes (chunk framing removed), as they pass. */
  onBody: ((b: Buffer) => void) | undefined;

  startBody(f: Framing): void {
    this.body = f;
    if (f.kind === 'none') { this.state = 'head'; this.onEnd(); return; }
    this.state = f.kind === 'chunked' ? 'chunk-size' : 'body';
  }

  /** Consumes bytes of the current message from `b` at `off`; returns how many. */
  consume(b: Buffer, off: number): number {
    switch (this.state) {
      case 'head': {
        // Search where the end of head could be, including a "\r\n\r\n" split across reads.
        const prior = Math.min(3, this.headLen);
        const joined = prior ? Buffer.concat([this.tail(prior), b.subarray(off, off + MAX_HEAD)]) : b.subarray(off, off + MAX_HEAD);
        const at = joined.indexOf(CRLF2);
        if (at < 0) {
          const take = b.length - off;
          this.head.push(b.subarray(off));
          this.headLen += take;
          if (this.headLen > MAX_HEAD) this.onGiveUp('a message head larger than 64 KiB');
          return take;
        }
        const take = at + 4 - prior;
        this.head.push(b.subarray(off, off + take));
        const text = Buffer.concat(this.head).toString('latin1');
        this.head = [];
        this.headLen = 0;
        this.state = 'body'; // onHead → startBody sets the real state
        this.onHead(parseHead(text.slice(0, -4)));
        return take;
      }
      case 'body': {
        if (this.body.kind === 'eof') { this.onBody?.(b.subarray(off)); return b.length - off; }
        const f = this.body as { kind: 'length'; left: number };
        const take = Math.min(f.left, b.length - off);
        this.onBody?.(b.subarray(off, off + take));
        f.left -= take;
        if (!f.left) { this.state = 'head'; this.onEnd(); }
        return take;
      }
      case 'chunk-size': case 'trailer': {
        const eol = b.indexOf(0x0a, off);
        const end = eol < 0 ? b.length : eol + 1;
        this.line += b.toString('latin1', off, end);
        if (this.line.length > 4096) { this.onGiveUp('a chunk-size line longer than 4 KiB'); return end - off; }
        if (eol < 0) return end - off;
        const line = this.line.replace(/\r?\n$/, '');
        this.line = '';
        if (this.state === 'trailer') {
          if (!line) { this.state = 'head'; this.onEnd(); }
          return end - off;
        }
        const size = /^([0-9a-fA-F]{1,12})(\s*;.*)?\s*$/.exec(line);
        if (!size) { this.onGiveUp(`a malformed chunk size '${bounded(line, 20)}'`); return end - off; }
        this.chunkLeft = parseInt(size[1]!, 16);
        this.state = this.chunkLeft ? 'chunk-data' : 'trailer';
        return end - off;
      }
      case 'chunk-data': {
        const take = Math.min(this.chunkLeft, b.length - off);
        this.onBody?.(b.subarray(off, off + take));
        this.chunkLeft -= take;
        if (!this.chunkLeft) { this.state = 'chunk-crlf'; this.chunkLeft = 2; }
        return take;
      }
      case 'chunk-crlf': {
        const take = Math.min(this.chunkLeft, b.length - off);
        this.chunkLeft -= take;
        if (!this.chunkLeft) this.state = 'chunk-size';
        return take;
      }
    }
  }

  /** Reading until the connection closes (a response without length). */
  get untilClose(): boolean {
    return this.state === 'body' && this.body.kind === 'eof';
  }

  /** Between messages, nothing of the next one read yet. */
  get idle(): boolean {
    return this.state === 'head' && this.headLen === 0;
  }

  private tail(n: number): Buffer {
    const all = Buffer.concat(this.head);
    this.head = [all];
    return all.subarray(all.length - n);
  }
}

