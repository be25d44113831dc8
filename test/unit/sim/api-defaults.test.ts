import test from 'ava';
import { ObjectStore } from '../../../src/sim/storage.js';
import { Registry } from '../../../src/sim/registry/index.js';
import { ApiCore } from '../../../src/sim/api/core.js';
import { seedDefaultServiceAccounts } from '../../../src/sim/api/bootstrap.js';

function setup() {
  const store = new ObjectStore();
  const registry = new Registry();
  const core = new ApiCore(store, registry);
  seedDefaultServiceAccounts(store, core, registry); // the serviceaccount controller every cluster runs
  core.create(registry.forResource('', 'namespaces')!, undefined, { metadata: { name: 'default' } });
  return { core, pods: registry.forResource('', 'pods')! };
}

test('pods get the ServiceAccount admission token volume, mounted read-only in every container', (t) => {
  const { core, pods } = setup();
  const p = core.create(pods, 'default', { metadata: { name: 'web' }, spec: { initContainers: [{ name: 'init', image: 'busybox:1.36' }], containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  const vols = p.spec.volumes as Array<Record<string, any>>;
  t.is(vols.length, 1);
  t.regex(vols[0]!.name, /^kube-api-access-[a-z0-9]{5}$/);
  t.deepEqual(vols[0]!.projected.sources.map((s: Record<string, unknown>) => Object.keys(s)[0]), ['serviceAccountToken', 'configMap', 'downwardAPI']);
  for (const c of [...p.spec.initContainers, ...p.spec.containers]) {
    t.deepEqual(c.volumeMounts, [{ name: vols[0]!.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  }
  // An update keeps it as it is (admission runs on create only).
  const again = core.update(pods, 'default', 'web', p);
  t.deepEqual(again.spec.volumes, p.spec.volumes);
});

test('automountServiceAccountToken: false → no token volume', (t) => {
  const { core, pods } = setup();
  const p = core.create(pods, 'default', { metadata: { name: 'web' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  t.is(p.spec.volumes, undefined);
  t.is(p.spec.containers[0].volumeMounts, undefined);
});

test('a Job without labels takes its template labels, with the generated controller-uid and job-name', (t) => {
  const store = new ObjectStore();
  const registry = new Registry();
  const core = new ApiCore(store, registry);
  seedDefaultServiceAccounts(store, core, registry); // the serviceaccount controller every cluster runs
  core.create(registry.forResource('', 'namespaces')!, undefined, { metadata: { name: 'default' } });
  const jobs = registry.forResource('batch', 'jobs')!;
  const j = core.create(jobs, 'default', { metadata: { name: 'report' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } });
  t.deepEqual(j.metadata.labels, {
    'batch.kubernetes.io/controller-uid': j.metadata.uid, 'batch.kubernetes.io/job-name': 'report', 'controller-uid': j.metadata.uid, 'job-name': 'report',
  });
  const labelled = core.create(jobs, 'default', { metadata: { name: 'mine', labels: { team: 'data' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } });
  t.deepEqual(labelled.metadata.labels, { team: 'data' });
});
