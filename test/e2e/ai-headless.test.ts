/**
 * The AI verbs as scripts use them, against the embedded cluster and a scripted fake LLM
 * (OpenAI protocol): `do "<plain language>"` (plan drafted, revised after a dry-run error,
 * previewed, executed with --yes only when not destructive), `check` exit codes, `ask --json`.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { opsEnv, stopSharedSim, type OpsTestEnv } from '../unit/ops/sim-env.js';
import { startFakeLlm, type FakeLlm, type FakeTurn } from '../support/fake-llm.js';

test.after.always(stopSharedSim);

const BIN = join(process.cwd(), 'bin', 'kai-tui');

function kai(env: OpsTestEnv, fake: FakeLlm, args: string[], extra: string[] = ['--kubeconfig', env.kubeconfig, '-n', env.ns], cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args, ...extra], { cwd,
    env: { ...process.env, KAI_TUI_CONFIG_DIR: env.dir, NO_COLOR: '1', OPENAI_BASE_URL: fake.openaiBase, OPENAI_API_KEY: 'sk-test-0000000000000000', OLLAMA_HOST: '' }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr })));
}

async function setup(t: Parameters<typeof opsEnv>[0], script: FakeTurn[]) {
  const env = await opsEnv(t, { web: true });
  const fake = await startFakeLlm({ script });
  t.teardown(() => fake.close());
  return { env, fake };
}

const propose = (commands: string[], extra: Record<string, unknown> = {}): FakeTurn => ({ toolCalls: [{ name: 'propose_plan', arguments: { rationale: 'as asked', commands, ...extra } }] });

test('do "<plain language>" --yes: the drafted plan is previewed, executed and verified', async (t) => {
  const { env, fake } = await setup(t, []);
  fake.push(propose([`scale deploy/web --replicas 4 -n ${env.ns}`]), { text: 'Scaled web to 4.' });
  const r = await kai(env, fake, ['do', 'make web bigger, four replicas please', '--yes']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /not a command; asking openai:gpt-4o-mini/);
  t.regex(r.stderr, /draft 1: scale deploy\/web --replicas 4 .* dry-run OK/);
  t.regex(r.stdout, /drafted by the AI assistant/);
  t.is((await env.get(env.dep)).spec.replicas, 4);
  // The model was told what the cluster has.
  t.regex(JSON.stringify(fake.chats()[0]!.body.messages), /Capabilities of this cluster/);
});

test('a dry-run error is revised in a visible second draft', async (t) => {
  const { env, fake } = await setup(t, []);
  fake.push(propose([`scale deploy/no-such-thing --replicas 3 -n ${env.ns}`]), propose([`scale deploy/web --replicas 3 -n ${env.ns}`]), { text: 'Done drafting.' });
  const r = await kai(env, fake, ['do', 'scale the web thing to 3', '--yes']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /draft 1: .*no-such-thing.* — (refused|no valid step)/);
  t.regex(r.stderr, /draft 2: scale deploy\/web --replicas 3 .* dry-run OK/);
  t.is((await env.get(env.dep)).spec.replicas, 3);
});

test('--yes never confirms a destructive plan the model drafted (also in auto mode); nothing runs', async (t) => {
  const { env, fake } = await setup(t, []);
  fake.push(propose([`delete deploy/web -n ${env.ns}`]), { text: 'Deleted.' });
  const r = await kai(env, fake, ['do', 'get rid of web', '--yes']);
  t.is(r.code, 1);
  t.regex(r.stderr, /drafted a DESTRUCTIVE plan: --yes and auto mode never confirm it/);
  t.truthy(await env.get(env.dep), 'web still exists');
  fake.push(propose([`delete deploy/web -n ${env.ns}`]), { text: 'Deleted.' });
  // (Each run asks differently: identical requests would be answered from the response cache.)
  const auto = await kai(env, fake, ['do', 'get rid of web in auto mode', '--mode', 'auto']);
  t.is(auto.code, 1);
  t.truthy(await env.get(env.dep));
  // The model's own risk rating raises a harmless-looking step to destructive.
  fake.push(propose([`label deploy/web tier=gone --overwrite -n ${env.ns}`], { risks: [{ step: 1, risk: 'high', reason: 'the selector of a Service uses tier' }] }), { text: 'ok' });
  const raised = await kai(env, fake, ['do', 'retier web', '--yes']);
  t.is(raised.code, 1, raised.stdout + raised.stderr);
  t.regex(raised.stdout, /rated high risk by the assistant/);
  t.falsy((await env.get(env.dep)).metadata.labels?.tier);
  // Explicitly allowed: it runs.
  fake.push(propose([`delete deploy/web -n ${env.ns}`]), { text: 'Deleted.' });
  const allowed = await kai(env, fake, ['do', 'get rid of web, I mean it', '--yes', '--allow-destructive', '--no-verify']);
  t.is(allowed.code, 0, allowed.stderr);
});

test('check: true, false, undeterminable and error give 0, 1, 2, 3', async (t) => {
  const { env, fake } = await setup(t, []);
  const verdict = (result: boolean | null): FakeTurn[] => [
    { toolCalls: [{ name: 'kube_list', arguments: { kind: 'deploy' } }] },
    { toolCalls: [{ name: 'report_verdict', arguments: { result, explanation: `web is ${result}`, evidence: ['deployment web: 2/2 ready'] } }] },
    { text: 'done' },
  ];
  fake.push(...verdict(true));
  const yes = await kai(env, fake, ['check', 'web has 2 replicas', '--json']);
  t.is(yes.code, 0, yes.stderr);
  t.deepEqual(JSON.parse(yes.stdout), { result: true, explanation: 'web is true', evidence: ['deployment web: 2/2 ready'] });
  fake.push(...verdict(false));
  t.is((await kai(env, fake, ['check', 'web has 9 replicas'])).code, 1);
  fake.push(...verdict(null));
  t.is((await kai(env, fake, ['check', 'web is fast enough'])).code, 2);
  fake.push({ status: 401, error: 'auth' });
  const e = await kai(env, fake, ['check', 'web exists']);
  t.is(e.code, 3);
  t.regex(e.stderr, /refused the API key/);
  // Only read tools were offered.
  const offered = JSON.stringify(fake.chats()[0]!.body.tools);
  t.regex(offered, /report_verdict/);
  t.notRegex(offered, /propose_plan/);
});

test('ask --json: answer, tool calls, usage, redacted; a proposed plan is not executed', async (t) => {
  const { env, fake } = await setup(t, []);
  fake.push({ toolCalls: [{ name: 'kube_get', arguments: { kind: 'deploy', name: 'web' } }] }, propose([`scale deploy/web --replicas 7 -n ${env.ns}`]), { text: 'web has 2 replicas; I proposed 7.', usage: { input: 50, output: 9 } });
  const r = await kai(env, fake, ['ask', 'how many replicas does web have?', '--json']);
  t.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  t.is(j.answer, 'web has 2 replicas; I proposed 7.');
  t.deepEqual(j.toolCalls.map((c: { name: string }) => c.name), ['kube_get', 'propose_plan']);
  t.is(typeof j.toolCalls[0].durationMs, 'number');
  t.is(j.usage.calls, 3);
  t.is(typeof j.redacted, 'number');
  t.false(j.plans[0].executed);
  t.is((await env.get(env.dep)).spec.replicas, 2);
});

test('sessions are saved, listed, exported and imported; usage totals the ledger; prompts show the layered prompt', async (t) => {
  const { env, fake } = await setup(t, []);
  fake.push({ toolCalls: [{ name: 'kube_list', arguments: { kind: 'deploy' } }] }, { text: 'One deployment: web.', usage: { input: 100, output: 20 } });
  t.is((await kai(env, fake, ['ask', 'what runs here?'])).code, 0);
  const list = JSON.parse((await kai(env, fake, ['sessions', 'list', '--json'], [])).stdout);
  t.is(list.length, 1);
  t.is(list[0].title, 'what runs here?');
  const id = list[0].id as string;
  const md = await kai(env, fake, ['sessions', 'show', id], []);
  t.regex(md.stdout, /## what runs here\?/);
  t.regex(md.stdout, /tool `kube_list`/);
  t.regex(md.stdout, /One deployment: web\./);
  const file = join(env.dir, 'export.json');
  t.is((await kai(env, fake, ['sessions', 'export', id, '--format', 'json', '-o', file], [])).code, 0);
  const imp = await kai(env, fake, ['sessions', 'import', file], []);
  t.regex(imp.stdout, /imported as [a-f0-9]{8} \(1 turns/);
  t.is(JSON.parse((await kai(env, fake, ['sessions', 'list', '--json'], [])).stdout).length, 2);
  const bad = await kai(env, fake, ['sessions', 'import', join(env.dir, 'kubeconfig.yaml')], []);
  t.is(bad.code, 1);
  t.is(bad.stderr.trim().split('\n').length, 1);

  const usage = JSON.parse((await kai(env, fake, ['usage', '--json'], [])).stdout);
  t.true(usage.total.calls >= 2);
  t.true(usage.total.input >= 100);
  t.is(usage.tokensPerDay.length, 30);

  const ws = mkdtempSync(join(tmpdir(), 'kai-ws-'));
  mkdirSync(join(ws, '.kai-tui', 'prompts'), { recursive: true });
  writeFileSync(join(ws, '.kai-tui', 'prompts', 'system.md'), '---\nid: system\nmode: append\n---\nThis team runs Postgres with CloudNativePG.\n');
  const shown = await kai(env, fake, ['prompts', 'show', 'system', '--provider', 'ollama'], [], ws);
  t.is(shown.code, 0, shown.stderr);
  t.regex(shown.stdout, /kai-tui's Kubernetes assistant/);
  t.regex(shown.stdout, /JSON arguments that match their schemas/, 'the provider layer');
  t.regex(shown.stdout, /This team runs Postgres with CloudNativePG\.$/m, 'the workspace layer, appended last');
});

test('apply -f DIR --fix: only the invalid files go to the model; diffs shown; applied after confirmation; --write-fixes writes them back', async (t) => {
  const { env, fake } = await setup(t, []);
  const dir = mkdtempSync(join(tmpdir(), 'kai-fix-'));
  const ns = env.ns;
  const good = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: ${ns}}\ndata: {a: "1"}\n`;
  const typo = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: ${ns}}\nspec:\n  replica: 2\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: nginx:1.27}]}\n`;
  const fixedTypo = typo.replace('replica: 2', 'replicas: 2');
  const oldApi = `apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: shop, namespace: ${ns}}\nspec:\n  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]\n`;
  const fixedApi = oldApi.replace('extensions/v1beta1', 'networking.k8s.io/v1');
  writeFileSync(join(dir, 'a-good.yaml'), good);
  writeFileSync(join(dir, 'b-typo.yaml'), typo);
  writeFileSync(join(dir, 'c-old.yaml'), oldApi);
  fake.push(
    { text: `\`\`\`yaml\n${fixedTypo}\`\`\`\nreplica → replicas (the field is plural).` },
    { text: `\`\`\`yaml\n${fixedApi}\`\`\`\nextensions/v1beta1 → networking.k8s.io/v1 (served by this cluster).` },
  );
  const r = await kai(env, fake, ['do', `apply -f ${dir}`, '--fix', '--yes', '--write-fixes', '--no-verify']);
  t.is(r.code, 0, r.stderr + r.stdout);
  t.regex(r.stderr, /a-good\.yaml: valid \(the model is not asked\)/);
  t.regex(r.stderr, /b-typo\.yaml: .*asking the assistant/);
  t.regex(r.stdout, /-\s+replica: 2[\s\S]*\+\s+replicas: 2/);
  t.regex(r.stdout, /\+apiVersion: networking\.k8s\.io\/v1|\+\s*apiVersion: networking\.k8s\.io\/v1/);
  t.is(fake.chats().length, 2, 'only the two invalid files went to the model');
  t.notRegex(fake.sentText(), /name: fine/);
  t.is((await env.get(`/apis/apps/v1/namespaces/${ns}/deployments/api`)).spec.replicas, 2);
  t.truthy(await env.get(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/shop`));
  t.is((await import('node:fs')).readFileSync(join(dir, 'b-typo.yaml'), 'utf8'), fixedTypo, 'written back');
});
