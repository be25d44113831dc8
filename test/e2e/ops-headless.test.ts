/** kai-tui do / undo / history as a user runs them, against the embedded cluster; journal recovery after kill -9. */
import test from 'ava';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { opsEnv, stopSharedSim, type OpsTestEnv } from '../unit/ops/sim-env.js';
import { Journal } from '../../src/ops/journal.js';
import { Tmux } from '../support/tmux.js';

test.after.always(stopSharedSim);

const BIN = join(process.cwd(), 'bin', 'kai-tui');

function kai(env: OpsTestEnv, args: string[]): { done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>; pid: number; kill(): void } {
  const connect = args[0] === 'history' ? [] : ['--kubeconfig', env.kubeconfig, '-n', env.ns, '--timeout', '20'];
  const child = spawn(process.execPath, [BIN, ...args, ...connect], {
    env: { ...process.env, KAI_TUI_CONFIG_DIR: env.dir, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { done, pid: child.pid!, kill: () => child.kill('SIGKILL') };
}
const run = async (env: OpsTestEnv, ...args: string[]) => kai(env, args).done;

test('do refuses without --yes when stdin is not a terminal; nothing runs', async (t) => {
  const env = await opsEnv(t);
  const r = await run(env, 'do', 'scale deploy/web --replicas=3');
  t.is(r.code, 1);
  t.regex(r.stdout, /dry-run: OK/);
  t.regex(r.stderr, /refusing to execute without --yes: stdin is not a terminal/);
  t.is((await env.get(env.dep)).spec.replicas, 2);
});

test('do --dry-run --json prints the preview; --yes --json executes and verifies; undo; history', async (t) => {
  const env = await opsEnv(t);
  const dry = await run(env, 'do', 'scale deploy/web --replicas=3', '--dry-run', '--json');
  t.is(dry.code, 0, dry.stderr);
  const pj = JSON.parse(dry.stdout);
  t.true(pj.preview.acceptable);
  t.is(pj.preview.steps[0].request.body, '{"spec":{"replicas":3}}');
  t.true(pj.preview.steps[0].dryRun.ok);
  t.is((await env.get(env.dep)).spec.replicas, 2);

  const go = await run(env, 'do', 'scale deploy/web --replicas=3', '--yes', '--json');
  t.is(go.code, 0, go.stderr);
  const gj = JSON.parse(go.stdout);
  t.true(gj.execution.ok);
  t.true(gj.verification.every((v: { ok: boolean }) => v.ok));
  t.is((await env.get(env.dep)).spec.replicas, 3);

  const u = await run(env, 'undo', '--yes');
  t.is(u.code, 0, u.stderr);
  t.regex(u.stdout, /scale deployments\/web back to 2 replicas/);
  t.is((await env.get(env.dep)).spec.replicas, 2);

  const h = await run(env, 'history');
  t.regex(h.stdout, /#2 .* succeeded .* undo #1: scale deploy\/web --replicas=3 +\(undo of #1\)/);
  t.regex(h.stdout, /#1 .* succeeded .* scale deploy\/web --replicas=3 +\(undone by #2\)/);
});

test('bad input: one clear line, exit non-zero, nothing executed', async (t) => {
  const env = await opsEnv(t);
  const a = await run(env, 'do', 'frobnicate deploy/web', '--yes');
  t.is(a.code, 1);
  t.is(a.stderr.trim().split('\n').length, 1);
  t.regex(a.stderr, /unknown command "frobnicate"/);
  const b = await run(env, 'do', 'delete cm/nope', '--yes');
  t.is(b.code, 1);
  t.regex(b.stdout, /dry-run: FAILED \(404 NotFound\): configmaps "nope" not found/);
  const c = await run(env, 'do', 'apply -f /no/such/file.yaml', '--yes');
  t.is(c.code, 1);
  t.regex(c.stderr, /the path "\/no\/such\/file.yaml" does not exist/);
  const d = await run(env, 'do');
  t.is(d.code, 2, d.stderr);
});

test('kill -9 in the middle of a plan: the journal opens, says which steps ran, and undo restores them', async (t) => {
  const env = await opsEnv(t, { web: false });
  const N = 60;
  for (let i = 0; i < N; i++) await env.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: env.ns, labels: { batch: 'one' } }, data: { i: String(i) } });
  const p = kai(env, ['do', 'delete cm -l batch=one', '--yes', '--no-verify']);
  const file = join(env.dir, 'journal.sqlite');
  // Watch the journal from outside (WAL allows a concurrent reader) and kill once a few steps ran.
  await env.waitFor('five steps journaled', async () => {
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try { return (db.prepare('SELECT COUNT(*) AS n FROM step_ends').get() as { n: number }).n >= 5; } finally { db.close(); }
    } catch { return false; }
  }, 60_000);
  p.kill();
  const r = await p.done;
  t.is(r.signal, 'SIGKILL');

  const j = new Journal(file);
  const op = j.list()[0]!;
  j.close();
  t.is(op.status, 'interrupted');
  const ran = op.steps.filter((s) => s.status === 'succeeded');
  t.true(ran.length >= 5 && ran.length < N, `ran ${ran.length}`);
  t.true(op.steps.every((s) => s.status === 'succeeded' || s.status === 'unknown'));
  const left = (await env.get(`/api/v1/namespaces/${env.ns}/configmaps`)).items.filter((c: { metadata: { labels?: Record<string, string> } }) => c.metadata.labels?.batch === 'one');
  const unknown = op.steps.filter((s) => s.status === 'unknown').length;
  t.true(left.length <= N - ran.length && left.length >= N - ran.length - unknown, `left ${left.length}, ran ${ran.length}, unknown ${unknown}`);
  for (const s of ran) t.false(left.some((c: { metadata: { name: string } }) => c.metadata.name === s.target.name));

  const h = await run(env, 'history');
  t.regex(h.stdout, new RegExp(`#1 .* interrupted +${ran.length}/${op.steps.length} steps ran`));
  const u = await run(env, 'undo', '--yes', '--no-verify');
  t.is(u.code, 0, u.stderr + u.stdout.slice(-2000));
  const back = (await env.get(`/api/v1/namespaces/${env.ns}/configmaps`)).items.filter((c: { metadata: { labels?: Record<string, string> } }) => c.metadata.labels?.batch === 'one');
  t.is(back.length, N);
});

test('on a terminal, do asks; a destructive plan needs the word yes', async (t) => {
  const env = await opsEnv(t, { web: false });
  await env.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'doomed', namespace: env.ns } });
  const args = ['node', BIN, 'do', 'delete cm/doomed', '--kubeconfig', env.kubeconfig, '-n', env.ns];
  const tm = await Tmux.start(t, args, { env: { KAI_TUI_CONFIG_DIR: env.dir, NO_COLOR: '1' }, width: 150, height: 40 });
  await tm.waitFor(/This plan is DESTRUCTIVE — type 'yes' to confirm/, 30_000);
  tm.type('y');
  tm.keys('Enter');
  await tm.waitFor(/not confirmed; nothing was executed/);
  await tm.waitFor(/\[exit 1\]/);
  t.truthy(await env.get(`/api/v1/namespaces/${env.ns}/configmaps/doomed`));
  const tm2 = await Tmux.start(t, args, { env: { KAI_TUI_CONFIG_DIR: env.dir, NO_COLOR: '1' }, width: 150, height: 40 });
  await tm2.waitFor(/type 'yes' to confirm/, 30_000);
  tm2.type('yes');
  tm2.keys('Enter');
  await tm2.waitFor(/verified 1\. delete configmaps\/doomed in .*: configmaps\/doomed is gone/, 30_000);
  await tm2.waitFor(/\[exit 0\]/);
  t.is(await env.get(`/api/v1/namespaces/${env.ns}/configmaps/doomed`), undefined);
});
