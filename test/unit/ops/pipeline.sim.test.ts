import test from 'ava';
import { queryString } from '../../../src/kube/request.js';
import { opsEnv, writesSince, joinPlans, stopSharedSim } from './sim-env.js';

test.after.always(stopSharedSim);

test('scale: preview diff and impact, dry-run persists nothing, execution sends the previewed bytes, verify, undo', async (t) => {
  const env = await opsEnv(t);
  const before = await env.get(env.dep);
  const plan = await env.plan('scale deploy/web --replicas=4');
  const mark = env.sim.requestLog.length;
  const preview = await env.session.preview(plan);
  t.true(preview.acceptable);
  const sp = preview.steps[0]!;
  t.true(sp.dryRun.ok);
  t.deepEqual(sp.diff.filter((l) => l.op !== ' ').map((l) => l.op + l.text.trim()), ['-replicas: 2', '+replicas: 4']);
  t.true(sp.impact.some((l) => /scale-up 2 → 4 starts 2 pods/.test(l)));
  t.true(sp.impact.some((l) => /services selecting these pods: web/.test(l)));
  t.is(sp.step.expectedResourceVersion, before.metadata.resourceVersion);
  // The dry-run was a real request with dryRun=All, and nothing changed.
  const dry = writesSince(env.sim, mark, env.ns);
  t.is(dry.length, 1);
  t.regex(dry[0]!.query, /dryRun=All/);
  const after = await env.get(env.dep);
  t.is(after.spec.replicas, 2);
  t.is(after.metadata.generation, before.metadata.generation);

  const execMark = env.sim.requestLog.length;
  const result = await env.session.execute(preview);
  t.true(result.ok, result.summary);
  const sent = writesSince(env.sim, execMark, env.ns);
  t.is(sent.length, 1);
  const req = sp.step.request;
  t.deepEqual({ method: sent[0]!.method, path: sent[0]!.path, query: sent[0]!.query, contentType: sent[0]!.contentType, body: sent[0]!.body },
    { method: req.method, path: req.path, query: queryString(req.query).slice(1), contentType: req.contentType!, body: req.body! });
  const verdicts = await env.session.verify(preview, result, { intervalMs: 100 });
  t.is(verdicts.length, 1);
  t.true(verdicts[0]!.ok, verdicts[0]!.message);
  t.regex(verdicts[0]!.message, /successfully rolled out \(4\/4 available\)/);

  const op = env.session.journal.get(result.operationId!)!;
  t.is(op.status, 'succeeded');
  t.is(op.steps[0]!.before.spec.replicas, 2);
  t.deepEqual(op.steps[0]!.request, req);

  const undo = await env.run('undo');
  t.true(undo.result.ok);
  t.is(undo.preview.plan.undoOf, result.operationId);
  t.regex(undo.preview.steps[0]!.step.title, /scale deployments\/web back to 2 replicas/);
  t.is((await env.get(env.dep)).spec.replicas, 2);
  t.true(undo.verdicts.every((v) => v.ok));
});

test('scale-down names the pods it terminates; scale to 0 is destructive with a warning', async (t) => {
  const env = await opsEnv(t);
  const p1 = await env.session.preview(await env.plan('scale deploy/web --replicas=1'));
  t.true(p1.steps[0]!.impact.some((l) => /scale-down 2 → 1 terminates 1 pod .*likely web-/.test(l)));
  const p0 = await env.session.preview(await env.plan('scale deploy/web --replicas=0'));
  t.is(p0.class, 'destructive');
  t.true(p0.warnings.some((w) => /scaled to 0/.test(w)));
});

test('conflict: an object changed after the preview is not overwritten', async (t) => {
  const env = await opsEnv(t);
  const preview = await env.session.preview(await env.plan('scale deploy/web --replicas=3'));
  // Someone else changes the deployment in between.
  const r = await env.client.request({ method: 'PATCH', path: env.dep, contentType: 'application/merge-patch+json', body: '{"metadata":{"labels":{"touched":"yes"}}}' });
  t.is(r.status, 200);
  const mark = env.sim.requestLog.length;
  const result = await env.session.execute(preview);
  t.false(result.ok);
  t.is(result.results[0]!.status, 'conflict');
  t.regex(result.results[0]!.message!, /changed since preview — re-preview/);
  t.is(writesSince(env.sim, mark, env.ns).length, 0);
  t.is((await env.get(env.dep)).spec.replicas, 2);
  t.is(env.session.journal.get(result.operationId!)!.steps.length, 0);
});

test('status-only changes after the preview are not conflicts', async (t) => {
  const env = await opsEnv(t);
  const preview = await env.session.preview(await env.plan('label deploy/web tier=front'));
  const cur = await env.get(env.dep);
  cur.status.observedGeneration = cur.status.observedGeneration; // a status write bumps resourceVersion only
  const r = await env.client.request({ method: 'PUT', path: env.dep + '/status', contentType: 'application/json', body: JSON.stringify({ ...cur, status: { ...cur.status, conditions: [...(cur.status.conditions ?? []), { type: 'Extra', status: 'True' }] } }) });
  t.is(r.status, 200);
  t.not(r.json.metadata.resourceVersion, preview.steps[0]!.step.expectedResourceVersion);
  const result = await env.session.execute(preview);
  t.true(result.ok, result.summary);
});

test('continue-on-error by default; fail-fast stops; every outcome reported', async (t) => {
  const env = await opsEnv(t, { web: false });
  for (const n of ['a', 'b']) await env.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: env.ns }, data: { k: 'v' } });
  // Step 2 patches an object step 1 deletes: it passes its dry-run but fails when run.
  const mk = async () => joinPlans('mixed', await env.plan('delete cm/a'), await env.plan('label cm/a x=1'), await env.plan('label cm/b x=1'));
  const p1 = await env.session.preview(await mk());
  t.true(p1.acceptable);
  const r1 = await env.session.execute(p1);
  t.deepEqual(r1.results.map((r) => r.status), ['succeeded', 'failed', 'succeeded']);
  t.is(r1.results[1]!.httpStatus, 404);
  t.regex(r1.results[1]!.message!, /not found/);
  t.is(env.session.journal.get(r1.operationId!)!.status, 'partial');
  t.regex(r1.summary, /2 succeeded, 1 failed of 3 steps/);

  await env.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: env.ns }, data: { k: 'v' } });
  await env.client.request({ method: 'PATCH', path: `/api/v1/namespaces/${env.ns}/configmaps/b`, contentType: 'application/merge-patch+json', body: '{"metadata":{"labels":{"x":null}}}' });
  const p2 = await env.session.preview(await mk());
  const r2 = await env.session.execute(p2, { failFast: true });
  t.deepEqual(r2.results.map((r) => r.status), ['succeeded', 'failed', 'skipped']);
  t.is((await env.get(`/api/v1/namespaces/${env.ns}/configmaps/b`)).metadata.labels?.x, undefined);
});

test('a failing dry-run is shown verbatim and the plan cannot be accepted', async (t) => {
  const env = await opsEnv(t);
  const preview = await env.session.preview(await env.plan(`patch deploy/web --type merge -p '{"spec":{"replicas":"many"}}'`));
  t.false(preview.acceptable);
  t.false(preview.steps[0]!.dryRun.ok);
  t.true(preview.steps[0]!.dryRun.status >= 400);
  t.is(preview.refusals[0], `step 1 failed its dry-run: ${preview.steps[0]!.dryRun.message}`);
  await t.throwsAsync(env.session.execute(preview), { message: /cannot be executed/ });
});

test('read-only mode refuses mutating plans', async (t) => {
  const env = await opsEnv(t, { readonly: true });
  const preview = await env.session.preview(await env.plan('scale deploy/web --replicas=3'));
  t.false(preview.acceptable);
  t.true(preview.refusals.some((r) => /read-only mode/.test(r)));
});

test('undo preview says when the object changed after the operation', async (t) => {
  const env = await opsEnv(t);
  await env.run('scale deploy/web --replicas=3');
  const r = await env.client.request({ method: 'PATCH', path: env.dep + '/scale', contentType: 'application/merge-patch+json', body: '{"spec":{"replicas":4}}' });
  t.is(r.status, 200);
  const p = await env.session.preview(await env.plan('undo'));
  t.true(p.steps[0]!.warnings.some((w) => /changed since the operation .*undoing overwrites those later changes/.test(w)), p.steps[0]!.warnings.join('; '));
  t.true(p.steps[0]!.impact.some((l) => /scale-down 4 → 2/.test(l)));
});

test('verification gives a clear negative verdict when the rollout cannot finish', async (t) => {
  const env = await opsEnv(t);
  const preview = await env.session.preview(await env.plan('set image deploy/web web=registry.invalid/nope:1'));
  const result = await env.session.execute(preview);
  t.true(result.ok);
  const progress: string[] = [];
  const verdicts = await env.session.verify(preview, result, { timeoutMs: 3000, intervalMs: 100, onProgress: (_i, m) => progress.push(m) });
  t.false(verdicts[0]!.ok);
  t.regex(verdicts[0]!.message, /^timed out after 3 s: Waiting for deployment "web" rollout to finish/);
  t.true(progress.length >= 1);
  // The gone-verdict of a delete, for contrast, is reached through the terminating state.
  const del = await env.run(`delete svc/web`);
  t.true(del.verdicts[0]!.ok);
});

test('outside warnings (an LLM) show on the step and can raise its class, never lower it', async (t) => {
  const env = await opsEnv(t);
  const plan = await env.plan('label deploy/web tier=db');
  const up = await env.session.preview(plan, [{ index: 0, to: 'destructive', reason: 'LLM: web is the only frontend' }]);
  t.is(up.class, 'destructive');
  t.true(up.steps[0]!.warnings.includes('LLM: web is the only frontend'));
  t.true(up.steps[0]!.step.classReasons.some((r) => /raised to destructive/.test(r)));
  const down = await env.session.preview(await env.plan('delete svc/web'), [{ index: 0, to: 'read-only', reason: 'LLM: harmless' }]);
  t.is(down.class, 'destructive');
});

test('previews never persist: every write they send carries dryRun=All and nothing changes', async (t) => {
  const env = await opsEnv(t);
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  writeFileSync(join(env.dir, 'new.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fresh}\ndata: {a: b}\n');
  const list = async () => JSON.stringify((await env.get(`/api/v1/namespaces/${env.ns}/pods`)).items.map((p: { metadata: { name: string; deletionTimestamp?: string } }) => [p.metadata.name, p.metadata.deletionTimestamp ?? null]));
  const before = { dep: await env.get(env.dep), pods: await list() };
  const mark = env.sim.requestLog.length;
  for (const text of ['delete deploy/web', 'label deploy/web a=b', `patch deploy/web --type json -p '[{"op":"replace","path":"/spec/replicas","value":7}]'`,
    'apply -f new.yaml', 'set image deploy/web web=nginx:9', 'rollout restart deploy/web', 'scale deploy/web --replicas=0', 'expose deploy/web --port=81 --name=x']) {
    const p = await env.session.preview(await env.plan(text));
    t.true(p.steps.every((s) => s.dryRun.ok), `${text}: ${p.refusals.join('; ')}`);
  }
  const pods = (await env.get(`/api/v1/namespaces/${env.ns}/pods`)).items;
  const ev = await env.session.preview((await import('../../../src/ops/plan.js')).newPlan('evict', [
    (await import('../../../src/ops/commands/env.js')).makeStep({ title: 'evict', op: 'evict', target: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: env.ns, name: pods[0].metadata.name },
      request: { method: 'POST', path: `/api/v1/namespaces/${env.ns}/pods/${pods[0].metadata.name}/eviction`, contentType: 'application/json', body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pods[0].metadata.name, namespace: env.ns } }) } })]));
  t.true(ev.steps[0]!.dryRun.ok);
  const writes = env.sim.requestLog.slice(mark).filter((e) => e.method !== 'GET' && e.path.includes(`/namespaces/${env.ns}/`));
  t.true(writes.length >= 9);
  t.true(writes.every((w) => /(^|&)dryRun=All(&|$)/.test(w.query)), JSON.stringify(writes.filter((w) => !/dryRun=All/.test(w.query))));
  const after = { dep: await env.get(env.dep), pods: await list() };
  t.is(after.dep.metadata.resourceVersion, before.dep.metadata.resourceVersion);
  t.is(after.pods, before.pods);
  t.is(await env.get(`/api/v1/namespaces/${env.ns}/configmaps/fresh`), undefined);
  t.is(await env.get(`/api/v1/namespaces/${env.ns}/services/x`), undefined);
});
