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
