/**
 * A load check through a forward, like k9s's benchmark (hey): N requests with concurrency C to
 * the forward's local port, then latency percentiles and a histogram, the status mix,
 * throughput and errors. It never leaves this machine — the host must be a loopback address —
 * and it is bounded: at most LIMITS.requests requests and LIMITS.durationMs of running, whatever
 * was asked. Kept-alive connections (node:http Agent) as hey does, so C connections carry it.
 */
import http from 'node:http';
import net from 'node:net';

export interface LoadCheckSpec {
  /** The forward's local port; the host is loopback only. */
  port: number;
  host?: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  requests: number;
  concurrency: number;
  /** One request's limit (default 10 s). */
  timeoutMs?: number;
  /** The whole run's limit (default and maximum LIMITS.durationMs). */
  durationMs?: number;
}

export interface LoadCheckResult {
  method: string;
  path: string;
  requests: number;
  concurrency: number;
  startedAt: string;
  durationMs: number;
  /** Requests that got a whole answer (any status). */
  completed: number;
  errors: number;
  /** Error text → count ("ECONNRESET", "timeout after 10 s"…). */
  errorKinds: Record<string, number>;
  /** Status code → count, and the classes. */
  statusCodes: Record<string, number>;
  statusMix: { '2xx': number; '3xx': number; '4xx': number; '5xx': number };
  latencyMs?: { min: number; mean: number; p50: number; p90: number; p95: number; p99: number; max: number };
  /** Latency buckets from fastest to slowest: requests with latency ≤ `ms` (and > the previous bucket's). */
  histogram: Array<{ ms: number; count: number }>;
  requestsPerSecond: number;
  bytesIn: number;
  /** Why it ended before all requests were sent: the time limit, or the user. */
  stoppedBy?: 'time' | 'cancel';
}

export interface LoadCheckProgress { done: number; total: number; errors: number; elapsedMs: number }

export const LIMITS = { requests: 100_000, concurrency: 1000, durationMs: 60_000 };
export const DEFAULTS = { method: 'GET', path: '/', requests: 200, concurrency: 10 };
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** True for 127.0.0.0/8, ::1 and localhost: the only places a load check may go. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1' || host === '[::1]' || host === '::ffff:127.0.0.1';
}

/** Why a spec cannot run (one line), or undefined. */
export function checkSpec(s: LoadCheckSpec): string | undefined {
  const host = s.host ?? '127.0.0.1';
  if (!isLoopback(host)) return `a load check goes to this machine's forwards only (loopback), not ${host}`;
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) return `not a port: ${s.port}`;
  if (!METHODS.has(s.method)) return `method ${s.method}: one of ${[...METHODS].join(', ')}`;
  if (!s.path.startsWith('/') || /\s/.test(s.path)) return `the path starts with / and has no spaces: ${s.path}`;
  if (!Number.isInteger(s.requests) || s.requests < 1 || s.requests > LIMITS.requests) return `requests: 1 to ${LIMITS.requests}`;
  if (!Number.isInteger(s.concurrency) || s.concurrency < 1 || s.concurrency > LIMITS.concurrency) return `concurrency: 1 to ${LIMITS.concurrency}`;
  return undefined;
}

/** Linear buckets from the fastest to the slowest request, as hey prints them. */
export function histogram(sorted: number[], buckets = 10): Array<{ ms: number; count: number }> {
  if (!sorted.length) return [];
  const min = sorted[0]!, max = sorted[sorted.length - 1]!;
  const step = (max - min) / buckets;
  const out = Array.from({ length: buckets + 1 }, (_, i) => ({ ms: min + step * i, count: 0 }));
  let b = 0;
  for (const v of sorted) {
    while (b < buckets && v > out[b]!.ms) b++;
    out[b]!.count++;
  }
  return step ? out : [{ ms: min, count: sorted.length }];
}

function rank(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Runs it. `signal` stops it early (what was measured so far is the result); `onProgress` is
 * called as requests finish (at most every 100 ms).
 */
export async function runLoadCheck(spec: LoadCheckSpec, opts: { signal?: AbortSignal; onProgress?: (p: LoadCheckProgress) => void } = {}): Promise<LoadCheckResult> {
  const bad = checkSpec(spec);
  if (bad) throw new Error(bad);
  const host = spec.host === 'localhost' || !spec.host ? '127.0.0.1' : spec.host.replace(/^\[|\]$/g, '');
  const timeoutMs = spec.timeoutMs ?? 10_000;
  const durationMs = Math.min(spec.durationMs ?? LIMITS.durationMs, LIMITS.durationMs);
  const concurrency = Math.min(spec.concurrency, spec.requests);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const body = spec.body ? Buffer.from(spec.body) : undefined;
  const headers: Record<string, string | number> = { 'User-Agent': 'kai-tui-load-check', ...spec.headers };
  if (body) headers['Content-Length'] = body.length;

  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  const statusCodes: Record<string, number> = {};
  let errors = 0, bytesIn = 0, next = 0, done = 0;
  let stoppedBy: LoadCheckResult['stoppedBy'];
  const inFlight = new Set<http.ClientRequest>();
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const stop = (why: 'time' | 'cancel') => {
    if (stoppedBy) return;
    stoppedBy = why;
    for (const r of inFlight) r.destroy(new Error('stopped'));
  };
  const deadline = setTimeout(() => stop('time'), durationMs);
  const onAbort = () => stop('cancel');
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) stop('cancel');
  let lastReport = 0;
  const report = (force = false) => {
    const now = performance.now();
    if (!opts.onProgress || (!force && now - lastReport < 100)) return;
    lastReport = now;
    opts.onProgress({ done, total: spec.requests, errors, elapsedMs: now - t0 });
  };

  const one = () => new Promise<void>((resolve) => {
    const start = performance.now();
    const req = http.request({ host, port: spec.port, method: spec.method, path: spec.path, headers, agent }, (res) => {
      res.on('data', (d: Buffer) => { bytesIn += d.length; });
      res.on('end', () => {
        inFlight.delete(req);
        latencies.push(performance.now() - start);
        const code = String(res.statusCode ?? 0);
        statusCodes[code] = (statusCodes[code] ?? 0) + 1;
        resolve();
      });
      res.on('error', () => undefined); // the request's 'error' counts it
    });
    inFlight.add(req);
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`timeout after ${timeoutMs / 1000} s`), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => {
      inFlight.delete(req);
      // Requests cut short by the time limit or the user are not the target's errors.
      if (!stoppedBy) {
        errors++;
        const kind = e.code === 'TIMEOUT' ? e.message : e.code ?? e.message;
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      }
      resolve();
    });
    req.end(body);
  });

  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < spec.requests && !stoppedBy) {
        next++;
        await one();
        done++;
        report();
      }
    }));
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onAbort);
    agent.destroy();
  }
  report(true);
  const elapsed = performance.now() - t0;
  const sorted = latencies.sort((a, b) => a - b);
  const mix = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  for (const [code, n] of Object.entries(statusCodes)) {
    const k = `${code[0]}xx` as keyof typeof mix;
    if (k in mix) mix[k] += n;
  }
  return {
    method: spec.method, path: spec.path, requests: spec.requests, concurrency, startedAt, durationMs: round(elapsed),
    completed: sorted.length, errors, errorKinds, statusCodes, statusMix: mix,
    latencyMs: sorted.length ? {
      min: round(sorted[0]!), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length), p50: round(rank(sorted, 50)),
      p90: round(rank(sorted, 90)), p95: round(rank(sorted, 95)), p99: round(rank(sorted, 99)), max: round(sorted[sorted.length - 1]!),
    } : undefined,
    histogram: histogram(sorted).map((b) => ({ ms: round(b.ms), count: b.count })),
    requestsPerSecond: round(sorted.length / (elapsed / 1000)),
    bytesIn,
    stoppedBy,
  };
}
