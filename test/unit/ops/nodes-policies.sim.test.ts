import test from 'ava';
import { opsEnv, stopSharedSim } from './sim-env.js';
import type { OpsTestEnv } from './sim-env.js';

test.after.always(stopSharedSim);

/** A tainted node of this test's own, with a 2-replica deployment pinned to it. */
async function nodeWithPods(env: OpsTestEnv, pdbMin?: number) {
  const node = `dn-${env.ns}`;
  await env.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: node, labels: { 'kubernetes.io/hostname': node } },
    spec: { taints: [{ key: 'dedicated', value: node, effect: 'NoSchedule' }] },
    status: { capacity: { cpu: '8', memory: '16Gi', pods: '110' }, allocatable: { cpu: '8', memory: '16Gi', pods: '110' } } });
  await env.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'pinned', namespace: env.ns },
    spec: { replicas: 2, selector: { matchLabels: { app: 'pinned' } }, template: { metadata: { labels: { app: 'pinned' } }, spec: {
      nodeSelector: { 'kubernetes.io/hostname': node }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: node, effect: 'NoSchedule' }],
      containers: [{ name: 'c', image: 'busybox' }] } } } });
  if (pdbMin !== undefined) await env.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pinned', namespace: env.ns }, spec: { minAvailable: pdbMin, selector: { matchLabels: { app: 'pinned' } } } });
  await env.waitFor('pinned available', async () => (await env.get(`/apis/apps/v1/namespaces/${env.ns}/deployments/pinned`))?.status?.availableReplicas === 2);
  if (pdbMin !== undefined) await env.waitFor('pdb status', async () => (await env.get(`/apis/policy/v1/namespaces/${env.ns}/poddisruptionbudgets/pinned`))?.status?.currentHealthy === 2);
  return node;
}

test('cordon / uncordon, and undo of a cordon', async (t) => {
  const env = await opsEnv(t, { web: false });
  const node = await nodeWithPods(env);
  const c = await env.run(`cordon ${node}`);
  t.deepEqual(c.preview.steps[0]!.diff.filter((l) => l.op !== ' ').map((l) => l.op + l.text.trim()), ['+unschedulable: true']);
  t.true((await env.get(`/api/v1/nodes/${node}`)).spec.unschedulable);
  await env.run('undo');
  t.falsy((await env.get(`/api/v1/nodes/${node}`)).spec.unschedulable);
});

test('drain: cordon + one eviction per pod, impact, node drained verdict; undo uncordons', async (t) => {
  const env = await opsEnv(t, { web: false });
  const node = await nodeWithPods(env);
  const plan = await env.plan(`drain ${node}`);
  t.deepEqual(plan.steps.map((s) => s.op), ['cordon', 'evict', 'evict']);
  t.true(plan.steps.slice(1).every((s) => s.class === 'destructive' && s.request.path.endsWith('/eviction')));
  const r = await env.run(plan);
  t.true(r.result.ok, JSON.stringify(r.result.results));
  t.true(r.preview.steps[1]!.impact.some((l) => new RegExp(`evicts pod ${env.ns}/pinned-.* from ${node}`).test(l)));
  t.is(r.verdicts.length, 1);
  t.true(r.verdicts[0]!.ok, r.verdicts[0]!.message);
  t.regex(r.verdicts[0]!.message, /drained/);
  const pods = (await env.get(`/api/v1/pods`)).items.filter((p: any) => p.spec.nodeName === node && !p.metadata.deletionTimestamp); // eslint-disable-line @typescript-eslint/no-explicit-any
  t.is(pods.length, 0);
  const u = await env.run('undo');
  t.deepEqual(u.preview.steps.map((s) => s.step.op), ['uncordon']);
  t.falsy((await env.get(`/api/v1/nodes/${node}`)).spec.unschedulable);
});

test('drain into a PodDisruptionBudget: the preview warns, the server refuses the excess evictions', async (t) => {
  const env = await opsEnv(t, { web: false });
  const node = await nodeWithPods(env, 2);
  const p = await env.session.preview(await env.plan(`drain ${node}`));
  t.true(p.impact.some((l) => /PodDisruptionBudget .*\/pinned covers 2 evicted pods \(allows 0 disruptions now\)/.test(l)), p.impact.join('\n'));
  t.true(p.warnings.some((w) => /would be violated/.test(w)));
  const evictions = p.steps.filter((s) => s.step.op === 'evict');
  t.true(evictions.every((s) => !s.dryRun.ok && s.dryRun.status === 429 && /disruption budget/.test(s.dryRun.message!)), JSON.stringify(evictions.map((s) => s.dryRun)));
  t.false(p.acceptable);
});

test('drain refuses DaemonSet pods and bare pods without the flags', async (t) => {
  const env = await opsEnv(t, { web: false });
  const node = await nodeWithPods(env);
  await env.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare', namespace: env.ns }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] } });
  await t.throwsAsync(env.plan(`drain ${node}`), { message: /bare is not managed by a controller .*--force/ });
  const plan = await env.plan(`drain ${node} --force`);
  t.is(plan.steps.filter((s) => s.op === 'evict').length, 3);
});

test('policies block plans and name the rule', async (t) => {
  const env = await opsEnv(t, { policies: {
    'prod.yaml': `rules:
  - name: no deletes here
    deny: { ops: [delete], namespaces: [${'NS'}] }
  - name: replicas at most 5
    maxReplicas: 5
  - name: images from our registry
    allowedRegistries: [registry.example.com/, nginx]
  - name: needs a PDB
    namespaces: [${'NS'}]
    requirePodDisruptionBudget: true
` } });
  // The policy names this test's namespace.
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  writeFileSync(join(env.dir, 'policies', 'prod.yaml'), (await import('node:fs')).readFileSync(join(env.dir, 'policies', 'prod.yaml'), 'utf8').replaceAll('NS', env.ns));
  const { OpsSession } = await import('../../../src/ops/session.js');
  const s = await OpsSession.open({ ...env.session.opts, kinds: { kinds: () => env.session.kinds.all() } });
  t.teardown(() => s.close());
  const plan = async (text: string) => { const i = await s.parse(text); if (i.type !== 'plan') throw new Error('no plan'); return s.preview(i.plan); };

  const del = await plan('delete deploy/web');
  t.false(del.acceptable);
  t.true(del.refusals.some((r) => r === 'blocked by policy "no deletes here": step 1 (delete deployments/web in ' + env.ns + ') is not allowed'), del.refusals.join('\n'));
  const big = await plan('scale deploy/web --replicas=9');
  t.true(big.refusals.some((r) => /policy "replicas at most 5": deployments\/web would have 9 replicas/.test(r)));
  t.true(big.refusals.some((r) => /policy "needs a PDB": deployments\/web in .* has no PodDisruptionBudget/.test(r)));
  const img = await plan('set image deploy/web web=docker.io/evil:1');
  t.true(img.refusals.some((r) => /policy "images from our registry": image docker.io\/evil:1/.test(r)));
  await env.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: env.ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } });
  const ok = await plan('scale deploy/web --replicas=3');
  t.deepEqual(ok.refusals, []);
  t.true(ok.acceptable);
});
