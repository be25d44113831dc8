/**
 * What an HTTP/1.x conversation on one forwarded connection looks like, read from the bytes the
 * metering proxy relays: the first bytes say which protocol it is (HTTP/1.x, or why not: TLS,
 * HTTP/2, a server that speaks first, something else); then requests and responses are parsed
 * incrementally on both directions — keep-alive, pipelining, Content-Length, chunked and
 * read-until-close bodies — into one record per request. Only heads are decoded; body bytes are
 * counted and skipped (the proxy's throughput must not depend on body size) — except, on demand,
 * the first KiB of each body (bodyLimit), kept with the record for the user to inspect; the UI
 * redacts them before showing. Nothing here changes a byte: parsing gives up quietly (and says
 * why) when the stream is not what it expects.
 */
import { bounded, framing, MessageReader, type Framing, type Head } from './http-framing.js';

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
  /** Only while body capture is on: the first bytes of each body (raw, never sent anywhere). */
  requestBody?: CapturedBody;
  responseBody?: CapturedBody;
}

export interface CapturedBody {
  /** The first `limit` bytes of the body (chunked framing removed; content encodings kept). */
  data: Buffer;
  /** Body bytes seen in all (the body may be longer than what was kept). */
  size: number;
  truncated: boolean;
}

/** Keeps the first `limit` bytes of a body as they pass. */
function capture(limit: number): { body: CapturedBody; take: (b: Buffer) => void } {
  const parts: Buffer[] = [];
  let kept = 0;
  const body: CapturedBody = { data: Buffer.alloc(0), size: 0, truncated: false };
  return {
    body,
    take: (b) => {
      body.size += b.length;
      const room = limit - kept;
      if (room <= 0) { body.truncated = true; return; }
      // A copy: the proxy reuses nothing, but a slice would pin the whole read buffer.
      const piece = Buffer.from(b.subarray(0, room));
      parts.push(piece);
      kept += piece.length;
      if (b.length > room) body.truncated = true;
      body.data = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    },
  };
}

const MAX_PATH = 512;
const SECRET_PARAM = /token|key|secret|passw|signature|sig$|auth|session|code/i;
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');
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
  /** Bytes of each body to keep with its record; 0 (the default) keeps none. Read at each message head. */
  bodyLimit?: () => number;
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
    const body = f.kind === 'eof' ? { kind: 'none' as const } : f;
    this.req.onBody = body.kind === 'none' ? undefined : this.capturer((b) => { r.requestBody = b; });
    this.req.startBody(body);
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
    const body: Framing = noBody ? { kind: 'none' } : f.kind === 'none' && !h.get('content-length') ? { kind: 'eof' } : f;
    this.res.onBody = body.kind === 'none' ? undefined : this.capturer((b) => { r.responseBody = b; });
    this.res.startBody(body);
  }

  /** A body sink when capture is on (undefined keeps the fast path: bytes counted, not touched). */
  private capturer(attach: (b: CapturedBody) => void): ((b: Buffer) => void) | undefined {
    const limit = this.o.bodyLimit?.() ?? 0;
    if (limit <= 0) return undefined;
    const c = capture(limit);
    attach(c.body);
    return c.take;
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
