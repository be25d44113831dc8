/** The port-forward rule: trouble the cockpit's proxy measured, named on the workload, folded under the pods' own fault. */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/triage/diagnose.js';
import { Snapshot, type RecordedSnapshot } from '../../../src/triage/snapshot.js';
import type { ForwardSignal } from '../../../src/triage/types.js';

const record = (name: string) => JSON.parse(readFileSync(join('test', 'fixtures', 'triage', `${name}.json`), 'utf8')) as RecordedSnapshot;
const issue = (kind: string, message: string, active = true): ForwardSignal['issues'][number] =>
  ({ kind, severity: kind === 'slow-first-byte' ? 'warning' : 'error', message, active, firstSeen: '2026-12-03T09:00:00.000Z', lastSeen: '2026-12-03T09:00:05.000Z' });

test('a 5xx burst on a forward to a healthy workload is a finding on that workload', (t) => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-7d9f-abcde', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f', uid: 'u1', controller: true }] },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] },
  };
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d9f', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u0', controller: true }] } };
  const forwards: ForwardSignal[] = [{ label: '127.0.0.1:8080 → svc/web:80', namespace: 'shop', kind: 'service', name: 'web', pod: 'web-7d9f-abcde',
    issues: [issue('5xx-burst', '5xx burst: 6 of 9 answers were 5xx in 10 s (last: 503 GET /fail)'), issue('resets', 'old reset', false)] }];
  const found = analyze(new Snapshot({ objects: { pods: [pod], replicasets: [rs] }, forwards }));
  t.is(found.length, 1);
  t.is(found[0]!.category, 'port-forward');
  t.deepEqual(found[0]!.object, { kind: 'Deployment', namespace: 'shop', name: 'web' });
  t.is(found[0]!.severity, 'high');
  t.regex(found[0]!.summary, /through port-forward 127\.0\.0\.1:8080 → svc\/web:80: 5xx burst: 6 of 9/);
  t.false(found[0]!.evidence.some((e) => /old reset/.test(e)), 'an issue that cleared is not evidence');
  // Nothing active: no finding.
  const quiet = analyze(new Snapshot({ objects: { pods: [pod], replicasets: [rs] }, forwards: [{ ...forwards[0]!, issues: [issue('resets', 'x', false)] }] }));
  t.is(quiet.length, 0);
});

test('resets on a forward to a crash-looping pod are a symptom of the crash loop, not a second root', (t) => {
  const r = record('faults');
  const pod = r.objects.pods!.find((p) => p.metadata.namespace === 't-crash')!;
  const forwards: ForwardSignal[] = [{ label: '127.0.0.1:9000 → svc/checkout:80', namespace: 't-crash', kind: 'service', name: 'checkout', pod: pod.metadata.name,
    issues: [issue('resets', '3 connections reset in the last minute (last: connection reset by the pod)')] }];
  const base = Snapshot.fromRecord(r);
  const s = new Snapshot({ objects: r.objects, logs: base.logs, memory: base.memory, now: r.now, forwards });
  const roots = analyze(s).filter((f) => f.object.namespace === 't-crash');
  t.is(roots.length, 1, JSON.stringify(roots.map((f) => [f.category, f.object])));
  t.is(roots[0]!.category, 'crashloop');
  t.true(roots[0]!.symptoms.some((x) => x.category === 'port-forward' && /3 connections reset/.test(x.summary)), JSON.stringify(roots[0]!.symptoms));
});
