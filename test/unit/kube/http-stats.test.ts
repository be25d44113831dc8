/**
 * The forward's HTTP aggregates and issue rules on made-up records and a hand-moved clock: the
 * ring stays bounded, the status mix and percentiles add up, issues appear at their thresholds,
 * stay listed when they clear, and say what happened.
 */
import test from 'ava';
import { HttpMeter, percentiles, RECENT, statusClass } from '../../../src/kube/http-stats.js';
import { IssueDetector, RULES, SLOW_FIRST_BYTE_MS } from '../../../src/kube/forward-issues.js';
import type { HttpRecord } from '../../../src/kube/http-meter.js';

function rec(id: number, status: number | undefined, totalMs: number, outcome: HttpRecord['outcome'] = 'ok'): HttpRecord {
  return { id, connection: 1, method: 'GET', path: `/${id}`, status, startedAt: 0, bytesIn: 10, bytesOut: 5, ttfbMs: totalMs / 2, totalMs, requestHeaders: [], responseHeaders: [], outcome };
}

test('status classes and nearest-rank percentiles', (t) => {
  t.deepEqual([200, 302, 404, 503, 101, undefined].map(statusClass), ['2xx', '3xx', '4xx', '5xx', 'other', 'other']);
  t.is(percentiles([]), undefined);
  t.deepEqual(percentiles(Array.from({ length: 100 }, (_, i) => 100 - i)), { p50: 50, p95: 95, p99: 99 });
  t.deepEqual(percentiles([7]), { p50: 7, p95: 7, p99: 7 });
});

test('the meter: bounded ring, status mix, unanswered requests, rate per sample, protocols', (t) => {
  const m = new HttpMeter();
  for (let i = 1; i <= RECENT + 50; i++) m.record(rec(i, i % 10 === 0 ? 500 : 200, i));
  m.record(rec(9999, undefined, 0, 'reset'));
  t.is(m.recent.length, RECENT);
  t.is(m.recent[m.recent.length - 1]!.id, 9999);
  m.sample();
  m.record(rec(10_000, 404, 3));
  m.sample();
  m.protocol('http1', '');
  m.protocol('tls', 'TLS (encrypted): requests cannot be read');
  const s = m.summary();
  t.is(s.requests, RECENT + 52);
  t.is(s.unanswered, 1);
  t.deepEqual(s.status, { '2xx': 225, '3xx': 0, '4xx': 1, '5xx': 25, other: 0 });
  t.deepEqual(s.rateHistory, [RECENT + 51, 1]);
  t.is(s.requestsPerSecond, 1);
  t.deepEqual(s.protocols, { http1: 1, tls: 1, http2: 0, other: 0 });
  t.regex(s.notHttp!, /TLS/);
  t.true(s.latencyMs!.p50 <= s.latencyMs!.p95 && s.latencyMs!.p95 <= s.latencyMs!.p99);
});

test('issues: a 5xx burst at its threshold, active then cleared, still listed', (t) => {
  let now = 1_000_000;
  const d = new IssueDetector(() => now);
  for (let i = 0; i < RULES['5xx-burst'].min - 1; i++) d.response(503, 5, 'GET /fail');
  t.deepEqual(d.evaluate().issues, []);
  d.response(200, 5, 'GET /');
  d.response(500, 5, 'GET /fail');
  const first = d.evaluate();
  t.deepEqual(first.fresh, ['5xx-burst']);
  t.like(first.issues[0], { kind: '5xx-burst', severity: 'error', active: true, count: 5, total: 5 });
  t.regex(first.issues[0]!.message, /5xx burst: 5 of 6 answers were 5xx in 10 s \(last: 500 GET \/fail\)/);
  t.deepEqual(d.evaluate().fresh, [], 'fresh once');
  now += RULES['5xx-burst'].windowMs + 1;
  const later = d.evaluate();
  t.like(later.issues[0], { kind: '5xx-burst', active: false, total: 5 });
});

test('issues: resets, timeouts and slow first bytes, active ones first, with context', (t) => {
  let now = 5_000_000;
  const d = new IssueDetector(() => now);
  for (let i = 0; i < 3; i++) d.response(200, SLOW_FIRST_BYTE_MS + i * 100, `GET /slow${i}`);
  d.response(200, SLOW_FIRST_BYTE_MS - 1, 'GET /fast');
  const slow = d.evaluate().issues;
  t.like(slow[0], { kind: 'slow-first-byte', severity: 'warning', count: 3 });
  t.regex(slow[0]!.message, /slowest 1\.2 s, GET \/slow2/);
  now += 61_000;
  d.reset('the pod side closed while a request waited for its answer');
  d.reset('the pod side closed while a request waited for its answer');
  d.timeout('GET /hang unanswered after 30 s');
  const r = d.evaluate();
  t.deepEqual(r.fresh.sort(), ['resets', 'timeouts']);
  t.deepEqual(r.issues.map((i) => [i.kind, i.active]), [['resets', true], ['timeouts', true], ['slow-first-byte', false]]);
  t.regex(r.issues[0]!.message, /^2 connections reset in the last minute \(last: the pod side closed/);
  d.explain('resets', 'pod web-1: container web OOMKilled at 12:03:10 (exit 137)');
  t.regex(d.evaluate().issues[0]!.context!, /OOMKilled/);
});
