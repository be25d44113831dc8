/**
 * DELETE through the real kubectl, with the answers a real kube-apiserver gives: a Status with
 * details for ConfigMaps (no ReturnDeletedObject), the object for Services; `--cascade=orphan`
 * goes through the `orphan` finalizer (kubectl waits for the garbage collector), and the
 * ReplicaSet survives without its ownerReference.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const YAML = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: default}
data: {a: b}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;

test('kubectl delete: Status vs object answers; --cascade=orphan keeps the ReplicaSet and its pods', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: YAML })).code, 0);
  t.is((await c.kubectl(['rollout', 'status', 'deploy/web', '--timeout=30s'])).code, 0);

  const cm = await c.kubectl(['delete', 'configmap', 'settings', '-v=8']);
  t.is(cm.code, 0, cm.stderr);
  t.regex(cm.stdout, /configmap "settings" deleted/);
  t.regex(cm.stderr.replace(/\\/g, ''), /"kind":"Status","apiVersion":"v1","metadata":\{\},"status":"Success","details":\{"name":"settings","kind":"configmaps","uid":"[0-9a-f-]{36}"\}/);
  const svc = await c.kubectl(['delete', 'service', 'web', '-v=8']);
  t.regex(svc.stderr.replace(/\\/g, ''), /"Response Body" body="\{"apiVersion":"v1","kind":"Service","metadata":\{/);

  const del = await c.kubectl(['delete', 'deployment', 'web', '--cascade=orphan']);
  t.is(del.code, 0, del.stderr);
  t.regex(del.stdout, /deployment.apps "web" deleted/);
  const orphanReq = c.sim.requestLog.find((r) => r.method === 'DELETE' && r.path.endsWith('/deployments/web'));
  t.regex(String(orphanReq?.body ?? ''), /"propagationPolicy":"Orphan"/);
  t.is(orphanReq?.status, 200);
  const rs = JSON.parse((await c.kubectl(['get', 'rs', '-l', 'app=web', '-o', 'json'])).stdout).items;
  t.is(rs.length, 1);
  t.is(rs[0].metadata.ownerReferences, undefined);
  const pods = JSON.parse((await c.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json'])).stdout).items;
  t.is(pods.length, 2);
  t.true(pods.every((p: { metadata: { ownerReferences: Array<{ kind: string }> } }) => p.metadata.ownerReferences[0]!.kind === 'ReplicaSet'));
});
