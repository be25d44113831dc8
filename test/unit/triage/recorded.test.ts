/**
 * The rules on RECORDED cluster states (test/fixtures/triage/*.json, written by test/support/triage-record.ts from
 * the embedded cluster running the fault set and the demo): category, the object named, root cause over symptom.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANALYZERS } from '../../../src/triage/analyzers/index.js';
import { analyze, publicFinding } from '../../../src/triage/diagnose.js';
import { explainObject } from '../../../src/triage/explain.js';
import { Snapshot, type RecordedSnapshot } from '../../../src/triage/snapshot.js';
import { CATEGORIES, type Finding } from '../../../src/triage/types.js';
import { FAULTS } from '../../support/triage-faults.js';

const load = (name: string) => Snapshot.fromRecord(JSON.parse(readFileSync(join('test', 'fixtures', 'triage', `${name}.json`), 'utf8')) as RecordedSnapshot);
const faults = load('faults');
const found = analyze(faults);
const named = (cat: string, kind: string, ns: string | undefined, name: string) => found.find((f) => f.category === cat && f.object.kind === kind && f.object.name === name && f.object.namespace === ns);

test('one analyzer per category of the fixed vocabulary, each with its explanation', (t) => {
  t.deepEqual([...ANALYZERS.map((a) => a.category)].sort(), [...CATEGORIES].sort());
  for (const a of ANALYZERS) t.true(a.explain.length > 80, a.category);
});

for (const f of FAULTS) {
  test(`recorded ${f.category}: names ${f.object.kind}/${f.object.name}`, (t) => {
    const ns = f.object.namespace === null ? undefined : f.object.namespace ?? f.namespace;
    const hit = named(f.category, f.object.kind, ns, f.object.name);
    t.truthy(hit, JSON.stringify(found.filter((x) => x.object.namespace === f.namespace).map((x) => [x.category, x.object])));
    t.true((hit?.evidence.length ?? 0) > 0);
    // Exactly one root finding per fault namespace: symptoms are folded beneath it.
    const roots = found.filter((x) => x.object.namespace === f.namespace);
    t.true(roots.length <= 1, JSON.stringify(roots.map((x) => [x.category, x.object])));
  });
}

test('recorded: the Deployment is named, never one of its pods or ReplicaSets', (t) => {
  t.false(found.some((f) => f.object.kind === 'Pod' || f.object.kind === 'ReplicaSet'), JSON.stringify(found.map((f) => f.object)));
});

test('recorded: a crash-looping Deployment behind a Service → crashloop root, no-endpoints listed beneath it', (t) => {
  const f = named('crashloop', 'Deployment', 't-crash', 'checkout')!;
  t.deepEqual(f.symptoms.map((s) => [s.category, s.object.kind, s.object.name]), [['no-endpoints', 'Service', 'checkout']]);
  t.false(found.some((x) => x.category === 'no-endpoints' && x.object.namespace === 't-crash'));
  t.regex(f.summary, /exits with code 3/);
});

test('recorded: a Pending pod waiting on an unbound claim → pvc-pending on the claim, the pod\'s scheduling beneath it', (t) => {
  const f = named('pvc-pending', 'PersistentVolumeClaim', 't-pvc', 'data')!;
  t.regex(f.summary, /StorageClass fast-ssd does not exist/);
  t.true(f.symptoms.some((s) => s.category === 'unschedulable' && s.object.kind === 'Deployment' && s.object.name === 'db'));
});

test('recorded: spec-reading rules name the Role lacking a verb, the policy cutting a client off, the Service with the wrong targetPort', (t) => {
  t.regex(named('rbac-forbidden', 'Role', 't-rbac', 'pod-reader')!.summary, /not 'list'/);
  t.regex(named('network-policy', 'NetworkPolicy', 't-netpol', 'db-ingress')!.summary, /blocks Deployment billing from Service db/);
  t.regex(named('port-mismatch', 'Service', 't-port', 'catalog')!.summary, /targetPort 9090 matches no container port/);
  t.regex(named('hpa-broken', 'Deployment', 't-hpa', 'search')!.summary, /no cpu request/);
  t.regex(named('missing-config', 'Deployment', 't-config', 'frontend')!.summary, /ConfigMap frontend-config not found/);
});

test('recorded: the fixed cluster has no findings', (t) => {
  t.deepEqual(analyze(load('fixed')).map((f) => [f.category, f.object]), []);
});

test('recorded node-down: the node is the root cause, the evicted pods its symptom', (t) => {
  const s = load('node-down');
  const all = analyze(s);
  const node = all.find((f) => f.category === 'node-unhealthy')!;
  t.deepEqual(node.object, { kind: 'Node', name: 'kai-node-1' });
  t.is(node.severity, 'critical');
  t.true(node.symptoms.some((x) => x.category === 'evicted' && x.object.name === 'web'));
  t.false(all.some((f) => f.category === 'evicted'));
});

test('recorded demo: the demo\'s faults, each on the object to fix; the Argo CD app under the crash loop that degrades it', (t) => {
  const all = analyze(load('demo'));
  const has = (c: string, kind: string, ns: string | undefined, name: string) => all.some((f) => f.category === c && f.object.kind === kind && f.object.namespace === ns && f.object.name === name);
  t.true(has('crashloop', 'Deployment', 'jokes', 'jokes-api'));
  t.true(has('oom', 'Deployment', 'jokes', 'jokes-cache'));
  t.true(has('image-pull', 'Deployment', 'shop', 'recommendations'));
  t.true(has('unschedulable', 'Deployment', 'batch', 'ml-trainer'));
  t.true(has('no-endpoints', 'Service', 'shop', 'payments'));
  t.true(has('job-failed', 'Job', 'batch', 'nightly-report'));
  t.true(has('node-unhealthy', 'Node', undefined, 'kai-node-3'));
  const crash = all.find((f) => f.category === 'crashloop')!;
  t.true(crash.symptoms.some((s) => s.category === 'gitops-degraded' && s.object.name === 'jokes'));
  t.regex(all.find((f) => f.category === 'unschedulable')!.summary, /48Gi memory; the largest node has/);
});

test('publicFinding keeps exactly the JSON shape of the issue', (t) => {
  const j = publicFinding(found[0]!);
  t.deepEqual(Object.keys(j), ['category', 'severity', 'object', 'summary', 'evidence', 'symptoms']);
  t.deepEqual(Object.keys(publicFinding(named('pvc-pending', 'PersistentVolumeClaim', 't-pvc', 'data')!).object), ['kind', 'namespace', 'name']);
});

test('explain on a pod of a crash-looping Deployment: the Deployment\'s finding, its evidence with the previous container\'s log, the rule', (t) => {
  const pod = faults.inNamespace('pods', 't-crash')[0]!;
  const ex = explainObject(faults, { kind: 'Pod', namespace: 't-crash', name: pod.metadata.name }, found);
  t.deepEqual(ex.object, { kind: 'Deployment', namespace: 't-crash', name: 'checkout' });
  t.is(ex.findings[0]?.category, 'crashloop');
  t.true(ex.evidence.logs.some((l) => l.previous && l.lines.length > 0), JSON.stringify(ex.evidence.logs.map((l) => [l.container, l.previous, l.lines.length])));
  t.true(ex.evidence.related.some((r) => r.kind === 'Service' && r.name === 'checkout'));
  t.true(ex.rules.some((r) => r.category === 'crashloop' && /CrashLoopBackOff/.test(r.explanation)));
});

test('ranking: severity first, then freshness', (t) => {
  const order = found.map((f: Finding) => f.severity);
  const rank = { critical: 0, high: 1, medium: 2, low: 3 } as const;
  for (let i = 1; i < order.length; i++) t.true(rank[order[i - 1]!] <= rank[order[i]!]);
});
