import test from 'ava';
import { ObjectStore } from '../../../src/sim/storage.js';
import { ApiError } from '../../../src/sim/errors.js';
import { Registry } from '../../../src/sim/registry/index.js';
import { ApiCore } from '../../../src/sim/api/core.js';
import { seedDefaultServiceAccounts } from '../../../src/sim/api/bootstrap.js';
import { EventRecorder, toEventsV1 } from '../../../src/sim/api/events.js';
import { Discovery } from '../../../src/sim/api/discovery.js';
import { tableJson } from '../../../src/sim/api/tables.js';
import type { KObj } from '../../../src/sim/types.js';

function setup() {
  const store = new ObjectStore();
  const registry = new Registry();
  const core = new ApiCore(store, registry);
  seedDefaultServiceAccounts(store, core, registry); // the serviceaccount controller every cluster runs
  const rt = (g: string, r: string) => registry.forResource(g, r)!;
  core.create(rt('', 'namespaces'), undefined, { metadata: { name: 'default' } });
  return { store, registry, core, rt };
}

const deployment = (name = 'web'): KObj => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

test('create defaults like the apiserver; dry-run stores nothing and keeps the resourceVersion', (t) => {
  const { store, core, rt } = setup();
  const rv = store.resourceVersion;
  const dry = core.create(rt('apps', 'deployments'), 'default', deployment(), { dryRun: true });
  t.is(store.resourceVersion, rv);
  t.is(store.peek({ group: 'apps', resource: 'deployments' }, 'default', 'web'), undefined);
  t.deepEqual(dry.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  t.is(dry.spec.revisionHistoryLimit, 10);
  t.is(dry.spec.progressDeadlineSeconds, 600);
  t.is(dry.spec.template.spec.containers[0].imagePullPolicy, 'Always');
  const svc = core.create(rt('', 'services'), 'default', { metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  t.regex(svc.spec.clusterIP, /^10\.96\.\d+\.\d+$/);
  t.is(svc.spec.ports[0].targetPort, 80);
  t.true(svc.spec.ports[0].nodePort >= 30000);
  t.is(svc.spec.sessionAffinity, 'None');
  const pod = core.create(rt('', 'pods'), 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] }, status: { phase: 'Running' } });
  t.is(pod.status.phase, 'Pending', 'REST creates reset status');
  t.is(pod.spec.terminationGracePeriodSeconds, 30);
  t.is(pod.spec.enableServiceLinks, true);
  t.is(pod.status.qosClass, 'BestEffort');
});

test('validation: selector must match template labels; 422 with causes', (t) => {
  const { core, rt } = setup();
  const d = deployment();
  d.spec.template.metadata.labels = { app: 'other' };
  const e = t.throws(() => core.create(rt('apps', 'deployments'), 'default', d), { instanceOf: ApiError }) as ApiError;
  t.is(e.code, 422);
  t.is(e.message, 'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`');
  t.is(e.details!.causes![0]!.field, 'spec.template.metadata.labels');
});

test('update: stale resourceVersion → 409; status is kept from the stored object', (t) => {
  const { core, rt } = setup();
  const d = core.create(rt('apps', 'deployments'), 'default', deployment());
  core.update(rt('apps', 'deployments'), 'default', 'web', { ...d, status: { replicas: 7 } }, { subresource: 'status' });
  const fresh = core.get(rt('apps', 'deployments'), 'default', 'web');
  t.is(fresh.status.replicas, 7);
  const main = core.update(rt('apps', 'deployments'), 'default', 'web', { ...fresh, status: { replicas: 1 }, spec: { ...fresh.spec, replicas: 3 } });
  t.is(main.status.replicas, 7);
  t.is(main.metadata.generation, 2);
  const e = t.throws(() => core.update(rt('apps', 'deployments'), 'default', 'web', d), { instanceOf: ApiError }) as ApiError;
  t.is(e.code, 409);
  t.is(e.reason, 'Conflict');
});

test('server-side apply: create if missing, conflicts with another manager, force, and removal of unapplied fields', (t) => {
  const { core, rt } = setup();
  const cm = rt('', 'configmaps');
  const cfg = (data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });
  core.patch(cm, 'default', 'c', 'application/apply-patch+yaml', cfg({ a: '1', b: '2' }), { fieldManager: 'alice' });
  core.patch(cm, 'default', 'c', 'application/merge-patch+json', '{"data":{"a":"9"}}', { fieldManager: 'bob' });
  const e = t.throws(() => core.patch(cm, 'default', 'c', 'application/apply-patch+yaml', cfg({ a: '1', b: '2' }), { fieldManager: 'alice' }), { instanceOf: ApiError }) as ApiError;
  t.is(e.code, 409);
  t.is(e.message, 'Apply failed with 1 conflict: conflict with "bob" using v1: .data.a');
  const forced = core.patch(cm, 'default', 'c', 'application/apply-patch+yaml', cfg({ a: '1' }), { fieldManager: 'alice', force: true });
  t.deepEqual(forced.data, { a: '1' }, 'b was applied before by alice only, so it is removed');
  const managers = (forced.metadata.managedFields as Array<{ manager: string; operation: string }>).map((m) => `${m.manager}/${m.operation}`);
  t.deepEqual(managers, ['alice/Apply']);
});

test('delete: Orphan and Foreground add their finalizers, namespaces go Terminating', (t) => {
  const { store, core, rt } = setup();
  const rs = rt('apps', 'replicasets');
  const owner = core.create(rt('apps', 'deployments'), 'default', deployment());
  const mk = (name: string) => core.create(rs, 'default', {
    metadata: { name, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner.metadata.uid!, controller: true }] },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  mk('web-1');
  // Orphaning is the garbage collector's work: the API only adds the `orphan` finalizer.
  const orphan = core.delete(rt('apps', 'deployments'), 'default', 'web', { propagationPolicy: 'Orphan' });
  t.false(orphan.removed);
  t.deepEqual(orphan.object.metadata.finalizers, ['orphan']);
  t.truthy(orphan.object.metadata.deletionTimestamp);
  t.is(store.peek({ group: 'apps', resource: 'replicasets' }, 'default', 'web-1')!.metadata.ownerReferences?.length, 1);

  const owner2 = core.create(rt('apps', 'deployments'), 'default', deployment('api'));
  core.create(rs, 'default', {
    metadata: { name: 'api-1', labels: { app: 'api' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: owner2.metadata.uid!, controller: true }] },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  const fg = core.delete(rt('apps', 'deployments'), 'default', 'api', { propagationPolicy: 'Foreground' });
  t.false(fg.removed);
  t.deepEqual(fg.object.metadata.finalizers, ['foregroundDeletion']);
  t.truthy(fg.object.metadata.deletionTimestamp);

  core.create(rt('', 'namespaces'), undefined, { metadata: { name: 'gone' } });
  const ns = core.delete(rt('', 'namespaces'), undefined, 'gone');
  t.is(ns.object.status.phase, 'Terminating');
  const e = t.throws(() => core.create(rt('', 'configmaps'), 'gone', { metadata: { name: 'x' } }), { instanceOf: ApiError }) as ApiError;
  t.is(e.code, 403);
  const missing = t.throws(() => core.create(rt('', 'configmaps'), 'nowhere', { metadata: { name: 'x' } }), { instanceOf: ApiError }) as ApiError;
  t.is(missing.message, 'namespaces "nowhere" not found');
});

test('events: repeats are counted on one Event; the events.k8s.io view maps the fields', (t) => {
  const { store, core, rt } = setup();
  const rec = new EventRecorder(store);
  const pod = core.create(rt('', 'pods'), 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', { component: 'kubelet', host: 'n1' });
  rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', { component: 'kubelet', host: 'n1' });
  const evs = store.list({ group: '', resource: 'events' }, 'default').items;
  t.is(evs.length, 1);
  const e = evs[0]!;
  t.regex(e.metadata.name!, /^p\.[0-9a-f]+$/);
  t.is(e.count, 2);
  t.deepEqual(e.source, { component: 'kubelet', host: 'n1' });
  t.is(e.involvedObject.uid, pod.metadata.uid);
  const v1 = toEventsV1(e);
  t.is(v1.apiVersion, 'events.k8s.io/v1');
  t.is(v1.regarding.name, 'p');
  t.is(v1.note, 'Back-off restarting failed container');
  t.is(v1.series.count, 2);
  t.is(v1.reportingController, 'kubelet');
  const viaNew = core.list(rt('events.k8s.io', 'events'), 'default', { fieldSelector: 'regarding.name=p' });
  t.is(viaNew.items.length, 1);
});

test('discovery lists subresources and CRDs come and go', (t) => {
  const { core, registry, rt } = setup();
  const d = new Discovery(registry, () => []);
  const apps = d.resourceList('apps', 'v1');
  const scale = apps.resources.find((r: { name: string }) => r.name === 'deployments/scale');
  t.deepEqual({ group: scale.group, version: scale.version, kind: scale.kind }, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  const pods = d.resourceList('', 'v1').resources.map((r: { name: string }) => r.name);
  for (const s of ['pods/log', 'pods/exec', 'pods/portforward', 'pods/status']) t.true(pods.includes(s), s);
  const deploy = apps.resources.find((r: { name: string }) => r.name === 'deployments');
  t.deepEqual(deploy.categories, ['all']);
  t.deepEqual(deploy.shortNames, ['deploy']);

  const crd = rt('apiextensions.k8s.io', 'customresourcedefinitions');
  core.create(crd, undefined, {
    metadata: { name: 'backups.velero.io' },
    spec: { group: 'velero.io', scope: 'Namespaced', names: { plural: 'backups', kind: 'Backup' }, versions: [{ name: 'v1', served: true, storage: true }] },
  });
  t.truthy(d.resourceList('velero.io', 'v1'));
  t.truthy(d.apiGroupList().groups.find((g: { name: string }) => g.name === 'velero.io'));
  const doc = d.openapiGroupVersion('velero.io', 'v1');
  const op = doc.paths['/apis/velero.io/v1/namespaces/{namespace}/backups/{name}'].patch;
  t.deepEqual(op['x-kubernetes-group-version-kind'], { group: 'velero.io', version: 'v1', kind: 'Backup' });
  t.true(op.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
  t.truthy(d.openapiRoot().paths['apis/velero.io/v1']);
  core.delete(crd, undefined, 'backups.velero.io');
  t.is(d.resourceList('velero.io', 'v1'), undefined);
});

test('tables: deployment and service columns and cells', (t) => {
  const { core, rt } = setup();
  const d = core.create(rt('apps', 'deployments'), 'default', { ...deployment(), spec: { ...deployment().spec, replicas: 3 } }, { keepStatus: true });
  const table = JSON.parse(tableJson(rt('apps', 'deployments'), [{ ...d, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }], { resourceVersion: '1' }));
  t.is(table.kind, 'Table');
  t.deepEqual(table.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}${c.priority ? '*' : ''}`),
    ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*']);
  t.deepEqual(table.rows[0].cells.filter((_: unknown, i: number) => i !== 4), ['web', '2/3', 3, 2, 'c', 'nginx', 'app=web']);
  t.is(table.rows[0].object.kind, 'PartialObjectMetadata');
  const svc = core.create(rt('', 'services'), 'default', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } });
  const st = JSON.parse(tableJson(rt('', 'services'), [svc], {}));
  t.deepEqual(st.rows[0].cells.slice(1, 5).map(String).map((s: string) => s.replace(/\d+\.\d+\.\d+\.\d+/, 'IP').replace(/:\d+\//, ':NP/')), ['LoadBalancer', 'IP', '<pending>', '443:NP/TCP']);
});

test('every namespace gets its default ServiceAccount and kube-root-ca.crt, recreated when deleted', async (t) => {
  const { startSim } = await import('../../../src/sim/index.js');
  const sim = await startSim({ apiOnly: true });
  t.teardown(() => sim.stop());
  const api = sim.ctx.api;
  api.create({ group: '', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  const tick = () => new Promise((r) => setImmediate(r));
  await tick();
  t.truthy(api.get({ group: '', resource: 'serviceaccounts' }, 'team', 'default'));
  t.regex(api.get({ group: '', resource: 'configmaps' }, 'team', 'kube-root-ca.crt')!.data['ca.crt'], /BEGIN CERTIFICATE/);
  api.delete({ group: '', resource: 'configmaps' }, 'team', 'kube-root-ca.crt');
  t.is(api.get({ group: '', resource: 'configmaps' }, 'team', 'kube-root-ca.crt'), undefined);
  await tick();
  t.truthy(api.get({ group: '', resource: 'configmaps' }, 'team', 'kube-root-ca.crt'));
});

test('a Secret\'s stringData is merged into data (base64) and never stored', (t) => {
  const { core, rt } = setup();
  const s = core.create(rt('', 'secrets'), 'default', {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { a: Buffer.from('1').toString('base64') }, stringData: { password: 'hunter2', a: '2' },
  } as KObj);
  t.is(s.stringData, undefined);
  t.deepEqual(s.data, { a: Buffer.from('2').toString('base64'), password: Buffer.from('hunter2').toString('base64') });
  t.is(s.type, 'Opaque');
});
