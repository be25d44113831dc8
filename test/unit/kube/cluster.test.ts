/**
 * The cluster side against the real embedded cluster over HTTPS: discovery (CRDs included),
 * collections that follow ADDED/MODIFIED/DELETED, relist after 410 with no ghost rows, a server
 * restart, and a kind forbidden by RBAC. A small gate proxy sits in front of the sim where a
 * test needs to cut, hold or forbid traffic.
 */
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type RunningSim } from '../../../src/sim/index.js';
import { startTestSim, type TestSim } from '../../support/sim.js';
import { generateTls } from '../../../src/sim/tls.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { connect, type ConnectOptions, type KubeCluster } from '../../../src/kube/cluster.js';
import type { Collection, Reachability } from '../../../src/kube/types.js';
import { startGateProxy, type GateProxy } from './gate-proxy.js';

const FAST: ConnectOptions = {
  probeIntervalMs: 200,
  probeTimeoutMs: 2000,
  crdSettleMs: 50,
  informer: { backoff: { initialMs: 50, maxMs: 400 }, slowRetryMs: 60_000 },
};

function tmp(t: ExecutionContext): string {
  const d = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** The embedded cluster; API only (no controllers) keeps these tests quick. */
async function sim(t: ExecutionContext, opts: Parameters<typeof startSim>[0] = {}): Promise<RunningSim> {
  return (await startTestSim(t, { apiOnly: true, ...opts })).sim;
}

/** Connects like the cockpit does: through a kubeconfig file. */
async function cluster(t: ExecutionContext, kubeconfigYaml: string, opts: ConnectOptions = FAST): Promise<{ c: KubeCluster; kubeconfig: string }> {
  const kubeconfig = join(tmp(t), 'kubeconfig.yaml');
  writeFileSync(kubeconfig, kubeconfigYaml, { mode: 0o600 });
  const c = await connect(loadKubeConfig({ kubeconfig }, {})!, opts);
  t.teardown(() => c.close());
  return { c, kubeconfig };
}

/** A kubeconfig for the gate proxy: its own CA, the sim's token. */
async function proxied(t: ExecutionContext, s: RunningSim): Promise<{ proxy: GateProxy; yaml: string }> {
  const tls = await generateTls();
  const proxy = await startGateProxy(s.url, tls);
  t.teardown(() => proxy.close());
  const yaml = s.kubeconfigYaml().replace(s.url, proxy.url).replace(/certificate-authority-data: .*/, `certificate-authority-data: ${Buffer.from(tls.caPem).toString('base64')}`);
  return { proxy, yaml };
}

function until(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for: ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

async function kubectl(ts: TestSim, ...args: string[]): Promise<string> {
  const r = await ts.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Names in the collection, without the kube-root-ca.crt ConfigMap every namespace has. */
const names = (c: Collection) => [...c.items().keys()].filter((k) => !k.endsWith('/kube-root-ca.crt')).sort();
const cm = (name: string, ns = 'default') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { k: name } });
const CM = { group: '', resource: 'configmaps' };

test('discovery lists built-ins; a CRD created later appears; capabilities', async (t) => {
  const ts = await startTestSim(t, { apiOnly: true });
  const s = ts.sim;
  const { c } = await cluster(t, s.kubeconfigYaml());
  t.true(c.reachability().ok);
  for (const [q, want] of [['po', '/v1/pods'], ['deploy', 'apps/v1/deployments'], ['svc', '/v1/services'], ['events', '/v1/events'], ['no', '/v1/nodes'], ['crd', 'apiextensions.k8s.io/v1/customresourcedefinitions']]) {
    const k = c.resolveKind(q!);
    t.is(k ? `${k.group}/${k.version}/${k.resource}` : undefined, want, q);
  }
  t.false(c.kinds().some((k) => k.resource.includes('/')), 'no subresources');
  t.false(c.resolveKind('po')!.namespaced === false);
  t.false(c.resolveKind('nodes')!.namespaced);
  t.is(c.capabilities().keda, false);

  let kindsChanged = 0;
  c.onKindsChange(() => kindsChanged++);
  const crd = join(tmp(t), 'crd.yaml');
  writeFileSync(crd, `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: scaledobjects.keda.sh}
spec:
  group: keda.sh
  scope: Namespaced
  names: {plural: scaledobjects, singular: scaledobject, kind: ScaledObject, shortNames: [so]}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`);
  await kubectl(ts, 'apply', '-f', crd);
  await until('the CRD kind in discovery', () => c.resolveKind('so') !== undefined);
  t.true(kindsChanged >= 1);
  const so = c.resolveKind('scaledobjects.keda.sh')!;
  t.is(so.kind, 'ScaledObject');
  t.true(c.capabilities().keda, 'KEDA detected from its CRD');

  const col = c.watch(so, 'default');
  t.teardown(() => col.close());
  await until('synced', () => col.state().phase === 'synced');
  s.ctx.api.create({ group: 'keda.sh', resource: 'scaledobjects' }, { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: 'default' }, spec: {} });
  await until('the custom object', () => col.items().has('default/web'));
});

test('a collection follows ADDED / MODIFIED / DELETED made with kubectl; objects are trimmed', async (t) => {
  const ts = await startTestSim(t, { apiOnly: true });
  const s = ts.sim;
  const { c } = await cluster(t, s.kubeconfigYaml());
  const col = c.watch(c.resolveKind('configmaps')!, 'default');
  t.teardown(() => col.close());
  await until('synced', () => col.state().phase === 'synced');
  const before = col.version;
  let calls = 0;
  col.onChange(() => calls++);

  const file = join(tmp(t), 'one.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one, namespace: default}\ndata: {a: "1"}\n');
  await kubectl(ts, 'apply', '-f', file);
  await until('ADDED', () => col.items().has('default/one'));
  t.true(col.version > before);
  t.true(calls > 0);
  const one = col.items().get('default/one')!;
  t.is(one.kind, 'ConfigMap');
  t.is(one.apiVersion, 'v1');
  t.is(one.metadata.managedFields, undefined, 'managedFields trimmed');

  await kubectl(ts, 'label', 'configmap', 'one', 'tier=web');
  await until('MODIFIED', () => col.items().get('default/one')?.metadata.labels?.tier === 'web');

  await kubectl(ts, 'delete', 'configmap', 'one');
  await until('DELETED', () => !col.items().has('default/one'));

  // Objects in other namespaces stay out; an all-namespaces collection sees them.
  s.ctx.api.create({ group: '', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  s.ctx.api.create(CM, cm('elsewhere', 'other'));
  const all = c.watch(c.resolveKind('cm')!);
  t.teardown(() => all.close());
  await until('all namespaces', () => all.items().has('other/elsewhere'));
  t.false(col.items().has('other/elsewhere'));
});

test('shared collections are reference-counted', async (t) => {
  const s = await sim(t);
  const { c } = await cluster(t, s.kubeconfigYaml());
  const kind = c.resolveKind('configmaps')!;
  const base = c.activeWatches(); // the internal CRD watch
  const a = c.watch(kind, 'default');
  const b = c.watch(kind, 'default');
  const other = c.watch(kind, 'kube-system');
  t.is(c.activeWatches() - base, 2, 'one watch for the two handles on default');
  await until('synced', () => a.state().phase === 'synced' && b.state().phase === 'synced');
  t.is(a.items(), b.items());
  a.close();
  a.close();
  t.is(c.activeWatches() - base, 2, 'still watched by b');
  b.close();
  other.close();
  t.is(c.activeWatches(), base);
});

test('after compaction and dropped watches: 410 → relist, no ghost rows', async (t) => {
  const s = await sim(t);
  const { proxy, yaml } = await proxied(t, s);
  // Watches end cleanly every second and resume from their resourceVersion.
  const { c } = await cluster(t, yaml, { ...FAST, informer: { ...FAST.informer, watchTimeoutSeconds: () => 1 } });
  for (const n of ['a', 'b', 'c']) s.ctx.api.create(CM, cm(n));
  const col = c.watch(c.resolveKind('configmaps')!, 'default');
  t.teardown(() => col.close());
  await until('a, b, c', () => names(col).join() === 'default/a,default/b,default/c');

  // The next resume waits at the gate; then the cluster moves on and forgets its history.
  const seenBefore = proxy.seen.length;
  proxy.holdWatches(true);
  await until('a held watch', () => proxy.seen.slice(seenBefore).some((r) => r.includes('watch=true')));
  s.ctx.api.delete(CM, 'default', 'b');
  s.ctx.api.create(CM, cm('d'));
  s.ctx.store.compact();
  t.true(col.items().has('default/b'), 'b is still cached: no watch has told us yet');
  proxy.holdWatches(false);

  await until('converged to a, c, d', () => names(col).join() === 'default/a,default/c,default/d');
  const after = proxy.seen.slice(seenBefore);
  t.true(after.some((r) => r.startsWith('GET /api/v1/namespaces/default/configmaps?limit=')), 'listed again after 410');
  t.is(col.state().phase, 'synced');
});

test('the API server goes away and comes back as a new server: reachability, reconnect, converge', async (t) => {
  const s1 = await sim(t, { token: 'restart-token' });
  const { proxy, yaml } = await proxied(t, s1);
  const { c } = await cluster(t, yaml);
  const changes: Reachability[] = [];
  c.onReachabilityChange((r) => changes.push(r));
  for (const n of ['old-1', 'old-2']) s1.ctx.api.create(CM, cm(n));
  const col = c.watch(c.resolveKind('configmaps')!, 'default');
  t.teardown(() => col.close());
  await until('old objects', () => names(col).join() === 'default/old-1,default/old-2');

  await proxy.shut();
  await s1.stop();
  await until('unreachable', () => !c.reachability().ok);
  const down = c.reachability();
  t.false(down.ok);
  t.regex(!down.ok ? down.message : '', /^cannot reach https:\/\/127\.0\.0\.1:\d+: connection (refused|to .* was reset)/);
  await until('collection reconnecting', () => col.state().phase === 'reconnecting');
  t.is(names(col).join(), 'default/old-1,default/old-2', 'the last data stays visible while down');

  const s2 = await sim(t, { token: 'restart-token' });
  s2.ctx.api.create(CM, cm('new-1'));
  proxy.retarget(s2.url);
  await proxy.open();
  await until('reachable again', () => c.reachability().ok);
  await until('converged to the new server', () => names(col).join() === 'default/new-1');
  t.is(col.state().phase, 'synced');
  t.true(changes.some((r) => !r.ok) && changes.at(-1)!.ok);
  s2.ctx.api.create(CM, cm('new-2'));
  await until('watching the new server', () => col.items().has('default/new-2'));
});

test('RBAC forbidden on one kind: that collection says forbidden, others work, no retry storm', async (t) => {
  const s = await sim(t);
  const { proxy, yaml } = await proxied(t, s);
  proxy.forbid(/\/secrets$/);
  const { c } = await cluster(t, yaml);
  const secrets = c.watch(c.resolveKind('secrets')!);
  const cms = c.watch(c.resolveKind('configmaps')!, 'default');
  t.teardown(() => {
    secrets.close();
    cms.close();
  });
  await until('forbidden', () => secrets.state().phase === 'forbidden');
  t.is(secrets.state().message, 'forbidden: secrets is forbidden: User "system:serviceaccount:default:viewer" cannot list resource "secrets" in API group "" at the cluster scope');
  s.ctx.api.create(CM, cm('fine'));
  await until('configmaps still work', () => cms.items().has('default/fine'));
  t.true(c.reachability().ok, 'a 403 is not an outage');
  t.is(proxy.seen.filter((r) => r.includes('/secrets')).length, 1, 'one attempt; the next waits slowRetryMs (60 s)');
});

test('the sim restarts on the same port with the same identity: the collection reconnects and converges', async (t) => {
  const s1 = await startSim({ apiOnly: true });
  let s2: RunningSim | undefined;
  t.teardown(async () => {
    await s1.stop();
    await s2?.stop();
  });
  const { c } = await cluster(t, s1.kubeconfigYaml());
  for (const n of ['before-1', 'before-2']) s1.ctx.api.create(CM, cm(n));
  const col = c.watch(c.resolveKind('configmaps')!, 'default');
  t.teardown(() => col.close());
  await until('first objects', () => names(col).join() === 'default/before-1,default/before-2');

  await s1.stop();
  await until('unreachable', () => !c.reachability().ok);
  s2 = await startSim({ apiOnly: true, port: Number(new URL(s1.url).port), tls: s1.tls, token: s1.token });
  s2.ctx.api.create(CM, cm('after'));
  await until('converged after the restart', () => names(col).join() === 'default/after');
  await until('reachable', () => c.reachability().ok);
  t.is(col.state().phase, 'synced');
});

test('connect() with the server down: unreachable and no kinds, then discovery when it comes up', async (t) => {
  const s = await sim(t);
  const { proxy, yaml } = await proxied(t, s);
  await proxy.shut();
  const { c } = await cluster(t, yaml);
  const r = c.reachability();
  t.false(r.ok);
  t.regex(!r.ok ? r.message : '', /^cannot reach https:\/\/127\.0\.0\.1:\d+: connection refused by 127\.0\.0\.1:\d+$/);
  t.deepEqual(c.kinds(), []);
  let told = 0;
  c.onKindsChange(() => told++);
  await proxy.open();
  await until('kinds discovered', () => c.resolveKind('pods') !== undefined);
  await until('reachable', () => c.reachability().ok);
  t.true(told >= 1);

  const kubeconfig = join(tmp(t), 'kc.yaml');
  writeFileSync(kubeconfig, yaml);
  await proxy.shut();
  await t.throwsAsync(connect(loadKubeConfig({ kubeconfig }, {})!, { ...FAST, requireReachable: true }), { message: /connection refused/ });
});

test('metrics-server capability when the cluster serves metrics.k8s.io (full sim)', async (t) => {
  const ts = await startTestSim(t, { scenario: 'empty' });
  const { c } = await cluster(t, ts.sim.kubeconfigYaml());
  t.true(c.capabilities().metrics);
  t.deepEqual(c.discoveryFailures(), []);
  t.is(c.resolveKind('pods')!.group, '', 'core pods win over metrics.k8s.io pods');
  t.truthy(c.resolveKind('pods.metrics.k8s.io'));
});
