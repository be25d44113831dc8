import test from 'ava';
import { eventsFor, GR, startHarness, until } from './controllers-harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

const tpl = (labels: Record<string, string>, extra: J = {}, annotations: Record<string, string> = {}): J => ({
  metadata: { labels, annotations },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...extra },
});

test('Job: completions with parallelism complete; conditions and events as the real controller', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'report', namespace: 'default' },
    spec: { completions: 3, parallelism: 2, template: tpl({}, { restartPolicy: 'Never' }, { 'sim.kai-tui.dev/duration': '2s' }) } });
  const j = await until('complete', () => {
    const x = h.ctx.store.peek(GR.jobs, 'default', 'report');
    return x?.status?.conditions?.some((c: J) => c.type === 'Complete' && c.status === 'True') ? x : undefined;
  }, 15_000);
  t.is(j.status.succeeded, 3);
  t.truthy(j.status.completionTime);
  t.truthy(j.status.startTime);
  t.is(h.ctx.store.list(GR.pods, 'default').items.filter((p) => p.status?.phase === 'Succeeded').length, 3);
  t.true(eventsFor(h, 'report').some((e) => e.reason === 'Completed' && e.message === 'Job completed'));
});

test('Job: failing pods are retried up to backoffLimit, then Failed/BackoffLimitExceeded', async (t) => {
  const h = startHarness({ timeScale: 100 });
  t.teardown(() => h.stop());
  h.api.create(GR.jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'broken', namespace: 'default' },
    spec: { backoffLimit: 2, template: tpl({}, { restartPolicy: 'Never' }, { 'sim.kai-tui.dev/behaviour': 'crash', 'sim.kai-tui.dev/crash-after': '1s' }) } });
  const j = await until('failed', () => {
    const x = h.ctx.store.peek(GR.jobs, 'default', 'broken');
    return x?.status?.conditions?.some((c: J) => c.type === 'Failed') ? x : undefined;
  }, 15_000);
  const failed = j.status.conditions.find((c: J) => c.type === 'Failed');
  t.is(failed.reason, 'BackoffLimitExceeded');
  t.is(failed.message, 'Job has reached the specified backoff limit');
  t.is(j.status.failed, 3);
  t.true(eventsFor(h, 'broken').some((e) => e.reason === 'BackoffLimitExceeded'));
});

test('CronJob: creates Jobs on schedule and records lastScheduleTime', async (t) => {
  const h = startHarness({ timeScale: 60 });
  t.teardown(() => h.stop());
  h.api.create(GR.cronjobs, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick', namespace: 'default' },
    spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: tpl({}, { restartPolicy: 'OnFailure' }, { 'sim.kai-tui.dev/duration': '1s' }) } } } });
  const job = await until('a job', () => h.ctx.store.list(GR.jobs, 'default').items[0], 5_000);
  t.regex(job.metadata.name!, /^tick-\d+$/);
  t.is(job.metadata.ownerReferences![0]!.kind, 'CronJob');
  const cj = await until('lastScheduleTime', () => h.ctx.store.peek(GR.cronjobs, 'default', 'tick')?.status?.lastScheduleTime);
  t.truthy(cj);
  t.true(eventsFor(h, 'tick').some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created job ${job.metadata.name}`));
});

test('StatefulSet: ordered pods, PVCs, controllerrevisions and revisions in status', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.statefulsets, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' },
    spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: tpl({ app: 'db' }),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } });
  let order: string[] = [];
  const unwatch = h.ctx.store.watch({ key: '/pods' }, undefined, (ev) => { if (ev.type === 'ADDED') order.push(ev.object.metadata.name!); });
  t.teardown(unwatch);
  const s = await until('3 ready', () => {
    const x = h.ctx.store.peek(GR.statefulsets, 'default', 'db');
    return x?.status?.readyReplicas === 3 ? x : undefined;
  }, 15_000);
  t.deepEqual(order, ['db-0', 'db-1', 'db-2']);
  t.is(s.status.currentRevision, s.status.updateRevision);
  t.regex(s.status.updateRevision, /^db-[a-z0-9]+$/);
  t.truthy(h.ctx.store.peek(GR.controllerrevisions, 'default', s.status.updateRevision));
  const pvc = h.ctx.store.peek(GR.pvcs, 'default', 'data-db-1');
  t.is(pvc?.status?.phase, 'Bound');
  const p1 = h.ctx.store.peek(GR.pods, 'default', 'db-1')!;
  t.is(p1.spec.volumes.find((v: J) => v.name === 'data').persistentVolumeClaim.claimName, 'data-db-1');
  t.is(p1.metadata.labels!['controller-revision-hash'], s.status.updateRevision);
  // Update: pods are replaced from the highest ordinal down.
  order = [];
  const cur = h.api.get(GR.statefulsets, 'default', 'db')!;
  cur.spec.template.spec.containers[0].image = 'busybox:1.37';
  h.api.update(GR.statefulsets, cur);
  const s2 = await until('updated', () => {
    const x = h.ctx.store.peek(GR.statefulsets, 'default', 'db');
    return x?.status?.updatedReplicas === 3 && x.status.readyReplicas === 3 && x.status.currentRevision === x.status.updateRevision && x.status.updateRevision !== s.status.updateRevision ? x : undefined;
  }, 15_000);
  t.deepEqual(order, ['db-2', 'db-1', 'db-0']);
  t.truthy(s2);
});

test('DaemonSet: one pod per eligible node', async (t) => {
  const h = startHarness({ nodes: 3, timeScale: 40 });
  t.teardown(() => h.stop());
  const n3 = h.api.get(GR.nodes, undefined, 'node-3')!;
  n3.spec.taints = [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }];
  h.api.update(GR.nodes, n3);
  h.api.create(GR.daemonsets, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: tpl({ app: 'agent' }) } });
  const ds = await until('ready', () => {
    const x = h.ctx.store.peek(GR.daemonsets, 'kube-system', 'agent');
    return x?.status?.numberReady === 2 ? x : undefined;
  }, 10_000);
  t.is(ds.status.desiredNumberScheduled, 2);
  const pods = h.ctx.store.list(GR.pods, 'kube-system').items;
  t.deepEqual(pods.map((p) => p.spec.nodeName).sort(), ['node-1', 'node-2']);
  // The default scheduler binds daemon pods, as in a real cluster: a Scheduled event and the PodScheduled condition.
  for (const p of pods) {
    const scheduled = eventsFor(h, p.metadata.name!).find((e) => e.reason === 'Scheduled');
    t.is(scheduled?.message, `Successfully assigned kube-system/${p.metadata.name} to ${p.spec.nodeName}`);
    t.is(scheduled?.source?.component, 'default-scheduler');
  }
});

test('Service → Endpoints: ready pods under addresses, unready under notReadyAddresses; none → no subsets', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  h.api.create(GR.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ghost', namespace: 'default' },
    spec: { selector: { app: 'ghost' }, ports: [{ port: 80 }] } });
  const mk = (name: string, annotations: Record<string, string> = {}) => h.api.create(GR.pods, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' }, annotations },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 8080 } } }] },
  });
  mk('web-a');
  mk('web-b', { 'sim.kai-tui.dev/behaviour': 'readiness-fail' });
  const ep = await until('endpoints', () => {
    const e = h.ctx.store.peek(GR.endpoints, 'default', 'web');
    return e?.subsets?.[0]?.addresses?.length === 1 && e.subsets[0].notReadyAddresses?.length === 1 ? e : undefined;
  }, 10_000);
  t.is(ep.subsets[0].addresses[0].targetRef.name, 'web-a');
  t.deepEqual(ep.subsets[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const ghost = await until('ghost endpoints', () => h.ctx.store.peek(GR.endpoints, 'default', 'ghost'));
  t.is(ghost.subsets, undefined);
});

test('garbage collection: deleting a Deployment removes its ReplicaSets and pods; orphan keeps them', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  const mk = (name: string) => h.api.create(GR.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: tpl({ app: name }) } });
  mk('gone');
  mk('kept');
  await until('pods', () => h.ctx.store.list(GR.pods, 'default').items.filter((p) => p.status?.phase === 'Running').length === 4, 10_000);
  h.api.delete(GR.deployments, 'default', 'gone');
  h.api.delete(GR.deployments, 'default', 'kept', { propagationPolicy: 'Orphan' });
  await until('cascade', () => h.ctx.store.list(GR.pods, 'default').items.every((p) => p.metadata.labels!.app === 'kept'), 10_000);
  await new Promise((r) => setTimeout(r, 300));
  const rs = h.ctx.store.list(GR.replicasets, 'default').items;
  t.is(rs.length, 1);
  t.is(rs[0]!.metadata.ownerReferences, undefined);
  t.is(h.ctx.store.list(GR.pods, 'default').items.length, 2);
});

test('namespace deletion removes its contents, then the namespace', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } });
  h.api.create(GR.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'tmp' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'x' } }, template: tpl({ app: 'x' }) } });
  await until('running', () => h.ctx.store.list(GR.pods, 'tmp').items.some((p) => p.status?.phase === 'Running'), 10_000);
  h.api.delete(GR.namespaces, undefined, 'tmp');
  await until('namespace gone', () => !h.ctx.store.peek(GR.namespaces, undefined, 'tmp'), 10_000);
  t.is(h.ctx.store.list(GR.pods, 'tmp').items.length, 0);
  t.is(h.ctx.store.list(GR.deployments, 'tmp').items.length, 0);
});

test('PDB status counts healthy pods and allowed disruptions', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'p', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'p' } }, template: tpl({ app: 'p' }) } });
  h.api.create(GR.pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'default' },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'p' } } } });
  const pdb = await until('pdb', () => {
    const x = h.ctx.store.peek(GR.pdbs, 'default', 'p');
    return x?.status?.currentHealthy === 3 ? x : undefined;
  }, 10_000);
  t.is(pdb.status.desiredHealthy, 2);
  t.is(pdb.status.expectedPods, 3);
  t.is(pdb.status.disruptionsAllowed, 1);
});

test('foreground deletion: the Deployment stays (foregroundDeletion) until its ReplicaSets and pods are gone', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'fg', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'fg' } }, template: tpl({ app: 'fg' }) } });
  await until('running', () => h.ctx.store.list(GR.pods, 'default').items.filter((p) => p.status?.phase === 'Running').length === 2, 10_000);
  h.api.delete(GR.deployments, 'default', 'fg', { propagationPolicy: 'Foreground' });
  const d = h.ctx.store.peek(GR.deployments, 'default', 'fg');
  t.truthy(d?.metadata.deletionTimestamp);
  t.deepEqual(d?.metadata.finalizers, ['foregroundDeletion']);
  await until('deployment gone', () => !h.ctx.store.peek(GR.deployments, 'default', 'fg'), 10_000);
  t.is(h.ctx.store.list(GR.pods, 'default').items.length, 0);
  t.is(h.ctx.store.list(GR.replicasets, 'default').items.length, 0);
});

test('HPA reads usage from the kubelet and scales its target within bounds', async (t) => {
  const h = startHarness({ timeScale: 60 });
  t.teardown(() => h.stop());
  h.api.create(GR.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'busy', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'busy' } }, template: {
      metadata: { labels: { app: 'busy' }, annotations: { 'sim.kai-tui.dev/cpu': '200m' } },
      spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/api:1', resources: { requests: { cpu: '100m' } } }] } } } });
  h.api.create(GR.hpas, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'busy', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'busy' }, minReplicas: 1, maxReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } });
  const hpa = await until('scaled to max', () => {
    const x = h.ctx.store.peek(GR.hpas, 'default', 'busy');
    return x?.status?.desiredReplicas === 3 ? x : undefined;
  }, 10_000);
  t.is(hpa.status.currentMetrics[0].resource.name, 'cpu');
  t.true(hpa.status.currentMetrics[0].resource.current.averageUtilization >= 150);
  t.is(hpa.status.conditions.find((c: J) => c.type === 'ScalingLimited').reason, 'TooManyReplicas');
  t.is(h.ctx.store.peek(GR.deployments, 'default', 'busy')!.spec.replicas, 3);
  t.true(eventsFor(h, 'busy').some((e) => e.reason === 'SuccessfulRescale' && e.message.startsWith('New size: 3; reason: cpu resource utilization')));
});

test('Indexed Job: one pod per completion index, completedIndexes in status', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'shard', namespace: 'default' },
    spec: { completions: 3, parallelism: 3, completionMode: 'Indexed', template: tpl({}, { restartPolicy: 'Never' }, { 'sim.kai-tui.dev/duration': '2s' }) } });
  const j = await until('complete', () => {
    const x = h.ctx.store.peek(GR.jobs, 'default', 'shard');
    return x?.status?.conditions?.some((c: J) => c.type === 'Complete') ? x : undefined;
  }, 10_000);
  t.is(j.status.completedIndexes, '0-2');
  const names = h.ctx.store.list(GR.pods, 'default').items.map((p) => p.metadata.name!.replace(/-[a-z0-9]{5}$/, '')).sort();
  t.deepEqual(names, ['shard-0', 'shard-1', 'shard-2']);
});

test('PVCs: the default StorageClass provisions and binds a PV; no class → Pending, and pods using it are unschedulable', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  const PVS = { group: '', resource: 'persistentvolumes' };
  const claim = (name: string, extra: J = {}) => h.api.create(GR.pvcs, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, ...extra } });
  claim('data');
  claim('orphan', { storageClassName: '' });
  const pvc = await until('bound', () => {
    const x = h.ctx.store.peek(GR.pvcs, 'default', 'data');
    return x?.status?.phase === 'Bound' ? x : undefined;
  });
  const pv = h.ctx.store.peek(PVS, undefined, pvc.spec.volumeName)!;
  t.is(pv.status.phase, 'Bound');
  t.is(pv.spec.claimRef.name, 'data');
  t.is(pv.spec.capacity.storage, '5Gi');
  t.is(pvc.spec.storageClassName, 'standard');
  t.true(eventsFor(h, 'data').some((e) => e.reason === 'ProvisioningSucceeded' && e.message === `Successfully provisioned volume ${pv.metadata.name}`));
  await until('FailedBinding', () => eventsFor(h, 'orphan').find((e) => e.reason === 'FailedBinding'));
  t.is(h.ctx.store.peek(GR.pvcs, 'default', 'orphan')!.status.phase, 'Pending');
  h.api.create(GR.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'uses-orphan', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'orphan' } }] } });
  const ev = await until('FailedScheduling', () => eventsFor(h, 'uses-orphan').find((e) => e.reason === 'FailedScheduling'));
  t.is(ev.message, '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
  h.api.delete(GR.pvcs, 'default', 'data');
  await until('pv deleted with its claim', () => !h.ctx.store.peek(PVS, undefined, pv.metadata.name!));
  t.pass();
});

test('node problems by annotation: pressure taints; not-ready → Unknown, pods evicted after their toleration and replaced elsewhere; healing', async (t) => {
  const h = startHarness({ timeScale: 100 });
  t.teardown(() => h.stop());
  const annotate = (name: string, v: string | undefined) => {
    const n = h.api.get(GR.nodes, undefined, name)!;
    n.metadata.annotations = { ...(n.metadata.annotations ?? {}) };
    if (v === undefined) delete n.metadata.annotations['sim.kai-tui.dev/node-condition'];
    else n.metadata.annotations['sim.kai-tui.dev/node-condition'] = v;
    h.api.update(GR.nodes, n);
  };
  const cond = (name: string, type: string) => h.ctx.store.peek(GR.nodes, undefined, name)?.status?.conditions?.find((c: J) => c.type === type);
  annotate('node-2', 'memory-pressure');
  await until('memory pressure', () => cond('node-2', 'MemoryPressure')?.status === 'True');
  t.true(h.ctx.store.peek(GR.nodes, undefined, 'node-2')!.spec.taints.some((x: J) => x.key === 'node.kubernetes.io/memory-pressure' && x.effect === 'NoSchedule'));
  annotate('node-2', undefined);
  await until('healed', () => cond('node-2', 'MemoryPressure')?.status === 'False' && !h.ctx.store.peek(GR.nodes, undefined, 'node-2')!.spec.taints);

  h.api.create(GR.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' },
    spec: { replicas: 4, selector: { matchLabels: { app: 'd' } }, template: tpl({ app: 'd' }) } });
  await until('4 ready', () => h.ctx.store.peek(GR.deployments, 'default', 'd')?.status?.readyReplicas === 4, 10_000);
  const onNode1 = () => h.ctx.store.list(GR.pods, 'default').items.filter((p) => p.spec.nodeName === 'node-1');
  t.true(onNode1().length > 0);
  annotate('node-1', 'not-ready');
  await until('unknown', () => cond('node-1', 'Ready')?.status === 'Unknown');
  t.is(cond('node-1', 'Ready').message, 'Kubelet stopped posting node status.');
  await until('evicted pods stay Terminating', () => onNode1().length > 0 && onNode1().every((p) => p.metadata.deletionTimestamp), 10_000);
  await new Promise((r) => setTimeout(r, 600)); // 60 simulated seconds: still there, nobody confirms
  t.true(onNode1().length > 0 && onNode1().every((p) => p.metadata.deletionTimestamp));
  await until('replacements on node-2', () => h.ctx.store.list(GR.pods, 'default').items.filter((p) => p.spec.nodeName === 'node-2' && p.status?.phase === 'Running').length === 4, 10_000);
  t.true(eventsFor(h, 'node-1').some((e) => e.reason === 'NodeNotReady'));
  annotate('node-1', undefined);
  await until('back: terminating pods finish', () => onNode1().length === 0 && cond('node-1', 'Ready')?.status === 'True', 10_000);
  t.pass();
});
