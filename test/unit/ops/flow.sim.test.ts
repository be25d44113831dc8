/** The interactive flow (what the cockpit's panes drive): modes, the destructive second key, refine, edit step. */
import test from 'ava';
import { OpsFlow, type FlowState } from '../../../src/ops/flow.js';
import { opsEnv, stopSharedSim } from './sim-env.js';

test.after.always(stopSharedSim);

const until = async (flow: OpsFlow, phase: FlowState['phase'], ms = 20_000) => {
  const end = Date.now() + ms;
  while (flow.state.phase !== phase) {
    if (Date.now() > end) throw new Error(`flow stayed in ${flow.state.phase}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return flow.state;
};

test('manual: destructive plans need a second accept; results and verdicts follow', async (t) => {
  const env = await opsEnv(t);
  const flow = new OpsFlow(env.session);
  await flow.submit('scale deploy/web --replicas=0');
  t.is(flow.state.phase, 'preview');
  t.is(await flow.accept(), 'armed');
  t.is((await env.get(env.dep)).spec.replicas, 2);
  t.is(await flow.accept(), 'started');
  const done = await until(flow, 'done');
  if (done.phase !== 'done') return t.fail();
  t.true(done.ok, JSON.stringify(done.verdicts));
  t.is((await env.get(env.dep)).spec.replicas, 0);
});

test('semiauto asks for each step; a declined step is not sent', async (t) => {
  const env = await opsEnv(t, { mode: 'semiauto', web: false });
  for (const n of ['a', 'b']) await env.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: env.ns } });
  const flow = new OpsFlow(env.session);
  await flow.submit('label cm a b x=1');
  await flow.accept();
  let s = await until(flow, 'running');
  while (s.phase === 'running' && s.confirmIndex === undefined) { await new Promise((r) => setTimeout(r, 20)); s = flow.state; }
  t.is(s.phase === 'running' && s.confirmIndex, 0);
  await flow.accept(); // yes to step 1
  for (;;) { s = flow.state; if (s.phase === 'running' && s.confirmIndex === 1) break; await new Promise((r) => setTimeout(r, 20)); }
  flow.reject(); // no to step 2
  const done = await until(flow, 'done');
  if (done.phase !== 'done') return t.fail();
  t.deepEqual(done.result.results.map((r) => r.status), ['succeeded', 'declined']);
  t.is((await env.get(`/api/v1/namespaces/${env.ns}/configmaps/a`)).metadata.labels.x, '1');
  t.is((await env.get(`/api/v1/namespaces/${env.ns}/configmaps/b`)).metadata.labels?.x, undefined);
});

test('auto mode executes an acceptable plan without asking; refused plans never run', async (t) => {
  const env = await opsEnv(t, { mode: 'auto' });
  const flow = new OpsFlow(env.session);
  await flow.submit('label deploy/web auto=yes');
  const done = await until(flow, 'done');
  t.true(done.phase === 'done' && done.ok);
  t.is((await env.get(env.dep)).metadata.labels.auto, 'yes');
  await flow.submit(`patch deploy/web --type merge -p '{"spec":{"replicas":"x"}}'`);
  t.is(flow.state.phase, 'preview');
  t.is(await flow.accept(), 'refused');
});

test('refine returns the text; edit step re-previews the edited request; errors are one line', async (t) => {
  const env = await opsEnv(t);
  const flow = new OpsFlow(env.session);
  await flow.submit('scale deploy/web --replicas=3');
  t.is(flow.refine(), 'scale deploy/web --replicas=3');
  t.is(flow.state.phase, 'idle');
  await flow.submit('scale deploy/web --replicas=3');
  await flow.editStep(0, async (body) => body.replace('3', '5'));
  const s = flow.state;
  if (s.phase !== 'preview') return t.fail(JSON.stringify(s));
  t.is(s.preview.plan.steps[0]!.request.body, '{"spec":{"replicas":5}}');
  t.regex(s.preview.plan.steps[0]!.title, /\(edited\)/);
  t.true(s.preview.steps[0]!.diff.some((l) => l.op === '+' && /replicas: 5/.test(l.text)));
  await flow.submit('scale widgets/x --replicas=1');
  t.like(flow.state, { phase: 'error', message: 'the server doesn\'t have a resource type "widgets"' });
  let shown = '';
  flow.hooks.onShow = (i) => { shown = i.verb; };
  await flow.submit('logs web-1');
  t.is(shown, 'logs');
});
