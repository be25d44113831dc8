import test from 'ava';
import { eventsFor, GR, startHarness, until } from './controllers-harness.js';
import { request } from 'node:http';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

function pod(name: string, annotations: Record<string, string> = {}, spec: J = {}): J {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', annotations },
    spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/jokes:2.1', ports: [{ containerPort: 8080 }] }], ...spec },
  };
}

const status = (h: ReturnType<typeof startHarness>, name: string): J => h.ctx.store.peek(GR.pods, 'default', name)?.status;
const cs = (h: ReturnType<typeof startHarness>, name: string): J => status(h, name)?.containerStatuses?.[0];

test('crash: Error, then CrashLoopBackOff with the real back-off message and BackOff events; restartCount and lastState as kubelet', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('crashy', { 'sim.kai-tui.dev/behaviour': 'crash', 'sim.kai-tui.dev/crash-after': '3s', 'sim.kai-tui.dev/exit-code': '2' }));
  const p = h.ctx.store.peek(GR.pods, 'default', 'crashy')!;
  const uid = p.metadata.uid;
  const c = await until('crash loop back-off', () => {
    const x = cs(h, 'crashy');
    return x?.state?.waiting?.reason === 'CrashLoopBackOff' ? x : undefined;
  }, 10_000);
  t.true(c.restartCount >= 1);
  t.regex(c.state.waiting.message, new RegExp(`^back-off (10|20|40)s restarting failed container=app pod=crashy_default\\(${uid}\\)$`));
  t.is(c.lastState.terminated.exitCode, 2);
  t.is(c.lastState.terminated.reason, 'Error');
  t.truthy(c.lastState.terminated.startedAt);
  t.truthy(c.lastState.terminated.finishedAt);
  t.false(c.ready);
  t.is(status(h, 'crashy').phase, 'Running');
  const ev = eventsFor(h, 'crashy');
  t.true(ev.some((e) => e.reason === 'BackOff' && e.type === 'Warning' && e.message === `Back-off restarting failed container app in pod crashy_default(${uid})` && e.source.component === 'kubelet' && e.source.host));
  t.true(ev.some((e) => e.reason === 'Started' && e.involvedObject.fieldPath === 'spec.containers{app}'));
  // The previous instance's log ends with the stack trace.
  const prev = h.ctx.runtime!.logs({ namespace: 'default', pod: 'crashy', container: 'app' }, true)!;
  t.true(prev.some((l) => l.line.startsWith('panic: ')));
  const before = c.restartCount;
  await until('another restart', () => (cs(h, 'crashy')?.restartCount ?? 0) > before, 10_000);
});

test('oom: memory grows until the limit, terminated OOMKilled with exit 137', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('hungry', { 'sim.kai-tui.dev/behaviour': 'oom', 'sim.kai-tui.dev/memory-growth': '50Mi/s' }, {
    containers: [{ name: 'app', image: 'ghcr.io/acme/jokes-cache:1.0', resources: { limits: { memory: '128Mi' }, requests: { memory: '64Mi' } } }],
  }));
  const c = await until('oom killed', () => {
    const x = cs(h, 'hungry');
    return x?.lastState?.terminated?.reason === 'OOMKilled' || x?.state?.terminated?.reason === 'OOMKilled' ? x : undefined;
  }, 10_000);
  const term = c.lastState?.terminated ?? c.state.terminated;
  t.is(term.exitCode, 137);
  const lines = h.ctx.runtime!.logs({ namespace: 'default', pod: 'hungry', container: 'app' }, !!c.lastState?.terminated) ?? [];
  t.true(lines.some((l) => l.line.includes('allocated')));
});

test('image pull failure: ErrImagePull then ImagePullBackOff with Failed events', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('nopull', {}, { containers: [{ name: 'app', image: 'registry.example.com/acme/shop:does-not-exist' }] }));
  const c = await until('image pull back-off', () => {
    const x = cs(h, 'nopull');
    return x?.state?.waiting?.reason === 'ImagePullBackOff' ? x : undefined;
  }, 10_000);
  t.is(c.state.waiting.message, 'Back-off pulling image "registry.example.com/acme/shop:does-not-exist"');
  t.is(status(h, 'nopull').phase, 'Pending');
  const ev = eventsFor(h, 'nopull');
  t.true(ev.some((e) => e.reason === 'Failed' && e.message.startsWith('Failed to pull image "registry.example.com/acme/shop:does-not-exist": ')));
  t.true(ev.some((e) => e.reason === 'Failed' && e.message === 'Error: ErrImagePull'));
  t.true(ev.some((e) => e.reason === 'Failed' && e.message === 'Error: ImagePullBackOff'));
});

test('readiness: ready only after initialDelaySeconds; a failing probe keeps the pod unready with Unhealthy events', async (t) => {
  const h = startHarness({ timeScale: 20 });
  t.teardown(() => h.stop());
  const probe = { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 10, periodSeconds: 5 };
  let firstRunning: J;
  const unwatch = h.ctx.store.watch({ key: '/pods' }, undefined, (ev) => {
    const c = ev.object.metadata.name === 'slow' ? ev.object.status?.containerStatuses?.[0] : undefined;
    if (c?.state?.running && !firstRunning) firstRunning = c;
  });
  t.teardown(unwatch);
  h.api.create(GR.pods, pod('slow', {}, { containers: [{ name: 'app', image: 'ghcr.io/acme/api:1', readinessProbe: probe, ports: [{ containerPort: 8080 }] }] }));
  h.api.create(GR.pods, pod('never', { 'sim.kai-tui.dev/behaviour': 'readiness-fail' }, { containers: [{ name: 'app', image: 'nginx:1.27', readinessProbe: probe, ports: [{ containerPort: 8080 }] }] }));
  // The first status that shows the container running (seen through the watch above, so no poll can miss it).
  await until('running', () => firstRunning);
  t.false(firstRunning.ready, 'not ready right after start');
  await until('ready after delay', () => cs(h, 'slow')?.ready === true);
  const ev = await until('unhealthy events', () => eventsFor(h, 'never').find((e) => e.reason === 'Unhealthy'));
  t.is(ev.message, 'Readiness probe failed: HTTP probe failed with statuscode: 503');
  t.is(ev.type, 'Warning');
  t.false(cs(h, 'never').ready);
  const ready = status(h, 'never').conditions.find((c: J) => c.type === 'Ready');
  t.is(ready.status, 'False');
  t.is(ready.reason, 'ContainersNotReady');
  t.is(ready.message, 'containers with unready status: [app]');
});

test('liveness failure: Unhealthy ×3, Killing, restart', async (t) => {
  const h = startHarness({ timeScale: 50 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('zombie', { 'sim.kai-tui.dev/behaviour': 'liveness-fail', 'sim.kai-tui.dev/fail-after': '5s' }, {
    containers: [{ name: 'app', image: 'nginx:1.27', livenessProbe: { httpGet: { path: '/livez', port: 8080 }, periodSeconds: 2, failureThreshold: 3 } }],
  }));
  await until('restarted', () => (cs(h, 'zombie')?.restartCount ?? 0) >= 1, 10_000);
  const ev = eventsFor(h, 'zombie');
  const unhealthy = ev.find((e) => e.reason === 'Unhealthy');
  t.is(unhealthy?.message, 'Liveness probe failed: HTTP probe failed with statuscode: 500');
  t.true((unhealthy?.count ?? 0) >= 3);
  t.true(ev.some((e) => e.reason === 'Killing' && e.message === 'Container app failed liveness probe, will be restarted'));
});

test('restartPolicy Never: a pod that completes is Succeeded; one that fails is Failed', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('ok', { 'sim.kai-tui.dev/duration': '2s' }, { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36' }] }));
  h.api.create(GR.pods, pod('bad', { 'sim.kai-tui.dev/behaviour': 'crash', 'sim.kai-tui.dev/crash-after': '2s' }, { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36' }] }));
  await until('succeeded', () => status(h, 'ok')?.phase === 'Succeeded', 10_000);
  await until('failed', () => status(h, 'bad')?.phase === 'Failed', 10_000);
  t.is(cs(h, 'ok').state.terminated.reason, 'Completed');
  t.is(cs(h, 'ok').state.terminated.exitCode, 0);
  t.is(cs(h, 'bad').state.terminated.reason, 'Error');
  t.is(cs(h, 'bad').restartCount, 0);
  t.is(status(h, 'ok').conditions.find((c: J) => c.type === 'Ready').reason, 'PodCompleted');
});

test('init containers run first, then the app', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('withinit', {}, {
    initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0' }],
    containers: [{ name: 'app', image: 'nginx:1.27' }],
  }));
  const s = await until('running', () => (status(h, 'withinit')?.phase === 'Running' ? status(h, 'withinit') : undefined), 10_000);
  t.is(s.initContainerStatuses[0].state.terminated.reason, 'Completed');
  t.is(s.conditions.find((c: J) => c.type === 'Initialized').status, 'True');
});

test('graceful deletion: Killing, then the pod is removed; serving pods answer HTTP on loopback and log requests', async (t) => {
  const h = startHarness({ timeScale: 20 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('srv', {}, { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] }));
  const port = await until('served', () => h.ctx.runtime!.portFor('default', 'srv', 80));
  const body = await new Promise<{ code: number; text: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', headers: { 'user-agent': 'test' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ code: res.statusCode!, text }));
    }).on('error', reject).end();
  });
  t.is(body.code, 200);
  t.true(body.text.includes('<html'));
  const lines = h.ctx.runtime!.logs({ namespace: 'default', pod: 'srv', container: 'app' }, false)!;
  t.true(lines.some((l) => l.line.includes('"GET / HTTP/1.1" 200')));
  t.truthy(h.ctx.runtime!.usage({ namespace: 'default', pod: 'srv', container: 'app' }));
  h.api.delete(GR.pods, 'default', 'srv');
  t.truthy(h.ctx.store.peek(GR.pods, 'default', 'srv')?.metadata.deletionTimestamp);
  await until('removed', () => !h.ctx.store.peek(GR.pods, 'default', 'srv'), 10_000);
  t.true(eventsFor(h, 'srv').some((e) => e.reason === 'Killing' && e.message === 'Stopping container app'));
  t.is(h.ctx.runtime!.portFor('default', 'srv', 80), undefined);
});

test('scheduler: a pod that fits nowhere stays Pending with FailedScheduling in the real format; cordoned/tainted nodes are skipped', async (t) => {
  const h = startHarness({ nodes: 3, nodeMemory: '4Gi' });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('big', {}, { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { memory: '64Gi', cpu: '100m' } } }] }));
  const ev = await until('FailedScheduling', () => eventsFor(h, 'big').find((e) => e.reason === 'FailedScheduling'));
  t.is(ev.type, 'Warning');
  t.is(ev.message, '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
  const cond = status(h, 'big').conditions.find((c: J) => c.type === 'PodScheduled');
  t.is(cond.status, 'False');
  t.is(cond.reason, 'Unschedulable');
  t.is(status(h, 'big').phase, 'Pending');
  // Cordon node-1 and taint node-2: a new pod lands on node-3.
  const n1 = h.api.get(GR.nodes, undefined, 'node-1')!;
  n1.spec.unschedulable = true;
  h.api.update(GR.nodes, n1);
  const n2 = h.api.get(GR.nodes, undefined, 'node-2')!;
  n2.spec.taints = [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }];
  h.api.update(GR.nodes, n2);
  h.api.create(GR.pods, pod('small'));
  const node = await until('bound', () => h.ctx.store.peek(GR.pods, 'default', 'small')?.spec?.nodeName);
  t.is(node, 'node-3');
  t.true(eventsFor(h, 'small').some((e) => e.reason === 'Scheduled' && e.message === 'Successfully assigned default/small to node-3'));
});

test('changing a running pod\'s image restarts that container with the new image', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('swap', {}, { containers: [{ name: 'app', image: 'nginx:1.27' }] }));
  await until('running', () => cs(h, 'swap')?.state?.running);
  const p = h.api.get(GR.pods, 'default', 'swap')!;
  p.spec.containers[0].image = 'nginx:1.28';
  h.api.update(GR.pods, p);
  const c = await until('restarted on the new image', () => {
    const x = cs(h, 'swap');
    return x?.image === 'nginx:1.28' && x.state.running && x.restartCount === 1 ? x : undefined;
  });
  t.is(c.lastState.terminated.reason, 'Completed');
  t.true(eventsFor(h, 'swap').some((e) => e.reason === 'Killing' && e.message === 'Container app definition changed, will be restarted'));
  t.true(eventsFor(h, 'swap').some((e) => e.reason === 'Pulling' && e.message === 'Pulling image "nginx:1.28"'));
});

test('a redis pod speaks RESP on its port (PING, SET/GET) and logs the commands', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('cache', {}, { containers: [{ name: 'redis', image: 'redis:7.4.1', ports: [{ containerPort: 6379 }] }] }));
  const port = await until('served', () => h.ctx.runtime!.portFor('default', 'cache', 6379));
  const { connect } = await import('node:net');
  const reply = await new Promise<string>((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => {
      got += d;
      if (got.split('\r\n').length > 4) { s.end(); resolve(got); }
    });
    s.on('error', reject);
    s.write('*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nhi\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
  });
  t.is(reply, '+PONG\r\n+OK\r\n$2\r\nhi\r\n');
  const lines = h.ctx.runtime!.logs({ namespace: 'default', pod: 'cache', container: 'redis' }, false)!;
  t.true(lines.some((l) => l.line.endsWith('ran GET k')));
});

test('crash-loop back-off doubles: restarts at once, then 10s, 20s, 40s', async (t) => {
  const h = startHarness({ timeScale: 100 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('loop', { 'sim.kai-tui.dev/behaviour': 'crash', 'sim.kai-tui.dev/crash-after': '1s' }));
  const seen: string[] = [];
  const unwatch = h.ctx.store.watch({ key: '/pods' }, undefined, (ev) => {
    const m = ev.object.status?.containerStatuses?.[0]?.state?.waiting?.message as string | undefined;
    const b = m && /^back-off (\S+) /.exec(m)?.[1];
    if (b && seen[seen.length - 1] !== b) seen.push(b);
  });
  t.teardown(unwatch);
  await until('three back-offs', () => seen.length >= 3, 15_000);
  t.deepEqual(seen.slice(0, 3), ['10s', '20s', '40s']);
  // The first crash restarted at once, so the first back-off comes with restartCount 1.
  t.true((cs(h, 'loop')?.restartCount ?? 0) >= 3);
});

test('ReplicaSet adopts a matching orphan pod instead of creating one, and releases a pod whose labels change', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'adopt' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
  h.api.create(GR.replicasets, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'adopt', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'adopt' } }, template: { metadata: { labels: { app: 'adopt' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
  const rs = await until('2 pods', () => {
    const x = h.ctx.store.peek(GR.replicasets, 'default', 'adopt');
    return x?.status?.replicas === 2 ? x : undefined;
  });
  const stray = h.ctx.store.peek(GR.pods, 'default', 'stray')!;
  t.is(stray.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
  t.is(h.ctx.store.list(GR.pods, 'default').items.length, 2);
  const p = h.api.get(GR.pods, 'default', 'stray')!;
  p.metadata.labels = { app: 'debug' };
  h.api.update(GR.pods, p);
  await until('released and replaced', () => h.ctx.store.list(GR.pods, 'default').items.filter((x) => x.metadata.labels?.app === 'adopt').length === 2
    && !h.ctx.store.peek(GR.pods, 'default', 'stray')?.metadata.ownerReferences?.length);
  t.pass();
});

test('the jokes service answers JSON jokes and HTTP 500 on roughly one request in five', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('jokes', {}, { containers: [{ name: 'app', image: 'ghcr.io/acme/jokes-web:1.8.0', ports: [{ containerPort: 8080 }] }] }));
  const port = await until('served', () => h.ctx.runtime!.portFor('default', 'jokes', 8080));
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  t.teardown(() => agent.destroy());
  const get = () => new Promise<{ code: number; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/joke', agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ code: res.statusCode!, body }));
    }).on('error', reject).end();
  });
  const replies = await Promise.all(Array.from({ length: 300 }, get));
  const errors = replies.filter((r) => r.code === 500).length;
  t.true(errors >= 24 && errors <= 105, `${errors} of 300 were 500`);
  const ok = replies.find((r) => r.code === 200)!;
  t.truthy(JSON.parse(ok.body).joke);
  const lines = h.ctx.runtime!.logs({ namespace: 'default', pod: 'jokes', container: 'app' }, false)!;
  t.is(lines.filter((l) => l.line.includes('"msg":"request served"')).length, 300);
  t.true(lines.some((l) => l.line.includes('"status":500')));
});

test('a pod mounting a missing ConfigMap stays ContainerCreating with FailedMount, then starts when it appears', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('needs-config', {}, {
    containers: [{ name: 'app', image: 'nginx:1.27', volumeMounts: [{ name: 'config', mountPath: '/etc/app' }] }],
    volumes: [{ name: 'config', configMap: { name: 'app-config' } }],
  }));
  const ev = await until('FailedMount', () => eventsFor(h, 'needs-config').find((e) => e.reason === 'FailedMount'));
  t.is(ev.message, 'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found');
  await until('ContainerCreating', () => cs(h, 'needs-config')?.state?.waiting?.reason === 'ContainerCreating');
  t.is(status(h, 'needs-config').phase, 'Pending');
  h.api.create(GR.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'default' }, data: { a: 'b' } });
  await until('running', () => cs(h, 'needs-config')?.state?.running, 10_000);
  t.pass();
});

test('env from a missing Secret: CreateContainerConfigError until the Secret exists', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  h.api.create(GR.pods, pod('needs-secret', {}, {
    containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }],
  }));
  const c = await until('config error', () => (cs(h, 'needs-secret')?.state?.waiting?.reason === 'CreateContainerConfigError' ? cs(h, 'needs-secret') : undefined));
  t.is(c.state.waiting.message, 'secret "db" not found');
  t.true(eventsFor(h, 'needs-secret').some((e) => e.reason === 'Failed' && e.message === 'Error: secret "db" not found'));
  h.api.create(GR.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, data: { password: Buffer.from('x').toString('base64') } });
  await until('running', () => cs(h, 'needs-secret')?.state?.running, 10_000);
  t.is(cs(h, 'needs-secret').restartCount, 0);
});
