import test from 'ava';
import { deployment, eventsFor, GR, startHarness, until } from './controllers-harness.js';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KObj = any;

const REV = 'deployment.kubernetes.io/revision';

test('a Deployment gets a ReplicaSet with pod-template-hash and Ready pods, then reports Available', async (t) => {
  const h = startHarness();
  t.teardown(() => h.stop());
  h.api.create(GR.deployments, deployment('web', 3));
  const d = await until('deployment available', () => {
    const x = h.ctx.store.peek(GR.deployments, 'default', 'web');
    return x?.status?.availableReplicas === 3 && x.status.conditions?.find((c: KObj) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable' ? x : undefined;
  });
  t.is(d.status.observedGeneration, d.metadata.generation);
  t.is(d.status.updatedReplicas, 3);
  t.is(d.status.readyReplicas, 3);
  const avail = d.status.conditions.find((c: KObj) => c.type === 'Available');
  t.is(avail.status, 'True');
  t.is(avail.reason, 'MinimumReplicasAvailable');
  t.is(d.metadata.annotations![REV], '1');
  const rss = h.ctx.store.list(GR.replicasets, 'default').items;
  t.is(rss.length, 1);
  const rs = rss[0]!;
  const hash = rs.metadata.labels!['pod-template-hash'];
  t.regex(hash, /^[a-z0-9]{10}$/);
  t.is(rs.metadata.name, `web-${hash}`);
  t.is(rs.spec.selector.matchLabels['pod-template-hash'], hash);
  t.is(rs.metadata.annotations![REV], '1');
  t.deepEqual(rs.metadata.ownerReferences![0], { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true });
  const pods = h.ctx.store.list(GR.pods, 'default').items;
  t.is(pods.length, 3);
  for (const p of pods) {
    t.regex(p.metadata.name!, new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
    t.is(p.metadata.ownerReferences![0]!.uid, rs.metadata.uid as string);
    t.is(p.status.phase, 'Running');
    t.truthy(p.spec.nodeName);
  }
  const reasons = eventsFor(h, pods[0]!.metadata.name as string).map((e) => e.reason);
  for (const r of ['Scheduled', 'Pulled', 'Created', 'Started']) t.true(reasons.includes(r), `event ${r} in ${reasons}`);
  t.true(eventsFor(h, 'web').some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set web-${hash} from 0 to 3`));
});

test('changing the image rolls over to a new ReplicaSet within maxSurge/maxUnavailable, and undo goes back', async (t) => {
  const h = startHarness();
  t.teardown(() => h.stop());
  h.api.create(GR.deployments, deployment('api', 4, { annotations: {} }));
  await until('v1 ready', () => h.ctx.store.peek(GR.deployments, 'default', 'api')?.status?.availableReplicas === 4);
  let maxPods = 0;
  let minAvailable = 4;
  const unwatch = h.ctx.store.watch({ key: '*' }, undefined, () => {
    // maxSurge bounds the ReplicaSets' desired replicas (pods come and go asynchronously).
    const desired = h.ctx.store.list(GR.replicasets, 'default').items.reduce((s, r) => s + (r.spec.replicas ?? 0), 0);
    maxPods = Math.max(maxPods, desired);
    const active = h.ctx.store.list(GR.pods, 'default').items.filter((p) => !p.metadata.deletionTimestamp);
    const ready = active.filter((p) => p.status?.conditions?.some((c: KObj) => c.type === 'Ready' && c.status === 'True')).length;
    minAvailable = Math.min(minAvailable, ready);
  });
  t.teardown(unwatch);
  const cur = h.api.get(GR.deployments, 'default', 'api')!;
  cur.spec.template.spec.containers[0].image = 'nginx:1.28';
  cur.metadata.annotations = { ...(cur.metadata.annotations ?? {}), 'kubernetes.io/change-cause': 'set image to 1.28' };
  h.api.update(GR.deployments, cur);
  const d = await until('v2 rolled out', () => {
    const x = h.ctx.store.peek(GR.deployments, 'default', 'api');
    return x?.status?.updatedReplicas === 4 && x.status.availableReplicas === 4 && x.status.replicas === 4
      && x.status.observedGeneration === x.metadata.generation ? x : undefined;
  }, 15_000);
  t.is(d.metadata.annotations![REV], '2');
  // 25% of 4: surge 1, unavailable 1.
  t.true(maxPods <= 5, `at most 5 desired replicas at once, saw ${maxPods}`);
  t.true(minAvailable >= 3, `at least 3 ready pods at any time, saw ${minAvailable}`);
  const rss = h.ctx.store.list(GR.replicasets, 'default').items;
  t.is(rss.length, 2);
  const v2 = rss.find((r) => r.metadata.annotations![REV] === '2')!;
  const v1 = rss.find((r) => r.metadata.annotations![REV] === '1')!;
  t.is(v2.spec.replicas, 4);
  t.is(v1.spec.replicas, 0);
  t.is(v2.metadata.annotations!['kubernetes.io/change-cause'], 'set image to 1.28');
  // Rollback: the old template comes back; its ReplicaSet becomes revision 3 with history "1".
  const back = h.api.get(GR.deployments, 'default', 'api')!;
  back.spec.template = structuredClone(v1.spec.template);
  delete back.spec.template.metadata.labels!['pod-template-hash'];
  h.api.update(GR.deployments, back);
  const again = await until('rolled back', () => {
    const r = h.ctx.store.peek(GR.replicasets, 'default', v1.metadata.name!);
    const x = h.ctx.store.peek(GR.deployments, 'default', 'api');
    return r?.metadata.annotations?.[REV] === '3' && x?.status?.updatedReplicas === 4 && x.status.availableReplicas === 4 && x.status.replicas === 4 ? r : undefined;
  }, 15_000);
  t.is(again.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
  t.is(h.ctx.store.peek(GR.deployments, 'default', 'api')!.metadata.annotations![REV], '3');
});

test('scaling up and down; scale-down removes not-ready pods first', async (t) => {
  const h = startHarness();
  t.teardown(() => h.stop());
  h.api.create(GR.deployments, deployment('s', 2));
  await until('2 ready', () => h.ctx.store.peek(GR.deployments, 'default', 's')?.status?.availableReplicas === 2);
  const d = h.api.get(GR.deployments, 'default', 's')!;
  d.spec.replicas = 5;
  h.api.update(GR.deployments, d);
  await until('5 ready', () => h.ctx.store.peek(GR.deployments, 'default', 's')?.status?.availableReplicas === 5);
  const d2 = h.api.get(GR.deployments, 'default', 's')!;
  d2.spec.replicas = 1;
  h.api.update(GR.deployments, d2);
  await until('1 pod left', () => h.ctx.store.list(GR.pods, 'default').items.length === 1);
  const d3 = await until('status 1', () => {
    const x = h.ctx.store.peek(GR.deployments, 'default', 's');
    return x?.status?.replicas === 1 ? x : undefined;
  });
  t.is(d3.status.availableReplicas, 1);
});

test('Recreate scales the old ReplicaSet to zero before starting the new one', async (t) => {
  const h = startHarness();
  t.teardown(() => h.stop());
  h.api.create(GR.deployments, deployment('r', 2, { strategy: { type: 'Recreate' } }));
  await until('ready', () => h.ctx.store.peek(GR.deployments, 'default', 'r')?.status?.availableReplicas === 2);
  let overlap = false;
  const unwatch = h.ctx.store.watch({ key: '/pods' }, undefined, () => {
    const imgs = new Set(h.ctx.store.list(GR.pods, 'default').items.map((p) => p.spec.containers[0].image));
    if (imgs.size > 1) overlap = true;
  });
  t.teardown(unwatch);
  const d = h.api.get(GR.deployments, 'default', 'r')!;
  d.spec.template.spec.containers[0].image = 'nginx:1.28';
  h.api.update(GR.deployments, d);
  await until('recreated', () => {
    const x = h.ctx.store.peek(GR.deployments, 'default', 'r');
    return x?.status?.updatedReplicas === 2 && x.status.availableReplicas === 2 && x.status.replicas === 2;
  }, 15_000);
  t.false(overlap);
});

test('a Deployment that cannot become available exceeds its progress deadline', async (t) => {
  const h = startHarness({ timeScale: 50 });
  t.teardown(() => h.stop());
  const d = deployment('stuck', 1, { image: 'nginx:does-not-exist' });
  d.spec.progressDeadlineSeconds = 30;
  h.api.create(GR.deployments, d);
  const x = await until('deadline exceeded', () => {
    const o = h.ctx.store.peek(GR.deployments, 'default', 'stuck');
    const p = o?.status?.conditions?.find((c: KObj) => c.type === 'Progressing');
    return p?.reason === 'ProgressDeadlineExceeded' ? o : undefined;
  }, 10_000);
  const p = x.status.conditions.find((c: KObj) => c.type === 'Progressing');
  t.is(p.status, 'False');
  t.regex(p.message, /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
  t.is(x.status.conditions.find((c: KObj) => c.type === 'Available').reason, 'MinimumReplicasUnavailable');
});
