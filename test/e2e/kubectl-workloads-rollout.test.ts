/**
 * The real kubectl driving Deployments on the embedded cluster: apply, wait, rollout
 * status/history/undo/restart, set image, scale, delete with cascade. timeScale keeps it fast.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  annotations:
    kubernetes.io/change-cause: first release
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        readinessProbe:
          httpGet: {path: /, port: 80}
          initialDelaySeconds: 2
`;

test('apply, wait Available, set image + rollout status, history, undo, restart, scale, delete cascades', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  const ok = async (args: string[], input?: string) => {
    const r = await c.kubectl(args, { input, timeoutMs: 30_000 });
    t.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  t.regex(await ok(['apply', '-f', '-'], manifest), /deployment.apps\/web created/);
  t.regex(await ok(['wait', '--for=condition=Available', 'deployment/web', '--timeout=20s']), /deployment.apps\/web condition met/);
  t.regex(await ok(['rollout', 'status', 'deployment/web', '--timeout=20s']), /deployment "web" successfully rolled out/);

  t.regex(await ok(['set', 'image', 'deployment/web', 'web=nginx:1.28']), /deployment.apps\/web image updated/);
  await ok(['annotate', 'deployment/web', 'kubernetes.io/change-cause=upgrade to 1.28', '--overwrite']);
  const status = await ok(['rollout', 'status', 'deployment/web', '--timeout=25s']);
  t.regex(status, /deployment "web" successfully rolled out/);
  const rs = await ok(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}={.spec.replicas} {end}']);
  t.deepEqual(rs.trim().split(' ').sort(), ['1=0', '2=3']);
  const history = await ok(['rollout', 'history', 'deployment/web']);
  t.regex(history, /REVISION\s+CHANGE-CAUSE/);
  t.regex(history, /1\s+first release/);
  t.regex(history, /2\s+upgrade to 1\.28/);

  t.regex(await ok(['rollout', 'undo', 'deployment/web']), /deployment.apps\/web rolled back/);
  await ok(['rollout', 'status', 'deployment/web', '--timeout=25s']);
  t.is((await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).trim(), 'nginx:1.27');
  const history2 = await ok(['rollout', 'history', 'deployment/web']);
  t.regex(history2, /\n2\s+upgrade to 1\.28/);
  t.regex(history2, /\n3\s+/);
  t.notRegex(history2, /\n1\s+/);

  t.regex(await ok(['rollout', 'restart', 'deployment/web']), /deployment.apps\/web restarted/);
  await ok(['rollout', 'status', 'deployment/web', '--timeout=25s']);
  t.is((await ok(['get', 'rs', '-l', 'app=web', '--no-headers'])).trim().split('\n').length, 3);

  t.regex(await ok(['scale', 'deployment/web', '--replicas=5']), /deployment.apps\/web scaled/);
  await ok(['rollout', 'status', 'deployment/web', '--timeout=20s']);
  const ready = await ok(['get', 'deploy', 'web', '--no-headers']);
  t.regex(ready, /^web\s+5\/5\s+5\s+5\s/);

  t.regex(await ok(['delete', 'deployment', 'web', '--wait=true', '--timeout=20s']), /deployment.apps "web" deleted/);
  for (let i = 0; i < 100; i++) {
    const left = await ok(['get', 'rs,pods', '-l', 'app=web', '-o', 'name']);
    if (!left.trim()) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  t.is((await ok(['get', 'rs,pods', '-l', 'app=web', '-o', 'name'])).trim(), '');
});
