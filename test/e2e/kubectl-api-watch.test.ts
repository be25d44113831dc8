import test from 'ava';
import { spawn } from 'node:child_process';
import { startTestSim } from '../support/sim.js';
import { pod, seed } from './kubectl-api-fixtures.js';

const pods = { group: '', resource: 'pods' };

test('get -w prints a change as it happens', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const child = spawn('kubectl', ['--kubeconfig', c.kubeconfig, 'get', 'pods', '-n', 'shop', '-w'], { env: { ...process.env, KUBECACHEDIR: c.cacheDir } });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  const seen = (re: RegExp) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; got:\n${out}`)), 20_000);
    const check = () => {
      if (re.test(out)) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    check();
  });
  await seen(/frontend-1\s+1\/1\s+Running/);
  c.sim.ctx.api.create(pods, pod('shop', 'late-1', 'node-a', { app: 'late' }, 'crash', '10.244.0.99'));
  await seen(/late-1\s+0\/1\s+CrashLoopBackOff\s+4/);
  t.pass();
});

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: scaledobjects.keda.sh
spec:
  group: keda.sh
  scope: Namespaced
  names: {plural: scaledobjects, singular: scaledobject, kind: ScaledObject, shortNames: [so]}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Target, type: string, jsonPath: .spec.scaleTargetRef.name}
    - {name: Min, type: integer, jsonPath: .spec.minReplicaCount}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
`;

const SO = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: web-scaler, namespace: shop}
spec:
  scaleTargetRef: {name: web}
  minReplicaCount: 2
  replicas: 1
`;

test('a CRD is served dynamically: apply, get with printer columns, scale, delete', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  let r = await c.kubectl(['apply', '-f', '-'], { input: CRD });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io/scaledobjects.keda.sh created');
  r = await c.kubectl(['apply', '-f', '-'], { input: SO });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), 'scaledobject.keda.sh/web-scaler created');
  r = await c.kubectl(['get', 'so', '-n', 'shop']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^NAME\s+TARGET\s+MIN\s+AGE\n/);
  t.regex(r.stdout, /web-scaler\s+web\s+2\s+\d+s/);
  r = await c.kubectl(['scale', 'scaledobject', 'web-scaler', '-n', 'shop', '--replicas=3']);
  t.is(r.code, 0, r.stderr);
  r = await c.kubectl(['get', 'so', 'web-scaler', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}']);
  t.is(r.stdout, '3');
  r = await c.kubectl(['get', 'crd']);
  t.regex(r.stdout, /scaledobjects\.keda\.sh\s+\d{4}-\d\d-\d\dT/);
  r = await c.kubectl(['delete', 'crd', 'scaledobjects.keda.sh']);
  t.is(r.code, 0, r.stderr);
  r = await c.kubectl(['api-resources', '--api-group=keda.sh']);
  t.notRegex(r.stdout, /scaledobjects/);
  t.is(c.sim.ctx.store.list({ group: 'keda.sh', resource: 'scaledobjects' }).items.length, 0);
});

test('raw watch: selector transitions become ADDED/DELETED, bookmarks carry the resourceVersion', async (t) => {
  const c = await startTestSim(t, { apiOnly: true, watchBookmarkMs: 200 });
  const cms = { group: '', resource: 'configmaps' };
  const api = c.sim.ctx.api;
  api.create(cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', labels: { team: 'x' } } });
  const rv = c.sim.ctx.store.resourceVersion;
  const u = new URL(`/api/v1/namespaces/default/configmaps?watch=true&labelSelector=team%3Dx&allowWatchBookmarks=true&resourceVersion=${rv}`, c.sim.url);
  const events: Array<{ type: string; object: { metadata: { name?: string; resourceVersion: string } } }> = [];
  const { request } = await import('node:https');
  const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, ca: c.sim.caPem, headers: { Authorization: `Bearer ${c.sim.token}` } }, (res) => {
    let buf = '';
    res.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    });
  });
  req.end();
  t.teardown(() => req.destroy());
  const until = async (pred: () => boolean) => {
    const end = Date.now() + 10_000;
    while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  };
  await new Promise((r) => setTimeout(r, 100));
  const a = api.get(cms, 'default', 'a')!;
  api.update(cms, { ...a, metadata: { ...a.metadata, labels: { team: 'y' } } });
  const a2 = api.get(cms, 'default', 'a')!;
  api.update(cms, { ...a2, metadata: { ...a2.metadata, labels: { team: 'x' } } });
  api.create(cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'default', labels: { team: 'z' } } });
  await until(() => events.filter((e) => e.type !== 'BOOKMARK').length >= 2 && events.some((e) => e.type === 'BOOKMARK'));
  t.deepEqual(events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata.name}`), ['DELETED a', 'ADDED a']);
  // A bookmark after the last change carries the latest resourceVersion (even for the unmatched "other").
  const seen = events.length;
  await until(() => events.slice(seen).some((e) => e.type === 'BOOKMARK'));
  const bm = events.slice(seen).find((e) => e.type === 'BOOKMARK')!;
  t.is(bm.object.metadata.resourceVersion, String(c.sim.ctx.store.resourceVersion));
});
