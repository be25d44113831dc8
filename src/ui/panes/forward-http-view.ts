/**
 * How the forwards pane draws what the proxy read of HTTP: the summary line (req/s, status
 * mix, p50/p95/p99), the issues, the last requests as a list, one request's headers. Pure:
 * lines with blessed tags in, nothing drawn here; all cluster-derived text is sanitised.
 */
import type { MeteredForward } from '../../kube/portforward.js';
import type { HttpRecord } from '../../kube/http-meter.js';
import type { ForwardIssue } from '../../kube/forward-issues.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { paint, type Role, type Theme } from '../theme.js';
import { formatBytes } from './top.js';
import { bodyLines } from './forward-body-view.js';

/** Plain cluster text → one escaped cell of `w` columns. */
export function cellText(s: unknown, w: number, pad = false): string {
  return escapeTags(fit(sanitizePlain(String(s)), w, pad));
}

export function ms(v: number | undefined): string {
  if (v === undefined) return '-';
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`;
}

export function statusRole(status: number | undefined): Role {
  if (status === undefined) return 'error';
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : status >= 300 ? 'accent' : 'ok';
}

/** `http 3.0 req/s  42 requests  2xx 30  3xx 0  4xx 2  5xx 10  p50 … p95 … p99 …` (or why there is none). */
export function httpSummaryLine(theme: Theme, f: MeteredForward, width: number): string[] {
  const h = f.stats.http;
  const out: string[] = [];
  if (h.requests) {
    const mix = (['2xx', '3xx', '4xx', '5xx'] as const).map((k) => `${paint(theme, 'muted', k)} ${paint(theme, k === '5xx' && h.status[k] ? 'error' : k === '4xx' && h.status[k] ? 'warn' : 'fg', String(h.status[k]))}`).join('  ');
    const lat = h.latencyMs ? `p50 ${ms(h.latencyMs.p50)}  p95 ${ms(h.latencyMs.p95)}  p99 ${ms(h.latencyMs.p99)}` : 'no answers yet';
    const unanswered = h.unanswered ? `  ${paint(theme, 'error', `${h.unanswered} unanswered`)}` : '';
    out.push(`   ${paint(theme, 'accent', 'http')} ${h.requestsPerSecond.toFixed(1)} req/s  ${h.requests} requests  ${mix}${unanswered}  ${paint(theme, 'muted', 'latency')} ${lat}`);
  } else if (h.protocols.http1) {
    out.push(`   ${paint(theme, 'accent', 'http')} ${paint(theme, 'muted', 'HTTP/1.x connections, no request finished yet')}`);
  }
  const notHttp = h.protocols.tls + h.protocols.http2 + h.protocols.other;
  if (notHttp && h.notHttp) out.push(paint(theme, 'muted', cellText(`   ${notHttp} connection${notHttp > 1 ? 's' : ''} not readable as HTTP/1.x — last: ${h.notHttp}`, width)));
  return out;
}

export function issueLines(theme: Theme, issues: ForwardIssue[], width: number): string[] {
  const out: string[] = [];
  for (const i of issues) {
    const when = i.active ? `since ${i.firstSeen.slice(11, 19)}` : `cleared, last ${i.lastSeen.slice(11, 19)}`;
    const mark = i.active ? (i.severity === 'error' ? '✖' : '⚠') : '✓';
    const role: Role = i.active ? (i.severity === 'error' ? 'error' : 'warn') : 'muted';
    out.push(paint(theme, role, cellText(`   ${mark} ${i.message} (${when})`, width)));
    if (i.context) out.push(paint(theme, 'muted', cellText(`     ${i.context}`, width)));
  }
  return out;
}

function hms(epoch: number): string {
  const d = new Date(epoch);
  return `${d.toTimeString().slice(0, 8)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The last requests, newest first; `cursor` indexes that order; `rows` lines at most. */
export function requestLines(theme: Theme, recent: readonly HttpRecord[], cursor: number, rows: number, width: number, focused: boolean): string[] {
  const newest = [...recent].reverse();
  if (!newest.length) return [paint(theme, 'muted', '   no HTTP requests yet')];
  const pathW = Math.max(10, Math.min(72, width - 64));
  const head = `   ${'time'.padEnd(12)} ${'method'.padEnd(7)} ${'path'.padEnd(pathW)} ${'status'.padEnd(6)} ${'total'.padStart(9)} ${'ttfb'.padStart(9)} ${'in'.padStart(10)}`;
  const out = [paint(theme, 'header', cellText(head, width))];
  const start = Math.max(0, Math.min(cursor - Math.floor(rows / 2), newest.length - rows));
  newest.slice(start, start + rows).forEach((r, k) => {
    const i = start + k;
    const status = r.outcome === 'ok' ? String(r.status ?? '-') : r.outcome;
    const line = `${i === cursor && focused ? '▶' : ' '}  ${hms(r.startedAt)} ${cellText(r.method, 7, true)} ${cellText(r.path, pathW, true)} ` +
      `${paint(theme, r.outcome === 'ok' ? statusRole(r.status) : 'error', cellText(status, 6, true))} ${ms(r.totalMs).padStart(9)} ${ms(r.ttfbMs).padStart(9)} ${formatBytes(r.bytesIn).padStart(10)}` +
      (r.timedOut ? paint(theme, 'error', ' timed out') : '');
    out.push(i === cursor && focused ? paint(theme, 'selection', line) : line);
  });
  return out;
}

/** One request: what was asked, what came back, and both sets of headers (secrets redacted). */
export function requestDetail(theme: Theme, r: HttpRecord, width: number, capturing = false): string[] {
  const out: string[] = [];
  const status = r.status !== undefined ? `${r.status}${r.reason ? ` ${r.reason}` : ''}` : 'no answer';
  out.push(paint(theme, 'title', cellText(`${r.method} ${r.path} → ${status}`, width)));
  out.push(cellText(`connection #${r.connection}, started ${hms(r.startedAt)}, first byte ${ms(r.ttfbMs)}, total ${ms(r.totalMs)}, sent ${formatBytes(r.bytesOut)}, received ${formatBytes(r.bytesIn)}`, width));
  if (r.outcome !== 'ok') out.push(paint(theme, 'error', cellText(r.outcome === 'reset' ? 'the connection was reset before the whole answer arrived' : 'the connection closed before an answer', width)));
  if (r.timedOut) out.push(paint(theme, 'error', cellText('waited longer than the request timeout for its answer', width)));
  const headers = (title: string, list: Array<[string, string]>) => {
    out.push('', paint(theme, 'header', cellText(title, width)));
    if (!list.length) out.push(paint(theme, 'muted', '  (none)'));
    for (const [n, v] of list) out.push(`  ${paint(theme, 'yamlKey', cellText(n, 40))}: ${paint(theme, v === '[redacted]' ? 'muted' : 'fg', cellText(v, Math.max(10, width - n.length - 4)))}`);
  };
  headers('request headers', r.requestHeaders);
  out.push(...bodyLines(theme, 'request body', r.requestBody, r.requestHeaders, width));
  headers('response headers', r.responseHeaders);
  out.push(...bodyLines(theme, 'response body', r.responseBody, r.responseHeaders, width));
  const kept = r.requestBody || r.responseBody;
  out.push('', paint(theme, 'muted', kept ? 'Authorization, Cookie and Set-Cookie values are redacted; bodies are kept in memory only, with secrets redacted when shown'
    : capturing ? 'bodies: this request finished before capture was turned on; Authorization, Cookie and Set-Cookie values are redacted'
      : 'bodies are counted, not kept (B in the forwards list keeps the next ones); Authorization, Cookie and Set-Cookie values are redacted'));
  return out;
}
