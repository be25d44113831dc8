/**
 * Every kubectl release installed on the machine (/usr/lib/google-cloud-sdk/bin/kubectl.1.NN;
 * missing ones are skipped) against the embedded cluster: apply (create, then a strategic merge
 * patch — kubectl 1.27/1.28 load /openapi/v2 first), server-side validation of a typo, rollout
 * status, logs, exec with an exit code, port-forward to a Service.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import test from 'ava';
import { kubectl, startTestSim } from '../support/sim.js';

const DIR = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = [27, 28, 29, 30, 31, 32, 33];

const yaml = (replicas: number, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${replicas}${extra}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`;

function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

for (const minor of VERSIONS) {
  const bin = `${DIR}/kubectl.1.${minor}`;
  const maybe = existsSync(bin) ? test.serial : test.skip;
  maybe(`kubectl 1.${minor}: apply, rollout status, logs, exec, port-forward`, async (t) => {
    const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
    const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: c.kubeconfig, cacheDir: c.cacheDir, bin, input, timeoutMs: 60_000 });

    const created = await k(['apply', '-f', '-'], yaml(1));
    t.is(created.code, 0, created.stderr);
    t.regex(created.stdout, /deployment\.apps\/web created\nservice\/web created/);
    const patched = await k(['apply', '-f', '-'], yaml(2));
    t.is(patched.code, 0, patched.stderr);
    t.regex(patched.stdout, /deployment\.apps\/web configured\nservice\/web unchanged/);
    t.true(c.sim.requestLog.some((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/web') && /strategic-merge-patch/.test(r.contentType)));
    const typo = await k(['apply', '-f', '-'], yaml(2, '\n  replica: 2'));
    t.is(typo.code, 1);
    t.regex(typo.stderr, /strict decoding error: unknown field "spec\.replica"/);

    const rollout = await k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    t.is(rollout.code, 0, rollout.stderr);
    t.regex(rollout.stdout, /deployment "web" successfully rolled out/);

    const pods = JSON.parse((await k(['get', 'pods', '-l', 'app=web', '-o', 'json'])).stdout).items as Array<{ metadata: { name: string } }>;
    t.is(pods.length, 2);
    const pod = pods[0]!.metadata.name;
    const logs = await k(['logs', pod, '--tail=5']);
    t.is(logs.code, 0, logs.stderr);
    t.true(logs.stdout.trim().length > 0);

    const exec = await k(['exec', pod, '--', 'sh', '-c', 'echo from-$HOSTNAME; exit 3']);
    t.is(exec.code, 3, exec.stderr);
    t.is(exec.stdout.trim(), `from-${pod}`);

    const child = spawn(bin, ['--kubeconfig', c.kubeconfig, 'port-forward', 'svc/web', ':80'], { env: { ...process.env, KUBECACHEDIR: c.cacheDir } });
    t.teardown(() => { child.kill(); });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('close', (code) => reject(new Error(`port-forward exited ${code}`)));
    });
    const page = await httpGet(port);
    t.is(page.status, 200);
    t.regex(page.body, /<html/);
  });
}
