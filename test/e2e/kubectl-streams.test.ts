/**
 * The streaming API of the embedded cluster against the real kubectl: logs, exec, port-forward,
 * top, and plain YAML whose containers' commands run in the emulated shell.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { apply, httpGet, portForward, running, waitPods, WEB_YAML } from './kubectl-streams-helpers.js';

test('logs: each flag, -f receiving new lines served through port-forward', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  const [pod] = await waitPods(c, 'app=web', running);
  const name = pod!.metadata.name!;
  const all = await c.kubectl(['logs', name]);
  t.is(all.code, 0, all.stderr);
  t.regex(all.stdout, /Configuration complete; ready for start up/);
  const lines = all.stdout.trimEnd().split('\n');
  t.is((await c.kubectl(['logs', name, '--tail=2'])).stdout.trimEnd().split('\n').length, 2);
  t.regex((await c.kubectl(['logs', name, '--tail=1', '--timestamps'])).stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z /);
  t.true((await c.kubectl(['logs', name, '--since=1h'])).stdout.trimEnd().split('\n').length >= lines.length);
  t.is((await c.kubectl(['logs', name, '--limit-bytes=10'])).stdout.length, 10);
  t.is((await c.kubectl(['logs', name, '-c', 'web', '--tail=1'])).code, 0);
  t.regex((await c.kubectl(['logs', name, '--since-time=2000-01-01T00:00:00Z', '--tail=1'])).stdout, /\S/);
  const prev = await c.kubectl(['logs', name, '--previous']);
  t.regex(prev.stderr, new RegExp(`previous terminated container "web" in pod "${name}" not found`));

  // -f: a request through port-forward shows up as an access log line.
  const follow = c.kubectl(['logs', '-f', name, '--tail=0'], { timeoutMs: 8_000 });
  const pf = await portForward(t, c, `pod/${name}`, 80);
  // Requests keep coming for a while, so some land after kubectl started following.
  for (let i = 0; i < 10; i++) {
    const res = await httpGet(pf.port, `/followed-request-${i}`);
    t.true(res.status > 0);
    await new Promise((r) => setTimeout(r, 300));
  }
  const r = await follow;
  t.regex(r.stdout, /GET \/followed-request-\d/);
});

test('exec: exit codes 0, 1, 127, stdin piped, the container world', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  const [pod] = await waitPods(c, 'app=web', running);
  const name = pod!.metadata.name!;
  const ok = await c.kubectl(['exec', name, '--', 'sh', '-c', 'echo $SHOP_TITLE $DB_PASSWORD; hostname']);
  t.is(ok.code, 0, ok.stderr);
  t.is(ok.stdout, `Acme not-a-real-password\n${name}\n`);
  const one = await c.kubectl(['exec', name, '--', 'sh', '-c', 'ls /nope']);
  t.is(one.code, 2);
  t.regex(one.stderr, /command terminated with exit code 2/);
  t.is((await c.kubectl(['exec', name, '--', 'false'])).code, 1);
  const nf = await c.kubectl(['exec', name, '--', 'sh', '-c', 'frobnicate']);
  t.is(nf.code, 127);
  t.regex(nf.stderr, /frobnicate: not found/);
  const piped = await c.kubectl(['exec', '-i', name, '--', 'sh', '-c', 'cat > /tmp/in; wc -l < /tmp/in; cat /tmp/in'], { input: 'one\ntwo\n' });
  t.is(piped.stdout, '2\none\ntwo\n');
  const svc = await c.kubectl(['exec', name, '--', 'sh', '-c', 'wget -qO- http://web.default.svc.cluster.local/ | grep -c "<html"; curl -s -o /dev/null -w "%{http_code}" web']);
  t.is(svc.stdout, '1\n200');
  const cfg = await c.kubectl(['exec', name, '--', 'cat', '/etc/nginx/conf.d/default.conf']);
  t.regex(cfg.stdout, /listen\s+80;/);
});

test('port-forward: pod and service, 50 concurrent requests, refused port', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  await waitPods(c, 'app=web', running);
  const pf = await portForward(t, c, 'svc/web', 80);
  const one = await httpGet(pf.port, '/');
  t.is(one.status, 200);
  t.regex(one.body, /<html/);
  const many = await Promise.all(Array.from({ length: 50 }, (_, i) => httpGet(pf.port, `/item/${i}`)));
  t.true(many.every((r) => r.status > 0), JSON.stringify(many.map((m) => m.status)));
  const [pod] = c.sim.ctx.api.list({ group: '', resource: 'pods' }, 'default', 'app=web');
  const bad = await portForward(t, c, `pod/${pod!.metadata.name}`, 81);
  await t.throwsAsync(httpGet(bad.port, '/'));
  for (let i = 0; i < 50 && !/error forwarding port 81/.test(bad.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
  t.regex(bad.stderr(), /error forwarding port 81 to pod .*failed to connect to localhost:81/);
});

test('top nodes and top pods -A --containers', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  await waitPods(c, 'app=web', running);
  const nodes = await c.kubectl(['top', 'nodes']);
  t.is(nodes.code, 0, nodes.stderr);
  t.regex(nodes.stdout, /NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
  t.regex(nodes.stdout, /\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
  const pods = await c.kubectl(['top', 'pods', '-A', '--containers']);
  t.is(pods.code, 0, pods.stderr);
  t.regex(pods.stdout, /default\s+web-\S+\s+web\s+\d+m\s+\d+Mi/);
  const sel = await c.kubectl(['top', 'pods', '-l', 'app=web']);
  t.is(sel.stdout.trim().split('\n').length, 3);
  const [one] = c.sim.ctx.api.list({ group: '', resource: 'pods' }, 'default', 'app=web');
  const byField = await c.kubectl(['top', 'pods', '--field-selector', `metadata.name=${one!.metadata.name}`]);
  t.is(byField.code, 0, byField.stderr);
  t.is(byField.stdout.trim().split('\n').length, 2);
  const node = await c.kubectl(['top', 'node', one!.spec.nodeName]);
  t.regex(node.stdout, new RegExp(`${one!.spec.nodeName}\\s+\\d+m`));
});

test('plain YAML: a Job running `echo done` completes; sh -c "exit 1" crash-loops and --previous shows its output', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, `
apiVersion: batch/v1
kind: Job
metadata: {name: hello}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: hello, image: busybox, command: ["echo", "done"]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: crasher}
spec:
  replicas: 1
  selector: {matchLabels: {app: crasher}}
  template:
    metadata: {labels: {app: crasher}}
    spec:
      containers:
      - {name: crasher, image: busybox, command: ["sh", "-c", "echo starting up; echo giving up >&2; exit 1"]}
`);
  const wait = await c.kubectl(['wait', '--for=condition=complete', 'job/hello', '--timeout=30s']);
  t.is(wait.code, 0, wait.stderr);
  t.is((await c.kubectl(['logs', 'job/hello'])).stdout, 'done\n');
  const restarts = (pods: import('../../src/sim/types.js').KObj[]) => pods[0]!.status?.containerStatuses?.[0]?.restartCount ?? 0;
  const first = restarts(await waitPods(c, 'app=crasher', (p) => restarts(p) >= 1));
  const later = await waitPods(c, 'app=crasher', (p) => restarts(p) > first, 30_000);
  t.true(restarts(later) > first);
  const name = later[0]!.metadata.name!;
  const get = await c.kubectl(['get', 'pod', name]);
  t.regex(get.stdout, /CrashLoopBackOff|Error|Running/);
  const prev = await c.kubectl(['logs', name, '--previous']);
  t.is(prev.code, 0, prev.stderr);
  t.is(prev.stdout, 'starting up\ngiving up\n');
});

test('a command that does not exist fails the container like a real runtime', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, `
apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  containers:
  - {name: typo, image: busybox, command: ["slep", "10"]}
`);
  const [pod] = await waitPods(c, 'metadata.name!=x', (p) => p.some((x) => (x.status?.containerStatuses?.[0]?.lastState?.terminated ?? x.status?.containerStatuses?.[0]?.state?.terminated)?.exitCode === 128));
  const st = pod!.status.containerStatuses[0];
  const term = st.lastState?.terminated ?? st.state?.terminated;
  t.is(term.reason, 'StartError');
  t.regex(term.message, /exec: "slep": executable file not found in \$PATH/);
});

test('an exec readiness probe that fails keeps the pod out of the Service endpoints', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, `
apiVersion: v1
kind: Pod
metadata: {name: unready, labels: {app: probe}}
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "touch /tmp/started; sleep infinity"]
    readinessProbe:
      exec: {command: ["cat", "/tmp/healthy"]}
      periodSeconds: 2
---
apiVersion: v1
kind: Pod
metadata: {name: ready, labels: {app: probe}}
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "touch /tmp/healthy; sleep infinity"]
    readinessProbe:
      exec: {command: ["cat", "/tmp/healthy"]}
      periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata: {name: probe}
spec:
  selector: {app: probe}
  ports: [{port: 80}]
`);
  await waitPods(c, 'app=probe', (p) => p.every((x) => x.status?.phase === 'Running'));
  await new Promise((r) => setTimeout(r, 1500));
  const eps = c.sim.ctx.api.get({ group: '', resource: 'endpoints' }, 'default', 'probe');
  const ready = (eps?.subsets ?? []).flatMap((s: { addresses?: Array<{ targetRef?: { name: string } }> }) => s.addresses ?? []).map((a: { targetRef?: { name: string } }) => a.targetRef?.name);
  t.deepEqual(ready, ['ready']);
  const unready = await c.kubectl(['get', 'pod', 'unready']);
  t.regex(unready.stdout, /0\/1\s+Running/);
});
