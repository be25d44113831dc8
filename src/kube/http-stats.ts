/**
 * A forward's HTTP picture from its request records: the last N requests (a ring), the status
 * mix, the request rate a second at a time, latency percentiles over the last answers, and how
 * many connections were not HTTP/1.x and why. Everything is bounded whatever the traffic.
 */
import type { HttpRecord, Protocol } from './http-meter.js';

export interface StatusMix { '2xx': number; '3xx': number; '4xx': number; '5xx': number; other: number }
export interface Percentiles { p50: number; p95: number; p99: number }

export interface HttpSummary {
  /** Requests finished (answered, or cut off) since the forward started. */
  requests: number;
  /** Of which got no full answer: the connection reset or closed first. */
  unanswered: number;
  /** Requests finished in the last full second, and that rate over the last minute (newest last). */
  requestsPerSecond: number;
  rateHistory: number[];
  status: StatusMix;
  /** Over the last answers (at most LATENCY_WINDOW): total latency and time to first byte (ms). */
  latencyMs?: Percentiles;
  ttfbMs?: Percentiles;
  /** Connections by what their first bytes were. */
  protocols: Record<Protocol, number>;
  /** The last not-HTTP/1.x connection's note ("TLS (encrypted): …"). */
  notHttp?: string;
}

export const RECENT = 200;
const LATENCY_WINDOW = 1000;
const HISTORY = 60;

export function statusClass(status: number | undefined): keyof StatusMix {
  if (status === undefined || status < 200 || status > 599) return 'other';
  return `${Math.floor(status / 100)}xx` as keyof StatusMix;
}

/** Nearest-rank percentiles of unsorted values (undefined when there are none). */
export function percentiles(values: readonly number[]): Percentiles | undefined {
  if (!values.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

export class HttpMeter {
  /** The last requests, oldest first. */
  readonly recent: HttpRecord[] = [];
  private requests = 0;
  private unanswered = 0;
  private readonly status: StatusMix = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0 };
  private readonly latency: number[] = [];
  private readonly ttfb: number[] = [];
  private latencyAt = 0;
  private readonly protocols: Record<Protocol, number> = { http1: 0, tls: 0, http2: 0, other: 0 };
  private notHttp: string | undefined;
  private readonly rate: number[] = [];
  private lastRequests = 0;
  private cached: HttpSummary | undefined;

  record(r: HttpRecord): void {
    this.cached = undefined;
    this.requests++;
    this.recent.push(r);
    if (this.recent.length > RECENT) this.recent.shift();
    if (r.outcome !== 'ok') { this.unanswered++; return; }
    this.status[statusClass(r.status)]++;
    // Ring buffers of the last answers' times: percentiles follow what happens now.
    if (this.latency.length < LATENCY_WINDOW) { this.latency.push(r.totalMs ?? 0); this.ttfb.push(r.ttfbMs ?? 0); } else {
      this.latency[this.latencyAt] = r.totalMs ?? 0;
      this.ttfb[this.latencyAt] = r.ttfbMs ?? 0;
      this.latencyAt = (this.latencyAt + 1) % LATENCY_WINDOW;
    }
  }

  protocol(p: Protocol, note: string): void {
    this.cached = undefined;
    this.protocols[p]++;
    if (p !== 'http1') this.notHttp = note;
  }

  /** Once a second: the rate history. */
  sample(): void {
    this.cached = undefined;
    this.rate.push(this.requests - this.lastRequests);
    if (this.rate.length > HISTORY) this.rate.shift();
    this.lastRequests = this.requests;
  }

  summary(): HttpSummary {
    this.cached ??= {
      requests: this.requests, unanswered: this.unanswered,
      requestsPerSecond: this.rate.length ? this.rate[this.rate.length - 1]! : 0, rateHistory: [...this.rate],
      status: { ...this.status }, latencyMs: percentiles(this.latency), ttfbMs: percentiles(this.ttfb),
      protocols: { ...this.protocols }, notHttp: this.notHttp,
    };
    return this.cached;
  }
}
