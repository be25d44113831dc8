/** Shared by the kubectl-streams e2e tests: YAML fixtures, waiting for pods, port-forward. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { TestSim } from '../support/sim.js';
import type { KObj } from '../../src/sim/types.js';

export const WEB_YAML = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        env:
        - name: SHOP_TITLE
          valueFrom: {configMapKeyRef: {name: web-config, key: title}}
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: web-db, key: password}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {title: Acme}
---
apiVersion: v1
kind: Secret
metadata: {name: web-db}
stringData: {password: not-a-real-password}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`;

export async function apply(t: ExecutionContext, c: TestSim, yaml: string): Promise<void> {
  const f = join(c.dir, `apply-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(f, yaml);
  const r = await c.kubectl(['apply', '-f', f]);
  t.is(r.code, 0, r.stderr);
}

const PODS = { group: '', resource: 'pods' };

/** Polls the cluster until `pred` holds for the pods matching `selector` (or times out). */
export async function waitPods(c: TestSim, selector: string, pred: (pods: KObj[]) => boolean, timeoutMs = 60_000, ns = 'default'): Promise<KObj[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const pods = c.sim.ctx.api.list(PODS, ns, selector);
    if (pods.length && pred(pods)) return pods;
    if (Date.now() > end) throw new Error(`timed out waiting for pods ${selector}: ${JSON.stringify(pods.map((p) => [p.metadata.name, p.status?.phase, p.status?.containerStatuses?.[0]?.state]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const running = (pods: KObj[]) => pods.every((p) => p.status?.phase === 'Running' && p.status?.containerStatuses?.every((s: KObj) => s.ready));

export function portForward(t: ExecutionContext, c: TestSim, target: string, remote: number, env: Record<string, string> = {}): Promise<{ port: number; child: ChildProcess; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', c.kubeconfig, 'port-forward', target, `:${remote}`], {
      env: { ...process.env, KUBECACHEDIR: c.cacheDir, ...env },
    });
    t.teardown(() => { child.kill(); });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child, stderr: () => err });
    });
    child.on('close', (code) => reject(new Error(`kubectl port-forward exited ${code}: ${err}`)));
  });
}

export function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
