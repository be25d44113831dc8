import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { seed } from './kubectl-api-fixtures.js';

const DEPLOY = (replicas: number, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        env: [{name: A, value: "1"}]
`;

const deployments = { group: 'apps', resource: 'deployments' };

test('apply creates, is unchanged, then configures; diff exits 1 on a change; dry-run and server-side', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const f = join(c.dir, 'web.yaml');
  writeFileSync(f, DEPLOY(2));
  let r = await c.kubectl(['apply', '-f', f]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), 'deployment.apps/web created');
  r = await c.kubectl(['apply', '-f', f]);
  t.is(r.stdout.trim(), 'deployment.apps/web unchanged');
  t.is((await c.kubectl(['diff', '-f', f])).code, 0);

  writeFileSync(f, DEPLOY(3));
  const d = await c.kubectl(['diff', '-f', f]);
  t.is(d.code, 1, d.stderr);
  t.regex(d.stdout, /-\s+replicas: 2\n\+\s+replicas: 3/);

  const rvBefore = c.sim.ctx.store.resourceVersion;
  r = await c.kubectl(['apply', '--dry-run=server', '-f', f]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), 'deployment.apps/web configured (server dry run)');
  r = await c.kubectl(['apply', '--server-side', '--dry-run=server', '-f', f]);
  t.is(r.code, 0, r.stderr);
  t.is(c.sim.ctx.store.resourceVersion, rvBefore, 'dry-run stores nothing and bumps no resourceVersion');
  t.is(c.sim.ctx.api.get(deployments, 'shop', 'web')!.spec.replicas, 2);

  r = await c.kubectl(['apply', '-f', f]);
  t.is(r.stdout.trim(), 'deployment.apps/web configured');
  t.is(c.sim.ctx.api.get(deployments, 'shop', 'web')!.spec.replicas, 3);
  const patches = c.sim.requestLog.filter((e) => e.method === 'PATCH' && e.path.endsWith('/deployments/web'));
  t.is(patches.at(-1)!.contentType, 'application/strategic-merge-patch+json');

  // Server-side apply of a new object creates it, and a dry run of a new one persists nothing.
  const g = join(c.dir, 'cm.yaml');
  writeFileSync(g, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: {mode: fast}\n');
  r = await c.kubectl(['apply', '--server-side', '--dry-run=server', '-f', g]);
  t.is(r.code, 0, r.stderr);
  t.is(c.sim.ctx.api.get({ group: '', resource: 'configmaps' }, 'shop', 'settings'), undefined);
  r = await c.kubectl(['apply', '--server-side', '-f', g]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), 'configmap/settings serverside-applied');
  const cm = c.sim.ctx.api.get({ group: '', resource: 'configmaps' }, 'shop', 'settings')!;
  t.is(cm.data.mode, 'fast');
  t.true((cm.metadata.managedFields as Array<{ manager: string; operation: string }>).some((m) => m.manager === 'kubectl' && m.operation === 'Apply'));
});

test('label, annotate, patch (strategic, merge, json), scale, set image', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const f = join(c.dir, 'web.yaml');
  writeFileSync(f, DEPLOY(1));
  t.is((await c.kubectl(['apply', '-f', f])).code, 0);
  const ok = async (args: string[], out: RegExp) => {
    const r = await c.kubectl(args);
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stdout, out);
  };
  await ok(['label', 'deploy', 'web', '-n', 'shop', 'team=checkout'], /deployment.apps\/web labeled/);
  await ok(['annotate', 'deploy', 'web', '-n', 'shop', 'owner=ana'], /deployment.apps\/web annotated/);
  await ok(['patch', 'deploy', 'web', '-n', 'shop', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"B","value":"2"}]}]}}}}'], /patched/);
  await ok(['patch', 'deploy', 'web', '-n', 'shop', '--type=merge', '-p', '{"spec":{"paused":true}}'], /patched/);
  await ok(['patch', 'deploy', 'web', '-n', 'shop', '--type=json', '-p', '[{"op":"add","path":"/spec/minReadySeconds","value":5}]'], /patched/);
  await ok(['scale', 'deploy', 'web', '-n', 'shop', '--replicas=4'], /deployment.apps\/web scaled/);
  await ok(['set', 'image', 'deploy/web', '-n', 'shop', 'nginx=nginx:1.28'], /image updated/);
  const d = c.sim.ctx.api.get(deployments, 'shop', 'web')!;
  t.is(d.metadata.labels!.team, 'checkout');
  t.is(d.metadata.annotations!.owner, 'ana');
  const ctr = d.spec.template.spec.containers[0];
  t.deepEqual(ctr.env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], 'strategic merge merged env by name');
  t.is(ctr.image, 'nginx:1.28');
  t.is(d.spec.paused, true);
  t.is(d.spec.minReadySeconds, 5);
  t.is(d.spec.replicas, 4);
  const scale = c.sim.requestLog.find((e) => e.path.endsWith('/deployments/web/scale'));
  t.truthy(scale, 'kubectl scale used the scale subresource');
});

test('delete, a stale update gets 409 Conflict, invalid objects get 422', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const got = await c.kubectl(['get', 'deploy', 'frontend', '-n', 'shop', '-o', 'json']);
  t.is(got.code, 0, got.stderr);
  const stale = JSON.parse(got.stdout);
  t.is((await c.kubectl(['scale', 'deploy', 'frontend', '-n', 'shop', '--replicas=2'])).code, 0);
  stale.spec.replicas = 5;
  const f = join(c.dir, 'stale.json');
  writeFileSync(f, JSON.stringify(stale));
  const r = await c.kubectl(['replace', '-f', f]);
  t.is(r.code, 1);
  t.regex(r.stderr, /Operation cannot be fulfilled on deployments\.apps "frontend": the object has been modified; please apply your changes to the latest version and try again/);

  const bad = join(c.dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name, namespace: shop}\nspec:\n  containers: [{name: app}]\n');
  const inv = await c.kubectl(['apply', '-f', bad]);
  t.is(inv.code, 1);
  t.regex(inv.stderr, /The Pod "Bad_Name" is invalid: \n\* metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  t.regex(inv.stderr, /spec\.containers\[0\]\.image: Required value/);

  const del = await c.kubectl(['delete', 'deploy', 'frontend', '-n', 'shop']);
  t.is(del.code, 0, del.stderr);
  t.is(del.stdout.trim(), 'deployment.apps "frontend" deleted');
  const gone = await c.kubectl(['get', 'deploy', 'frontend', '-n', 'shop']);
  t.is(gone.code, 1);
  t.regex(gone.stderr, /deployments\.apps "frontend" not found/);
  const missingNs = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: nope}\n' });
  t.is(missingNs.code, 1);
  t.regex(missingNs.stderr, /namespaces "nope" not found/);
});

test('deleting a namespace: Terminating, then its objects and itself are gone; delete --all', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const dc = await c.kubectl(['delete', 'pods', '--all', '-n', 'default', '--grace-period=0', '--force']);
  t.is(dc.code, 0, dc.stderr);
  t.is((await c.kubectl(['get', 'pods', '-n', 'default', '-o', 'name'])).stdout.trim(), '');
  const del = await c.kubectl(['delete', 'namespace', 'shop', '--wait=false']);
  t.is(del.code, 0, del.stderr);
  const until = Date.now() + 20_000;
  let out = '';
  while (Date.now() < until) {
    out = (await c.kubectl(['get', 'namespace', 'shop', '--ignore-not-found', '-o', 'name'])).stdout.trim();
    if (!out) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  t.is(out, '');
  t.is(c.sim.ctx.store.list({ group: '', resource: 'pods' }, 'shop').items.length, 0);
  t.is(c.sim.ctx.store.list({ group: 'apps', resource: 'deployments' }, 'shop').items.length, 0);
  t.true(c.sim.requestLog.some((e) => e.method === 'DELETE' && e.path === '/api/v1/namespaces/shop' && e.status === 200), 'a real server answers 200 with the Terminating namespace (202 only for orphanDependents=false)');
});

test('unknown fields: kubectl apply (fieldValidation=Strict) is refused, --validate=warn warns', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  const typo = DEPLOY(1).replace('  replicas: 1', '  replica: 1').replace('namespace: shop', 'namespace: default');
  const r = await c.kubectl(['apply', '-f', '-'], { input: typo });
  t.is(r.code, 1);
  t.regex(r.stderr, /Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.replica"/);
  t.is(c.sim.ctx.api.get(deployments, 'default', 'web'), undefined);
  const w = await c.kubectl(['apply', '--validate=warn', '-f', '-'], { input: typo.replace('image: nginx:1.27', 'image: nginx:1.27\n        imagePullPolcy: Always') });
  t.is(w.code, 0, w.stderr);
  t.regex(w.stderr, /Warning: unknown field "spec\.replica"/);
  t.regex(w.stderr, /Warning: unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolcy"/);
  const d = c.sim.ctx.api.get(deployments, 'default', 'web')!;
  t.is(d.spec.replica, undefined, 'unknown fields are dropped, as decoding into typed objects does');
  t.is(d.spec.template.spec.containers[0].imagePullPolcy, undefined);
  t.is(d.spec.replicas, 1, 'defaulted');
});
