/**
 * The load check against a local node:http server (loopback, OS-chosen port): every request
 * sent with the asked concurrency on kept-alive connections, statuses and errors counted,
 * the histogram adds up, a non-loopback host and out-of-bounds sizes are refused, the time
 * limit and a cancel stop it, results round-trip through the per-target store.
 */
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { checkSpec, histogram, isLoopback, LIMITS, runLoadCheck } from '../../../src/kube/load-check.js';
import { LoadCheckStore, targetKey } from '../../../src/kube/load-check-store.js';

async function server(t: import('ava').ExecutionContext, handler: http.RequestListener) {
  const sockets = new Set<unknown>();
  let maxOpen = 0;
  const s = http.createServer(handler);
  s.on('connection', (c) => { sockets.add(c); maxOpen = Math.max(maxOpen, sockets.size); c.on('close', () => sockets.delete(c)); });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  t.teardown(() => { s.closeAllConnections(); s.close(); });
  return { port: (s.address() as import('node:net').AddressInfo).port, connections: () => maxOpen };
}

test('N requests with concurrency C on kept-alive connections; status mix, histogram, bytes', async (t) => {
  const seen: string[] = [];
  const srv = await server(t, (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const status = seen.length % 10 === 0 ? 503 : 200;
      res.writeHead(status, { 'Content-Length': body.length + 2 });
      res.end(`${body}ok`);
    });
  });
  const progress: number[] = [];
  const r = await runLoadCheck({ port: srv.port, method: 'POST', path: '/echo', body: 'abc', requests: 200, concurrency: 10 }, { onProgress: (p) => progress.push(p.done) });
  t.is(seen.length, 200);
  t.true(seen.every((s) => s === 'POST /echo'));
  t.like(r, { completed: 200, errors: 0, requests: 200, concurrency: 10, bytesIn: 200 * 5, stoppedBy: undefined });
  t.deepEqual(r.statusCodes, { 200: 180, 503: 20 });
  t.deepEqual(r.statusMix, { '2xx': 180, '3xx': 0, '4xx': 0, '5xx': 20 });
  t.true(srv.connections() <= 10, `at most C connections (${srv.connections()})`);
  t.is(r.histogram.reduce((n, b) => n + b.count, 0), 200);
  const l = r.latencyMs!;
  t.true(l.min <= l.p50 && l.p50 <= l.p90 && l.p90 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max);
  t.true(r.requestsPerSecond > 0);
  t.is(progress[progress.length - 1], 200);
});

test('errors are counted by kind: a server that resets, a request timeout', async (t) => {
  const srv = await server(t, (req, res) => {
    if (req.url === '/reset') { req.socket.destroy(); return; }
    if (req.url === '/hang') return; // never answers
    res.end('x');
  });
  const reset = await runLoadCheck({ port: srv.port, method: 'GET', path: '/reset', requests: 5, concurrency: 2 });
  t.is(reset.errors, 5);
  t.is(reset.completed, 0);
  t.deepEqual(Object.keys(reset.errorKinds), ['ECONNRESET']);
  t.is(reset.latencyMs, undefined);
  const hang = await runLoadCheck({ port: srv.port, method: 'GET', path: '/hang', requests: 2, concurrency: 2, timeoutMs: 200 });
  t.deepEqual(hang.errorKinds, { 'timeout after 0.2 s': 2 });
});

test('bounded: the time limit and a cancel stop it, and what was measured is the result', async (t) => {
  const srv = await server(t, (_req, res) => setTimeout(() => res.end('slow'), 50));
  const timed = await runLoadCheck({ port: srv.port, method: 'GET', path: '/', requests: 100_000, concurrency: 2, durationMs: 300 });
  t.is(timed.stoppedBy, 'time');
  t.true(timed.completed < 100_000);
  t.is(timed.errors, 0, 'requests cut by the limit are not errors');
  const ac = new AbortController();
  const run = runLoadCheck({ port: srv.port, method: 'GET', path: '/', requests: 100_000, concurrency: 4 }, { signal: ac.signal, onProgress: (p) => { if (p.done >= 8) ac.abort(); } });
  const cancelled = await run;
  t.is(cancelled.stoppedBy, 'cancel');
  t.true(cancelled.completed >= 8);
});

test('refusals: non-loopback hosts, sizes past the limits, bad method or path', async (t) => {
  t.true(isLoopback('127.0.0.1') && isLoopback('127.3.2.1') && isLoopback('::1') && isLoopback('localhost'));
  t.false(isLoopback('10.0.0.1') || isLoopback('example.com') || isLoopback('0.0.0.0'));
  const base = { port: 8080, method: 'GET', path: '/', requests: 10, concurrency: 2 };
  t.regex(checkSpec({ ...base, host: '192.168.1.1' })!, /loopback/);
  t.regex(checkSpec({ ...base, requests: LIMITS.requests + 1 })!, /requests: 1 to 100000/);
  t.regex(checkSpec({ ...base, concurrency: 0 })!, /concurrency/);
  t.regex(checkSpec({ ...base, method: 'BREW' })!, /method BREW/);
  t.regex(checkSpec({ ...base, path: 'no-slash' })!, /starts with \//);
  t.is(checkSpec(base), undefined);
  await t.throwsAsync(runLoadCheck({ ...base, host: 'example.com' }), { message: /loopback/ });
});

test('histogram buckets from fastest to slowest, all requests in one bucket when equal', (t) => {
  t.deepEqual(histogram([]), []);
  t.deepEqual(histogram([5, 5, 5]), [{ ms: 5, count: 3 }]);
  const h = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.is(h.length, 11);
  t.deepEqual(h.map((b) => b.count), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
});

test('the store keeps the last runs per target and reads a broken file as none', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-lc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = new LoadCheckStore(dir);
  const target = { context: 'kai-demo', namespace: 'jokes', kind: 'service' as const, name: 'jokes', remotePort: 80 };
  t.is(targetKey(target), 'kai-demo_jokes_service_jokes_80');
  const run = (i: number) => ({ method: 'GET', path: `/${i}`, requests: 1, concurrency: 1, startedAt: new Date(i).toISOString(), durationMs: 1, completed: 1, errors: 0, errorKinds: {}, statusCodes: { 200: 1 }, statusMix: { '2xx': 1, '3xx': 0, '4xx': 0, '5xx': 0 }, histogram: [], requestsPerSecond: 1, bytesIn: 1 });
  for (let i = 0; i < 12; i++) t.true(store.add(target, run(i)));
  t.deepEqual(store.runs(target).map((r) => r.path), ['/2', '/3', '/4', '/5', '/6', '/7', '/8', '/9', '/10', '/11']);
  t.deepEqual(store.runs({ ...target, remotePort: 81 }), []);
  writeFileSync(store.file(target), '{not json');
  t.deepEqual(store.runs(target), []);
});
