import test from 'ava';
import { startTestSim } from '../support/sim.js';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  annotations: {kubernetes.io/change-cause: first}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

// These need the controllers and the kubelet (full sim, empty scenario with its nodes).
test('rollout status/history/undo/restart, wait --for=condition, cascading delete', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  const k = async (args: string[], timeoutMs = 60_000) => {
    const r = await c.kubectl(args, { timeoutMs });
    t.is(r.code, 0, `kubectl ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const created = await c.kubectl(['apply', '-f', '-'], { input: DEPLOY });
  t.is(created.code, 0, created.stderr);
  t.regex(await k(['rollout', 'status', 'deploy/web', '--timeout=50s']), /successfully rolled out/);
  t.regex(await k(['wait', '--for=condition=Available', 'deploy/web', '--timeout=50s']), /condition met/);

  await k(['set', 'image', 'deploy/web', 'nginx=nginx:1.28']);
  await k(['annotate', 'deploy/web', '--overwrite', 'kubernetes.io/change-cause=second']);
  t.regex(await k(['rollout', 'status', 'deploy/web', '--timeout=50s']), /successfully rolled out/);
  const hist = await k(['rollout', 'history', 'deploy/web']);
  t.regex(hist, /^1\s+first$/m);
  t.regex(hist, /^2\s+second$/m);

  t.regex(await k(['rollout', 'undo', 'deploy/web']), /rolled back/);
  t.regex(await k(['rollout', 'status', 'deploy/web', '--timeout=50s']), /successfully rolled out/);
  t.is(await k(['get', 'deploy/web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.27');
  const undo = c.sim.requestLog.filter((e) => e.method === 'PATCH' && e.contentType === 'application/json-patch+json' && e.path.endsWith('/deployments/web'));
  t.is(undo.length, 1, 'undo sent a JSON patch');

  t.regex(await k(['rollout', 'restart', 'deploy/web']), /restarted/);
  t.regex(await k(['get', 'deploy/web', '-o', 'yaml']), /kubectl\.kubernetes\.io\/restartedAt/);
  t.regex(await k(['rollout', 'status', 'deploy/web', '--timeout=50s']), /successfully rolled out/);

  t.regex(await k(['delete', 'deploy', 'web', '--timeout=50s']), /deployment.apps "web" deleted/);
  const until = Date.now() + 30_000;
  let left = '';
  while (Date.now() < until) {
    left = (await c.kubectl(['get', 'rs,pods', '-l', 'app=web', '-o', 'name'])).stdout.trim();
    if (!left) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  t.is(left, '', 'ReplicaSets and Pods went with their Deployment');
});
