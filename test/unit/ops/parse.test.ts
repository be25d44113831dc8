import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand, OpsInputError, type OpsEnv } from '../../../src/ops/commands/index.js';
import { tokenize } from '../../../src/ops/commands/tokens.js';
import { hashRequest } from '../../../src/ops/plan.js';
import { kindIndex } from './kinds-fixture.js';

// These commands build their requests without reading the cluster; a client that fails loudly proves it.
const noClient = new Proxy({}, { get() { throw new Error('the parser must not call the cluster here'); } });
const env = (over: Partial<OpsEnv> = {}): OpsEnv => ({ client: noClient as never, kinds: kindIndex(), namespace: 'shop', cwd: mkdtempSync(join(tmpdir(), 'kai-')), ...over });

test('tokenize honours quotes and escapes', (t) => {
  t.deepEqual(tokenize(`patch deploy/web -p '{"spec": {"replicas": 2}}' --type=merge`), ['patch', 'deploy/web', '-p', '{"spec": {"replicas": 2}}', '--type=merge']);
  t.deepEqual(tokenize('a "b c" d\\ e'), ['a', 'b c', 'd e']);
  t.throws(() => tokenize('a "b'), { instanceOf: OpsInputError, message: /unterminated/ });
});

test('scale builds the exact merge patch on the scale subresource', async (t) => {
  const i = await parseCommand('scale deploy/web --replicas=5', env());
  if (i.type !== 'plan') return t.fail();
  const s = i.plan.steps[0]!;
  t.is(s.request.method, 'PATCH');
  t.is(s.request.path, '/apis/apps/v1/namespaces/shop/deployments/web/scale');
  t.is(s.request.contentType, 'application/merge-patch+json');
  t.is(s.request.body, '{"spec":{"replicas":5}}');
  t.is(s.class, 'mutating');
  t.is(s.hash, hashRequest(s.request));
  t.is(i.plan.source, 'scale deploy/web --replicas=5');
});

test('scale to 0 is destructive; kubectl prefix and -n work', async (t) => {
  const i = await parseCommand('kubectl scale deployment web --replicas 0 -n prod', env());
  if (i.type !== 'plan') return t.fail();
  t.is(i.plan.steps[0]!.class, 'destructive');
  t.is(i.plan.steps[0]!.request.path, '/apis/apps/v1/namespaces/prod/deployments/web/scale');
  t.true(i.plan.steps[0]!.warnings.some((w) => /0/.test(w)));
});

test('delete by names makes one destructive step each', async (t) => {
  const i = await parseCommand('delete po a b', env());
  if (i.type !== 'plan') return t.fail();
  t.deepEqual(i.plan.steps.map((s) => [s.request.method, s.request.path, s.class]), [
    ['DELETE', '/api/v1/namespaces/shop/pods/a', 'destructive'], ['DELETE', '/api/v1/namespaces/shop/pods/b', 'destructive']]);
  t.is(i.plan.steps[0]!.request.body, '{"propagationPolicy":"Background"}');
});

test('delete marked uses the cockpit rows', async (t) => {
  const kinds = kindIndex();
  const i = await parseCommand('delete marked', env({ marked: [{ kind: kinds.resolve('deploy')!, namespace: 'x', name: 'web' }] }));
  if (i.type !== 'plan') return t.fail();
  t.is(i.plan.steps[0]!.request.path, '/apis/apps/v1/namespaces/x/deployments/web');
  await t.throwsAsync(parseCommand('delete marked', env()), { message: /no rows are marked/ });
});

test('patch types map to content types; json patch must be a list', async (t) => {
  for (const [type, ct] of [['json', 'application/json-patch+json'], ['merge', 'application/merge-patch+json'], ['strategic', 'application/strategic-merge-patch+json']]) {
    const body = type === 'json' ? '[{"op":"replace","path":"/spec/replicas","value":2}]' : '{"spec":{"replicas":2}}';
    const i = await parseCommand(`patch deploy web --type ${type} -p '${body}'`, env());
    if (i.type !== 'plan') return t.fail();
    t.is(i.plan.steps[0]!.request.contentType, ct);
    t.is(i.plan.steps[0]!.request.body, JSON.stringify(JSON.parse(body)));
  }
  await t.throwsAsync(parseCommand(`patch deploy web --type json -p '{"a":1}'`, env()), { message: /list of operations/ });
});

test('rollout restart and pause are strategic merge patches', async (t) => {
  const r = await parseCommand('rollout restart deploy/web', env());
  if (r.type !== 'plan') return t.fail();
  t.regex(r.plan.steps[0]!.request.body!, /kubectl\.kubernetes\.io\/restartedAt/);
  t.deepEqual(r.plan.steps[0]!.verify, { kind: 'rollout' });
  const p = await parseCommand('rollout pause deploy/web', env());
  if (p.type !== 'plan') return t.fail();
  t.is(p.plan.steps[0]!.request.body, '{"spec":{"paused":true}}');
});

test('set image builds a container patch at the pod template', async (t) => {
  const i = await parseCommand('set image deploy/web web=nginx:1.27 side=busybox', env());
  if (i.type !== 'plan') return t.fail();
  t.is(i.plan.steps[0]!.request.body, '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"},{"name":"side","image":"busybox"}]}}}}');
});

test('label with --overwrite and removal', async (t) => {
  const i = await parseCommand('label deploy/web tier=front old- --overwrite', env());
  if (i.type !== 'plan') return t.fail();
  t.is(i.plan.steps[0]!.request.body, '{"metadata":{"labels":{"tier":"front","old":null}}}');
  t.is(i.plan.steps[0]!.request.contentType, 'application/merge-patch+json');
});

test('read-only verbs navigate; undo is an intent', async (t) => {
  t.like(await parseCommand('get pods -n shop', env()), { type: 'show', verb: 'get', args: ['pods', '-n', 'shop'] });
  t.like(await parseCommand('logs web-1', env()), { type: 'show', verb: 'logs' });
  t.deepEqual(await parseCommand('undo 4', env()), { type: 'undo', id: 4 });
  t.deepEqual(await parseCommand('undo', env()), { type: 'undo' });
});

test('bad input gets one clear message', async (t) => {
  await t.throwsAsync(parseCommand('frobnicate deploy/web', env()), { instanceOf: OpsInputError, message: /unknown command "frobnicate"/ });
  await t.throwsAsync(parseCommand('scale widgets/x --replicas=2', env()), { instanceOf: OpsInputError, message: /doesn't have a resource type "widgets"/ });
  await t.throwsAsync(parseCommand('scale deploy/web', env()), { instanceOf: OpsInputError, message: /--replicas=N is required/ });
  await t.throwsAsync(parseCommand('scale deploy/web --replicas=-1', env()), { instanceOf: OpsInputError });
  await t.throwsAsync(parseCommand('scale deploy/web --replicas=2 --bogus', env()), { instanceOf: OpsInputError, message: /unknown flag --bogus/ });
  await t.throwsAsync(parseCommand('apply -f /nonexistent/x.yaml', env()), { instanceOf: OpsInputError, message: /does not exist/ });
  await t.throwsAsync(parseCommand('', env()), { instanceOf: OpsInputError });
});

test('bad YAML names line and column', async (t) => {
  const e = env();
  writeFileSync(join(e.cwd, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [1, 2\n');
  const err = await t.throwsAsync(parseCommand('apply -f bad.yaml', e), { instanceOf: OpsInputError });
  t.regex(err!.message, /bad\.yaml: invalid YAML at line \d+, column \d+/);
});
