/**
 * The official Python client (Debian's python3-kubernetes, installed by .ci/run) against the
 * embedded cluster: watch=True streams, remainingItemCount is unset with a selector, exec with
 * stdin (sent as WebSocket text frames) returns the exit code.
 */
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestSim } from '../support/sim.js';

const PY = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../test/e2e/python/client.py', import.meta.url));
const available = (() => { try { execFileSync(PY, ['-c', 'import kubernetes'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const maybe = available ? test : test.skip;

/** Runs the client in a child process (the embedded cluster serves from this one, so never spawnSync). */
function py(kubeconfig: string, ns: string, ...checks: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PY, [SCRIPT, kubeconfig, ns, ...checks], { timeout: 60_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`python client failed (${code}): ${err.slice(-1500)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

maybe('watch=True streams events; remainingItemCount is unset with a selector', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty' });
  await c.kubectl(['create', 'namespace', 'py']);
  for (const n of ['a', 'b', 'c']) await c.kubectl(['create', 'configmap', n, '-n', 'py', '--from-literal=k=v']);
  await c.kubectl(['label', 'configmap', 'a', 'b', 'team=x', '-n', 'py']);
  const r = await py(c.kubeconfig, 'py', 'watch', 'remaining');
  t.deepEqual(r.watch, [['ADDED', 'a'], ['ADDED', 'b']]);
  t.deepEqual(r.remaining, [null, 3, true]); // 4 ConfigMaps with kube-root-ca.crt
});

maybe('a watch resumed from a resourceVersion with a selector: created → ADDED, selector transitions → ADDED/DELETED', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty' });
  const yaml = ['a', 'b', 'c'].map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, namespace: py, labels: {team: ${n === 'c' ? 'z' : 'x'}}}\ndata: {k: v}\n`).join('---\n');
  t.is((await c.kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Namespace\nmetadata: {name: py}\n---\n${yaml}` })).code, 0);
  const r = await py(c.kubeconfig, 'py', 'resume');
  t.deepEqual(r.resume, [
    ['ADDED', 'late', 'x'],
    ['DELETED', 'a', 'x'], // left the selector: the old content, as the apiserver's cacher sends it
    ['ADDED', 'c', 'x'],
    ['MODIFIED', 'c', 'x'],
    ['ADDED', 'tmp', 'x'],
    ['DELETED', 'tmp', 'x'],
  ]);
});

maybe('schema errors as the client sees them: pruning by default, 422 causes, Strict 400, ConfigMap key in both bags', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', apiOnly: true });
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'crontabs.stable.example.com' },
    spec: { group: 'stable.example.com', scope: 'Namespaced', names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' }, replicas: { type: 'integer' } } } } } } }] } };
  t.is((await c.kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Namespace\nmetadata: {name: py}\n---\n${JSON.stringify(crd)}` })).code, 0);
  const r = (await py(c.kubeconfig, 'py', 'schema')).schema as Record<string, unknown>;
  t.deepEqual(r.pruned, { cronSpec: '* * * * */5' });
  t.deepEqual(r.type, [422, 'Invalid', 'CronTab.stable.example.com "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    [{ reason: 'FieldValueTypeInvalid', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"', field: 'spec.replicas' }]]);
  t.deepEqual(r.strict, [400, 'BadRequest', 'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.replica"', null]);
  t.deepEqual(r.configmap, [422, 'Invalid', 'ConfigMap "both" is invalid: [data[k]: Invalid value: "k": duplicate of key present in binaryData, binaryData[k]: Invalid value: "k": duplicate of key present in data]', [
    { reason: 'FieldValueInvalid', message: 'Invalid value: "k": duplicate of key present in binaryData', field: 'data[k]' },
    { reason: 'FieldValueInvalid', message: 'Invalid value: "k": duplicate of key present in data', field: 'binaryData[k]' },
  ]]);
});

maybe('exec with stdin returns the output and the exit code', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  await c.kubectl(['create', 'namespace', 'py']);
  await c.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '100' }, allocatable: { cpu: '8', memory: '16Gi', pods: '100' } } }) });
  await c.kubectl(['run', 'box', '-n', 'py', '--image', 'busybox:1.36', '--', 'sleep', '3600']);
  await c.kubectl(['wait', '--for=condition=Ready', 'pod/box', '-n', 'py', '--timeout=30s']);
  const r = await py(c.kubeconfig, 'py', 'exec');
  t.deepEqual(r.exec, ['got:hello\n', 3]);
});

const DELETE_YAML = `
apiVersion: v1
kind: Namespace
metadata: {name: py}
---
${['bg', 'fg', 'orph'].map((n) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${n}, namespace: py}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${n}}}
  template:
    metadata: {labels: {app: ${n}}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
`).join('---\n')}---
${['solo', 'keep'].map((n) => `apiVersion: v1
kind: Pod
metadata: {name: ${n}, namespace: py, labels: {app: ${n}}}
spec: {containers: [{name: main, image: busybox:1.36, command: [sleep, '3600']}]}
`).join('---\n')}`;

maybe('deletes: Status or the object as the registry answers; Foreground/Orphan through finalizers and the garbage collector', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  await c.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '100' }, allocatable: { cpu: '8', memory: '16Gi', pods: '100' } } }) });
  const applied = await c.kubectl(['apply', '-f', '-'], { input: DELETE_YAML });
  t.is(applied.code, 0, applied.stderr);
  for (const d of ['bg', 'fg', 'orph']) t.is((await c.kubectl(['rollout', 'status', `deploy/${d}`, '-n', 'py', '--timeout=30s'])).code, 0);
  await c.kubectl(['wait', '--for=condition=Ready', 'pod/solo', 'pod/keep', '-n', 'py', '--timeout=30s']);
  const rsOf = async () => JSON.parse((await c.kubectl(['get', 'rs', '-n', 'py', '-o', 'json'])).stdout).items as Array<{ metadata: { name: string; labels: Record<string, string>; ownerReferences?: unknown[] } }>;
  const before = await rsOf();
  t.is(before.length, 3);

  const r = (await py(c.kubeconfig, 'py', 'delete')).delete as Record<string, unknown[]>;
  t.deepEqual(r.configmap, [200, 'Status', 'Success', { name: 'gone', kind: 'configmaps' }]);
  t.true(r.configmap_uid as unknown as boolean);
  t.deepEqual(r.background!.slice(0, 3), [200, 'Status', 'Success']);
  t.like(r.background![3] as object, { name: 'bg', group: 'apps', kind: 'deployments' });
  t.deepEqual(r.foreground, [200, 'Deployment', ['foregroundDeletion'], true]);
  t.deepEqual(r.orphan, [200, 'Deployment', ['orphan'], true]);
  t.deepEqual(r.pod, ['V1Pod', true]);
  t.deepEqual(r.orphan_dependents_false, [202, 'Pod', [], true]);

  // The garbage collector finishes: bg's and fg's ReplicaSets go, orph's stays without an owner.
  let rs = await rsOf();
  for (let i = 0; i < 100 && (rs.length !== 1 || rs[0]!.metadata.ownerReferences); i++) {
    await new Promise((f) => setTimeout(f, 200));
    rs = await rsOf();
  }
  t.is(rs.length, 1);
  t.is(rs[0]!.metadata.labels.app, 'orph');
  t.is(rs[0]!.metadata.ownerReferences, undefined);
  const deploys = await c.kubectl(['get', 'deploy', '-n', 'py', '--no-headers']);
  t.is(deploys.stdout.trim(), '', deploys.stderr);
});
