/** Anomalies over time: memory climbing towards its limit, error lines per minute, restart rate. */
import test from 'ava';
import { minutesToLimit, oom, slope } from '../../../src/triage/analyzers/oom.js';
import { errorRate } from '../../../src/triage/analyzers/logs.js';
import { Snapshot } from '../../../src/triage/snapshot.js';

const Mi = 1024 * 1024;

test('memory climbing 10 MiB/min from 100 MiB towards 256 MiB → ~16 min left', (t) => {
  const s = Array.from({ length: 7 }, (_, i) => [i * 10_000, 100 * Mi + (i * 10 * Mi) / 6] as [number, number]);
  t.is(Math.round(slope(s)), Math.round((10 * Mi) / 60));
  t.is(Math.round(minutesToLimit(s, 256 * Mi)!), 15);
});

test('a wobbling or falling working set is not a leak', (t) => {
  t.is(minutesToLimit([[0, 100 * Mi], [10_000, 100 * Mi + 200]], 128 * Mi), undefined);
  t.is(minutesToLimit([[0, 100 * Mi], [10_000, 90 * Mi]], 128 * Mi), undefined);
});

test('oom analyzer: a pod with a climbing series and a limit → "OOM likely within ~N min" on its Deployment', (t) => {
  const now = Date.parse('2026-12-02T20:00:00Z');
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'cache-7d9f-abcde', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cache-7d9f', uid: 'u1', controller: true }] },
    spec: { containers: [{ name: 'app', image: 'redis', resources: { limits: { memory: '256Mi' } } }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] },
  };
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'cache-7d9f', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'cache', uid: 'u0', controller: true }] } };
  const memory = new Map([['shop/cache-7d9f-abcde', [[now - 60_000, 200 * Mi], [now - 30_000, 210 * Mi], [now, 220 * Mi]] as Array<[number, number]>]]);
  const found = oom.analyze(new Snapshot({ objects: { pods: [pod], replicasets: [rs] }, memory, now }));
  t.is(found.length, 1);
  t.deepEqual(found[0]!.object, { kind: 'Deployment', namespace: 'shop', name: 'cache' });
  t.regex(found[0]!.summary, /OOM likely within ~2 min/);
  t.is(found[0]!.severity, 'medium');
});

test('error lines per minute from timestamped log lines', (t) => {
  const lines = [
    '2026-12-02T20:00:00Z GET / 200', '2026-12-02T20:00:30Z ERROR upstream timed out', '2026-12-02T20:01:00Z GET / 500',
    '2026-12-02T20:01:30Z GET / 200', '2026-12-02T20:02:00Z panic: nil map',
  ];
  const r = errorRate(lines)!;
  t.is(r.errors, 3);
  t.is(r.minutes, 2);
  t.is(r.perMinute, 1.5);
  t.is(errorRate(['no timestamps here']), undefined);
});
