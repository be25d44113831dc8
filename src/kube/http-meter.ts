/**
 * What an HTTP/1.x conversation on one forwarded connection looks like, read from the bytes the
 * metering proxy relays: the first bytes say which protocol it is (HTTP/1.x, or why not: TLS,
 * HTTP/2, a server that speaks first, something else); then requests and responses are parsed
 * incrementally on both directions — keep-alive, pipelining, Content-Length, chunked and
 * read-until-close bodies — into one record per request. Only heads are decoded; body bytes are
 * counted and skipped (the proxy's throughput must not depend on body size). Nothing here
 * changes a byte: parsing gives up quietly (and says why) when the stream is not what it expects.
 */

export type Protocol = 'http1' | 'tls' | 'http2' | 'other';

export interface HttpRecord {
  id: number;
  /** The connection's number within its forward (1-based). */
  connection: number;
  method: string;
  /** The request target, bounded; values of secret-looking query parameters redacted. */
  path: string;
  status?: number;
  reason?: string;
  /** When the request's first byte arrived (epoch ms). */
  startedAt: number;
  /** Request bytes (head and body), client → pod. */
  bytesOut: number;
  /** Response bytes (head and body), pod → client. */
  bytesIn: number;
  /** From the request's first byte to the answer's first byte / last byte (ms). */
  ttfbMs?: number;
  totalMs?: number;
  requestHeaders: Array<[string, string]>;
  responseHeaders: Array<[string, string]>;
  /** ok: answered in full; reset: the connection broke first; no-answer: it closed first. */
  outcome: 'ok' | 'reset' | 'no-answer';
  /** Waited longer than the forward's request timeout for its answer. */
  timedOut?: boolean;
}

const MAX_HEAD = 64 * 1024;
const MAX_HEADERS = 40;
const MAX_VALUE = 256;
const MAX_PATH = 512;
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token']);
const SECRET_PARAM = /token|key|secret|passw|signature|sig$|auth|session|code/i;
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');
const CRLF2 = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^([A-Z][A-Z_-]{0,19}) (\S{1,8192}) HTTP\/1\.([01])$/;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/;

/**
 * The protocol of a connection from the client's first bytes; undefined while more bytes could
 * still decide it (the caller gives up after a few KiB).
 */
export function sniffProtocol(head: Buffer): Protocol | undefined {
  if (!head.length) return undefined;
  if (head[0] === 0x16) return head.length < 2 ? undefined : head[1] === 0x03 ? 'tls' : 'other';
  const n = Math.min(head.length, H2_PREFACE.length);
  if (head.subarray(0, n).equals(H2_PREFACE.subarray(0, n))) return head.length >= H2_PREFACE.length ? 'http2' : undefined;
  const eol = head.indexOf('\r\n');
  if (eol < 0) {
    // Still plausible while it looks like "METHOD SP target…" and is not too long.
    if (head.length > 8192) return 'other';
    const text = head.toString('latin1').replace(/\r$/, '');
    if (/^[A-Z][A-Z_-]{0,19}( \S*)?$/.test(text)) return undefined;
    const v = /^[A-Z][A-Z_-]{0,19} \S+ (.*)$/.exec(text)?.[1];
    return v !== undefined && ('HTTP/1.1'.startsWith(v) || 'HTTP/1.0'.startsWith(v)) ? undefined : 'other';
  }
  return REQUEST_LINE.test(head.subarray(0, eol).toString('latin1')) ? 'http1' : 'other';
}

/** What to say about a connection that is not HTTP/1.x. */
export function protocolNote(p: Protocol, detail?: string): string {
  switch (p) {
    case 'tls': return 'TLS (encrypted): requests cannot be read, bytes and connections are still counted';
    case 'http2': return 'HTTP/2 (prior knowledge): not parsed, bytes and connections are still counted';
    case 'other': return `not HTTP/1.x${detail ? ` (${detail})` : ''}: bytes and connections are still counted`;
    default: return '';
  }
}

function bounded(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The request target with secret-looking query values replaced (`?token=…` → `?token=[redacted]`). */
export function redactPath(target: string): string {
  const q = target.indexOf('?');
  if (q < 0) return bounded(target, MAX_PATH);
  const query = target.slice(q + 1).split('&').map((kv) => {
    const eq = kv.indexOf('=');
    if (eq < 0) return kv;
    let name = kv.slice(0, eq);
    try { name = decodeURIComponent(name); } catch { /* keep as sent */ }
    return SECRET_PARAM.test(name) ? `${kv.slice(0, eq)}=[redacted]` : kv;
  }).join('&');
  return bounded(`${target.slice(0, q)}?${query}`, MAX_PATH);
}

interface Head {
  line: string;
  headers: Array<[string, string]>;
  /** Lower-cased names → last value, for the framing rules. */
  get(name: string): string | undefined;
}

function parseHead(text: string): Head {
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

type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'eof' };

function framing(h: Head): Framing | 'bad' {
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
class MessageReader {
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
        if (this.body.kind === 'eof') return b.length - off;
        const f = this.body as { kind: 'length'; left: number };
        const take = Math.min(f.left, b.length - off);
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

export interface ConnectionParserOptions {
  /** Its number within the forward. */
  connection: number;
  /** Every finished request (answered, or given up at the connection's end). */
  onRecord: (r: HttpRecord) => void;
  /** The first bytes decided the protocol (once per connection). */
  onProtocol?: (p: Protocol, note: string) => void;
  /** The next record's id (shared by the forward's connections). */
  nextId: () => number;
  now?: () => number;
  clock?: () => number;
}

/**
 * Feed it the client's bytes (`client`) and the pod's (`server`) in the order they pass, and
 * `end` once when the connection is over.
 */
export class HttpConnectionParser {
  protocol: Protocol | undefined;
  /** Why parsing stopped, when it did (upgraded, malformed…). */
  stopped: string | undefined;
  private sniffBuf: Buffer | undefined;
  private readonly req = new MessageReader();
  private readonly res = new MessageReader();
  /** Requests sent and not answered in full yet, oldest first (pipelining). */
  private readonly waiting: HttpRecord[] = [];
  /** The request whose bytes are being read now, and bytes of a head not parsed yet. */
  private owner: HttpRecord | undefined;
  private pendingHeadBytes = 0;
  private startMs = new Map<HttpRecord, number>();
  private tunnelAfter: HttpRecord | undefined;
  private readonly now: () => number;
  private readonly clock: () => number;

  constructor(private readonly o: ConnectionParserOptions) {
    this.now = o.now ?? (() => performance.now());
    this.clock = o.clock ?? Date.now;
    this.req.onHead = (h) => this.requestHead(h);
    this.req.onGiveUp = (why) => this.stop(`request: ${why}`);
    this.res.onHead = (h) => this.responseHead(h);
    this.res.onEnd = () => this.answered();
    this.res.onGiveUp = (why) => this.stop(`response: ${why}`);
  }

  /** Requests waiting for their answer, oldest first (for the forward's timeout check). */
  get pending(): readonly HttpRecord[] {
    return this.waiting;
  }

  /** Started at (performance clock) of a waiting request. */
  waitedMs(r: HttpRecord): number {
    const t = this.startMs.get(r);
    return t === undefined ? 0 : this.now() - t;
  }

  client(b: Buffer): void {
    if (this.stopped || !b.length) return;
    if (this.protocol === undefined) {
      this.sniffBuf = this.sniffBuf ? Buffer.concat([this.sniffBuf, b]) : b;
      const p = sniffProtocol(this.sniffBuf);
      if (p === undefined) return;
      const buf = this.sniffBuf;
      this.sniffBuf = undefined;
      this.decide(p);
      if (p === 'http1') this.client(buf);
      return;
    }
    if (this.protocol !== 'http1') return;
    let off = 0;
    while (off < b.length && !this.stopped) {
      // After an upgrade or CONNECT request the client's bytes are another protocol's.
      if (this.tunnelAfter && this.req.idle) return;
      if (this.req.idle) this.owner = undefined;
      const take = this.req.consume(b, off);
      // A head's bytes belong to the request it starts: counted aside until requestHead names it.
      if (this.owner) this.owner.bytesOut += take;
      else this.pendingHeadBytes += take;
      off += take;
    }
  }

  server(b: Buffer): void {
    if (this.stopped || !b.length) return;
    if (this.protocol === undefined) {
      // The pod spoke first: a server-first protocol (SMTP, MySQL, SSH…), not HTTP.
      this.decide('other', 'the server spoke first');
      return;
    }
    if (this.protocol !== 'http1') return;
    let off = 0;
    while (off < b.length && !this.stopped) {
      const r = this.waiting[0];
      if (!r) { this.stop('an answer to no request'); return; }
      if (r.ttfbMs === undefined) r.ttfbMs = this.now() - this.startMs.get(r)!;
      const take = this.res.consume(b, off);
      r.bytesIn += take;
      off += take;
    }
  }

  /** The connection is over: a response read until close is complete; anything still waiting failed. */
  end(how: 'closed' | 'reset'): void {
    if (this.protocol === undefined && this.sniffBuf) this.decide('other', 'too short to tell');
    if (this.res.untilClose && this.waiting[0]) this.answered();
    for (const r of this.waiting.splice(0)) {
      r.outcome = how === 'reset' ? 'reset' : 'no-answer';
      if (r.status !== undefined || r.ttfbMs !== undefined) r.totalMs = this.now() - (this.startMs.get(r) ?? this.now());
      this.o.onRecord(r);
    }
    this.startMs.clear();
    this.stopped ??= 'connection ended';
  }

  /** A request is waiting for its answer and it is cut off (what the forward counts as a reset). */
  get midExchange(): boolean {
    return this.waiting.length > 0 && !this.res.untilClose;
  }

  private decide(p: Protocol, detail?: string): void {
    this.protocol = p;
    this.o.onProtocol?.(p, protocolNote(p, detail));
    if (p !== 'http1') this.stopped = protocolNote(p, detail);
  }

  private stop(why: string): void {
    this.stopped = why;
  }

  private requestHead(h: Head): void {
    const m = REQUEST_LINE.exec(h.line);
    if (!m) { this.stop(`request: not an HTTP/1.x request line '${bounded(h.line, 40)}'`); return; }
    const r: HttpRecord = {
      id: this.o.nextId(), connection: this.o.connection, method: m[1]!, path: redactPath(m[2]!), startedAt: this.clock(),
      bytesOut: this.pendingHeadBytes, bytesIn: 0, requestHeaders: h.headers, responseHeaders: [], outcome: 'ok',
    };
    this.pendingHeadBytes = 0;
    this.owner = r;
    this.startMs.set(r, this.now());
    this.waiting.push(r);
    if (r.method === 'CONNECT' || (h.get('upgrade') && /upgrade/i.test(h.get('connection') ?? ''))) this.tunnelAfter = r;
    const f = framing(h);
    if (f === 'bad') { this.stop('request: a malformed Content-Length'); return; }
    // A request without length has no body (RFC 9112 §6.3).
    this.req.startBody(f.kind === 'eof' ? { kind: 'none' } : f);
  }

  private responseHead(h: Head): void {
    const m = STATUS_LINE.exec(h.line);
    const r = this.waiting[0]!;
    if (!m) { this.stop(`response: not an HTTP/1.x status line '${bounded(h.line, 40)}'`); return; }
    const status = Number(m[1]);
    if (status === 101 || (r.method === 'CONNECT' && status >= 200 && status < 300)) {
      r.status = status;
      r.reason = m[2];
      r.responseHeaders = h.headers;
      this.answered();
      this.stop(status === 101 ? `upgraded to ${bounded(h.get('upgrade') ?? 'another protocol', 30)}: no more requests to read` : 'CONNECT tunnel: no more requests to read');
      return;
    }
    if (status < 200) { this.res.startBody({ kind: 'none' }); return; } // interim (100 Continue): the answer follows
    if (r === this.tunnelAfter) this.tunnelAfter = undefined; // the upgrade was refused: still HTTP
    r.status = status;
    r.reason = m[2];
    r.responseHeaders = h.headers;
    const f = framing(h);
    if (f === 'bad') { this.stop('response: a malformed Content-Length'); return; }
    const noBody = r.method === 'HEAD' || status === 204 || status === 304;
    // A response without length lasts until the connection closes.
    this.res.startBody(noBody ? { kind: 'none' } : f.kind === 'none' && !h.get('content-length') ? { kind: 'eof' } : f);
  }

  private answered(): void {
    const r = this.waiting[0];
    if (!r || r.status === undefined) return; // an interim response ended: keep waiting
    this.waiting.shift();
    r.totalMs = this.now() - this.startMs.get(r)!;
    this.startMs.delete(r);
    this.o.onRecord(r);
  }
}
