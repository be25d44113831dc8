/**
 * Following a container's log through the API (`pods/log`), streamed as the server writes the
 * chunked answer. Lines are handed over in batches (one batch per network chunk) so the UI can
 * repaint once per frame, not once per line. A bounded buffer keeps the newest lines only.
 */
import { StringDecoder } from 'node:string_decoder';
import { httpError, readBody, type Transport } from './transport.js';

export interface LogRequest {
  namespace: string;
  pod: string;
  container?: string;
  previous?: boolean;
  timestamps?: boolean;
  follow?: boolean;
  /** Lines from the end to start with (the whole log when undefined). */
  tailLines?: number;
  /** Only lines after this time (RFC 3339): a restarted container's log without the old one's. */
  sinceTime?: string;
  /** Only the last N seconds of log. */
  sinceSeconds?: number;
}

export type LogEnd = { reason: 'ended' } | { reason: 'stopped' } | { reason: 'error'; message: string };

export function logPath(r: LogRequest): { path: string; query: Record<string, string | number | boolean | undefined> } {
  return {
    path: `/api/v1/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/log`,
    query: {
      container: r.container,
      follow: r.follow ? true : undefined,
      previous: r.previous ? true : undefined,
      timestamps: r.timestamps ? true : undefined,
      tailLines: r.tailLines,
      sinceTime: r.sinceTime,
      sinceSeconds: r.sinceSeconds,
    },
  };
}

/** One log stream. `onLines` gets complete lines (without the newline); `onEnd` is called once. */
export class LogFollower {
  onLines: (lines: string[]) => void = () => {};
  onEnd: (end: LogEnd) => void = () => {};
  private readonly ctl = new AbortController();
  private ended = false;

  constructor(private readonly transport: Transport, readonly request: LogRequest) {}

  /** Resolves once the stream is open (or has failed: then onEnd already said why). */
  async start(): Promise<void> {
    const { path, query } = logPath(this.request);
    let res;
    try {
      res = await this.transport.open(path, { query, signal: this.ctl.signal, headers: { Accept: '*/*' } });
    } catch (err) {
      this.finish(this.ctl.signal.aborted ? { reason: 'stopped' } : { reason: 'error', message: (err as Error).message });
      return;
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const body = await readBody(res).catch(() => '');
      this.finish({ reason: 'error', message: httpError(status, body, path).message });
      return;
    }
    const decoder = new StringDecoder('utf8');
    let partial = '';
    res.on('data', (chunk: Buffer) => {
      const text = partial + decoder.write(chunk);
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      if (parts.length) this.onLines(parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
    });
    const done = (end: LogEnd) => {
      const rest = partial + decoder.end();
      partial = '';
      if (rest) this.onLines([rest]);
      this.finish(end);
    };
    res.on('end', () => done(this.ctl.signal.aborted ? { reason: 'stopped' } : { reason: 'ended' }));
    res.on('error', (err) => done(this.ctl.signal.aborted ? { reason: 'stopped' } : { reason: 'error', message: err.message }));
    res.on('aborted', () => done(this.ctl.signal.aborted ? { reason: 'stopped' } : { reason: 'error', message: 'the connection was closed' }));
  }

  stop(): void {
    this.ctl.abort();
    this.finish({ reason: 'stopped' });
  }

  private finish(end: LogEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(end);
  }
}

/** The newest `max` lines; `dropped` counts what fell off the top (so a view can keep its place). */
export class LogBuffer {
  private lines: string[] = [];
  dropped = 0;
  /** Increases on every change (a renderer skips frames where nothing changed). */
  version = 0;

  constructor(readonly max = 10_000) {}

  push(lines: string[]): void {
    if (!lines.length) return;
    for (const l of lines) this.lines.push(l);
    // Trim in batches: splicing a 10k array per line would cost more than the lines themselves.
    if (this.lines.length > this.max + Math.max(100, this.max >> 4)) this.trim();
    this.version++;
  }

  private trim(): void {
    const over = this.lines.length - this.max;
    if (over <= 0) return;
    this.lines.splice(0, over);
    this.dropped += over;
  }

  get length(): number {
    this.trim();
    return this.lines.length;
  }

  at(i: number): string | undefined {
    this.trim();
    return this.lines[i];
  }

  all(): readonly string[] {
    this.trim();
    return this.lines;
  }

  clear(): void {
    this.lines = [];
    this.dropped = 0;
    this.version++;
  }
}
