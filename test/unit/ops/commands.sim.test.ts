import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opsEnv, stopSharedSim, DEPLOY } from './sim-env.js';

test.after.always(stopSharedSim);

const changed = (diff: Array<{ op: string; text: string }>) => diff.filter((l) => l.op !== ' ').map((l) => l.op + l.text.trim());
const image = (d: any) => d.spec.template.spec.containers[0].image; // eslint-disable-line @typescript-eslint/no-explicit-any

test('set image: diff, rollout verified, undo rolls the template back', async (t) => {
  const env = await opsEnv(t);
  const { preview, result, verdicts } = await env.run('set image deploy/web web=nginx:1.28');
  t.deepEqual(changed(preview.steps[0]!.diff), ['-- image: nginx:1.27', '+- image: nginx:1.28']);
  t.true(preview.steps[0]!.impact.some((l) => /rollout replaces 2 pods/.test(l)));
  t.true(result.ok);
  t.true(verdicts[0]!.ok, verdicts[0]!.message);
  t.is(image(await env.get(env.dep)), 'nginx:1.28');
  const undo = await env.run('undo');
  t.regex(undo.preview.steps[0]!.step.title, /previous pod template/);
  t.is(undo.preview.steps[0]!.step.request.contentType, 'application/json-patch+json');
  t.true(undo.verdicts[0]!.ok);
  t.is(image(await env.get(env.dep)), 'nginx:1.27');
});

test('rollout restart, pause/resume and undo (to the previous ReplicaSet)', async (t) => {
  const env = await opsEnv(t);
  const r = await env.run('rollout restart deploy/web');
  t.true(r.verdicts[0]!.ok, r.verdicts[0]!.message);
  t.truthy((await env.get(env.dep)).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
  await env.run('set image deploy/web web=nginx:1.29');
  const u = await env.run('rollout undo deploy/web');
  t.true(u.result.ok, u.result.summary);
  t.true(u.verdicts[0]!.ok, u.verdicts[0]!.message);
  t.is(image(await env.get(env.dep)), 'nginx:1.27');
  const p = await env.run('rollout pause deploy/web');
  t.true(p.result.ok);
  t.true((await env.get(env.dep)).spec.paused);
  await env.run('rollout resume deploy/web');
  t.falsy((await env.get(env.dep)).spec.paused);
});

test('set env and set resources patch every container; undo restores', async (t) => {
  const env = await opsEnv(t);
  const e = await env.run('set env deploy/web LOG_LEVEL=debug MODE=fast');
  t.true(changed(e.preview.steps[0]!.diff).includes('+value: debug'));
  t.deepEqual((await env.get(env.dep)).spec.template.spec.containers[0].env, [{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'MODE', value: 'fast' }]);
  await env.run('set env deploy/web MODE-');
  t.deepEqual((await env.get(env.dep)).spec.template.spec.containers[0].env, [{ name: 'LOG_LEVEL', value: 'debug' }]);
  const r = await env.run('set resources deploy/web --limits=cpu=500m,memory=256Mi --requests=cpu=100m');
  t.true(r.result.ok);
  t.deepEqual((await env.get(env.dep)).spec.template.spec.containers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m' } });
  await env.run('undo');
  t.deepEqual((await env.get(env.dep)).spec.template.spec.containers[0].resources ?? {}, {});
});

test('label and annotate (selector, overwrite rules), undo restores', async (t) => {
  const env = await opsEnv(t);
  const r = await env.run('label deploy -l app=web tier=front');
  t.deepEqual(changed(r.preview.steps[0]!.diff), ['+tier: front']);
  await t.throwsAsync(env.plan('label deploy/web tier=back'), { message: /already has a value.*--overwrite/ });
  await env.run('annotate deploy/web owner=team-a');
  t.is((await env.get(env.dep)).metadata.annotations.owner, 'team-a');
  await env.run('undo');
  t.is((await env.get(env.dep)).metadata.annotations?.owner, undefined);
  await env.run('undo');
  t.is((await env.get(env.dep)).metadata.labels.tier, undefined);
});

test('patch with json, merge and strategic types', async (t) => {
  const env = await opsEnv(t);
  await env.run(`patch deploy/web --type json -p '[{"op":"replace","path":"/spec/replicas","value":3}]'`);
  t.is((await env.get(env.dep)).spec.replicas, 3);
  await env.run(`patch deploy/web --type merge -p '{"metadata":{"labels":{"m":"1"}}}'`);
  t.is((await env.get(env.dep)).metadata.labels.m, '1');
  await env.run(`patch deploy/web -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.30"}]}}}}'`);
  t.is(image(await env.get(env.dep)), 'nginx:1.30');
  t.is((await env.get(env.dep)).spec.template.spec.containers.length, 1);
});

test('apply -f DIR (several documents): creates, then updates; undo deletes what it created', async (t) => {
  const env = await opsEnv(t, { web: false });
  const dir = join(env.dir, 'app');
  mkdirSync(dir);
  const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: "${v}"\n`;
  writeFileSync(join(dir, 'a.yaml'), `${cm('1')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n`);
  writeFileSync(join(dir, 'b.yml'), JSON.stringify(DEPLOY('api', 1, env.ns)));
  const r = await env.run(`apply -f ${dir}`);
  t.deepEqual(r.preview.steps.map((s) => s.step.op), ['create', 'create', 'create']);
  t.true(r.result.ok, r.result.summary);
  t.true(r.verdicts.every((v) => v.ok), JSON.stringify(r.verdicts));
  writeFileSync(join(dir, 'a.yaml'), cm('2'));
  writeFileSync(join(dir, 'b.yml'), '');
  const r2 = await env.run(`apply -f ${join(dir, 'a.yaml')}`);
  t.is(r2.preview.steps[0]!.step.op, 'apply');
  t.is(r2.preview.steps[0]!.step.request.contentType, 'application/apply-patch+yaml');
  t.deepEqual(changed(r2.preview.steps[0]!.diff), ['-level: "1"', '+level: "2"']);
  t.is((await env.get(`/api/v1/namespaces/${env.ns}/configmaps/settings`)).data.level, '2');
  await env.run('undo');
  t.is((await env.get(`/api/v1/namespaces/${env.ns}/configmaps/settings`)).data.level, '1');
  const u = await env.run('undo');
  t.deepEqual(u.preview.steps.map((s) => s.step.op), ['delete', 'delete', 'delete']);
  t.is(await env.get(`/api/v1/namespaces/${env.ns}/services/api`), undefined);
  t.is(await env.get(`/apis/apps/v1/namespaces/${env.ns}/deployments/api`), undefined);
});

test('create -f, and bad files get one clear message', async (t) => {
  const env = await opsEnv(t, { web: false });
  writeFileSync(join(env.dir, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: made}\ndata: {a: b}\n`);
  const r = await env.run('create -f cm.yaml');
  t.true(r.verdicts[0]!.ok);
  writeFileSync(join(env.dir, 'pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\nspec: {containers: [{name: c, image: nginx:1.25}]}\n`);
  const pod = await env.run('create -f pod.yaml');
  t.true(pod.verdicts[0]!.ok, pod.verdicts[0]!.message);
  t.is(pod.verdicts[0]!.message, 'pod solo is Ready');
  const again = await env.session.preview(await env.plan('create -f cm.yaml'));
  t.false(again.acceptable);
  t.is(again.steps[0]!.dryRun.reason, 'AlreadyExists');
  writeFileSync(join(env.dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a: b\n');
  await t.throwsAsync(env.plan('apply -f bad.yaml'), { message: /bad\.yaml: invalid YAML at line \d+, column \d+/ });
  writeFileSync(join(env.dir, 'widget.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n');
  await t.throwsAsync(env.plan('apply -f widget.yaml'), { message: /doesn't have a resource type for example.com\/v1 Widget/ });
  await t.throwsAsync(env.plan('apply -f missing.yaml'), { message: /"missing.yaml" does not exist/ });
});

test('delete: impact lists cascade and services; verify gone; undo re-creates unowned objects only', async (t) => {
  const env = await opsEnv(t);
  const preview = await env.session.preview(await env.plan('delete deploy/web'));
  t.is(preview.class, 'destructive');
  const impact = preview.steps[0]!.impact.join('\n');
  t.regex(impact, /cascades to 3 owned objects: replicasets\/web-/);
  t.regex(impact, /pods\/web-/);
  t.regex(impact, /services selecting these pods: web/);
  const result = await env.session.execute(preview);
  const verdicts = await env.session.verify(preview, result, { intervalMs: 100 });
  t.true(verdicts[0]!.ok, verdicts[0]!.message);
  t.regex(verdicts[0]!.message, /is gone/);
  const u = await env.run('undo');
  t.regex(u.preview.steps[0]!.step.title, /re-create deployments\/web/);
  t.false(JSON.parse(u.preview.steps[0]!.step.request.body!).metadata.uid !== undefined);
  t.true(u.verdicts[0]!.ok);
  await env.waitFor('web available again', async () => (await env.get(env.dep))?.status?.availableReplicas === 2);

  const nsDel = await env.session.preview(await env.plan(`delete ns ${env.ns}`));
  t.is(nsDel.class, 'destructive');
  t.true(nsDel.warnings.some((w) => new RegExp(`deleting namespace ${env.ns} deletes every object in it`).test(w)));
  t.true(nsDel.steps[0]!.impact.some((l) => /deletes everything in namespace .*: \d+ pods, \d+ services, 1 deployments/.test(l)), nsDel.steps[0]!.impact.join('; '));
  t.truthy(await env.get(`/api/v1/namespaces/${env.ns}`));

  const pods = (await env.get(`/api/v1/namespaces/${env.ns}/pods`)).items;
  const pd = await env.session.preview(await env.plan(`delete pod ${pods[0].metadata.name}`));
  t.true(pd.steps[0]!.impact.some((l) => /ReplicaSet\/web-\w+ will create a replacement pod/.test(l)));
});

test('delete by selector makes one step per object and warns when it covers everything', async (t) => {
  const env = await opsEnv(t, { web: false });
  for (const n of ['a', 'b', 'c']) await env.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: env.ns, labels: { team: 'x' } } });
  const p = await env.session.preview(await env.plan('delete cm -l team=x'));
  t.is(p.steps.length, 3);
  const all = await env.session.preview(await env.plan('delete cm --all'));
  t.true(all.warnings.some((w) => /covers every configmap in namespace/.test(w)), all.warnings.join('; '));
  const r = await env.session.execute(p);
  t.true(r.ok);
  await t.throwsAsync(env.plan('delete cm -l team=x'), { message: /no configmaps match "team=x"/ });
  const u = await env.run('undo');
  t.is(u.preview.steps.length, 3);
  t.is((await env.get(`/api/v1/namespaces/${env.ns}/configmaps`)).items.filter((c: any) => c.metadata.labels?.team === 'x').length, 3); // eslint-disable-line @typescript-eslint/no-explicit-any
});

test('expose and autoscale create objects; undo deletes them', async (t) => {
  const env = await opsEnv(t);
  const e = await env.run('expose deploy/web --port=8080 --target-port=80 --name=web-ext');
  t.true(e.verdicts[0]!.ok);
  const svc = await env.get(`/api/v1/namespaces/${env.ns}/services/web-ext`);
  t.deepEqual(svc.spec.selector, { app: 'web' });
  t.is(svc.spec.ports[0].targetPort, 80);
  const a = await env.run('autoscale deploy/web --min=2 --max=5 --cpu-percent=70');
  t.true(a.result.ok, a.result.summary);
  const hpa = await env.get(`/apis/autoscaling/v2/namespaces/${env.ns}/horizontalpodautoscalers/web`);
  t.is(hpa.spec.maxReplicas, 5);
  await env.run('undo');
  t.is(await env.get(`/apis/autoscaling/v2/namespaces/${env.ns}/horizontalpodautoscalers/web`), undefined);
  await env.run('undo');
  t.is(await env.get(`/api/v1/namespaces/${env.ns}/services/web-ext`), undefined);
});

test('edit: the edited YAML becomes a replace step carrying the edited resourceVersion', async (t) => {
  const env = await opsEnv(t);
  env.session.opts.editText = async (text) => text.replace('replicas: 2', 'replicas: 3');
  const plan = await env.plan('edit deploy/web');
  const body = JSON.parse(plan.steps[0]!.request.body!);
  t.is(plan.steps[0]!.request.method, 'PUT');
  t.is(body.spec.replicas, 3);
  t.truthy(body.metadata.resourceVersion);
  const r = await env.run(plan);
  t.true(r.result.ok, r.result.summary);
  t.is((await env.get(env.dep)).spec.replicas, 3);
  env.session.opts.editText = async (text) => text;
  await t.throwsAsync(env.plan('edit deploy/web'), { message: /no changes made/ });
  env.session.opts.editText = async (text) => text.replace('name: web', 'name: other');
  await t.throwsAsync(env.plan('edit deploy/web'), { message: /cannot be changed/ });
});

test('apply -k: resources, namespace, namePrefix, commonLabels, images; unsupported keys are named', async (t) => {
  const env = await opsEnv(t, { web: false });
  const base = join(env.dir, 'base');
  const over = join(env.dir, 'overlay');
  mkdirSync(base);
  mkdirSync(over);
  writeFileSync(join(base, 'kustomization.yaml'), 'resources: [deploy.yaml]\n');
  writeFileSync(join(base, 'deploy.yaml'), JSON.stringify({ ...DEPLOY('app', 1, 'ignored'), metadata: { name: 'app' } }));
  writeFileSync(join(over, 'kustomization.yaml'), `resources: [../base]\nnamespace: ${env.ns}\nnamePrefix: prod-\ncommonLabels: {team: shop}\nimages: [{name: nginx, newTag: "1.27.3"}]\n`);
  const r = await env.run('apply -k overlay');
  t.true(r.result.ok, r.result.summary);
  const d = await env.get(`/apis/apps/v1/namespaces/${env.ns}/deployments/prod-app`);
  t.is(d.spec.template.spec.containers[0].image, 'nginx:1.27.3');
  t.is(d.metadata.labels.team, 'shop');
  t.is(d.spec.selector.matchLabels.team, 'shop');
  t.is(d.spec.template.metadata.labels.team, 'shop');
  t.true(r.verdicts[0]!.ok, r.verdicts[0]!.message);
  writeFileSync(join(over, 'kustomization.yaml'), 'resources: [../base]\nconfigMapGenerator: []\n');
  await t.throwsAsync(env.plan('apply -k overlay'), { message: /configMapGenerator is not supported/ });
  await t.throwsAsync(env.plan('apply -k nowhere'), { message: /"\/.*nowhere" is not a directory/ });
});

test('scale names an HPA that will override the new replica count', async (t) => {
  const env = await opsEnv(t);
  const plain = await env.plan('scale deploy/web --replicas=3');
  t.false(plain.steps[0]!.warnings.some((w) => /horizontalpodautoscaler/.test(w)), 'no HPA, no warning');
  await env.create({
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: env.ns },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 4, metrics: [] },
  });
  const p = await env.plan('scale deploy/web --replicas=8');
  const w = p.steps[0]!.warnings.join('\n');
  t.regex(w, /horizontalpodautoscaler\/web \(min 2, max 4\) manages deployments\/web: it will set the replicas back/);
  t.regex(w, /8 is above its maximum 4/);
});
