import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/unit/config/ → repository root
const BIN = fileURLToPath(new URL('../../../../bin/kai-tui', import.meta.url));

interface Result { code: number; stdout: string; stderr: string }

function kai(env: NodeJS.ProcessEnv, args: string[], input?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}

function dir(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('set then get and list; list marks defaults', async (t) => {
  const d = dir(t);
  const env = { KAI_TUI_CONFIG_DIR: d };
  const set = await kai(env, ['config', 'set', 'ui.refreshMs', '100']);
  t.is(set.code, 0, set.stderr);
  t.is(set.stdout.trim(), 'ui.refreshMs = 100');
  t.is((await kai(env, ['config', 'get', 'ui.refreshMs'])).stdout, '100\n');
  const list = await kai(env, ['config', 'list']);
  t.is(list.code, 0);
  t.regex(list.stdout, /^ui\.refreshMs\s+100$/m);
  t.regex(list.stdout, /^ui\.theme\s+dark\s+\(default\)$/m);
  const json = JSON.parse((await kai(env, ['config', 'list', '--json'])).stdout);
  t.is(json.ui.refreshMs, 100);
  t.is(json.llm.providers.ollama.host, 'http://127.0.0.1:11434');
});

test('bad input: one line on stderr and exit code 2', async (t) => {
  const env = { KAI_TUI_CONFIG_DIR: dir(t) };
  const cases: Array<[string[], string]> = [
    [['config', 'set', 'ui.thme', 'dark'], "kai-tui: unknown setting 'ui.thme'; did you mean 'ui.theme'?"],
    [['config', 'set', 'ui.theme', 'purple'], 'kai-tui: ui.theme must be one of dark, light, high-contrast'],
    [['config', 'set', 'ui.refreshMs', 'fast'], "kai-tui: ui.refreshMs must be a whole number from 16 to 1000, not 'fast'"],
    [['config', 'set', 'llm.temperature', '-1'], 'kai-tui: llm.temperature must be a number from 0 to 2, not -1'],
    [['config', 'get'], 'kai-tui: usage: kai-tui config get KEY'],
    [['config', 'frobnicate'], "kai-tui: unknown config sub-command 'frobnicate'"],
    [['config', 'list', '--bogus'], "kai-tui: Unknown option '--bogus'"],
  ];
  for (const [args, start] of cases) {
    const r = await kai(env, args);
    t.is(r.code, 2, args.join(' '));
    t.true(r.stderr.startsWith(start), `${args.join(' ')} → ${r.stderr}`);
    t.is(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}`);
    t.is(r.stdout, '');
  }
});

test('a secret read from stdin is stored owner-only and never printed', async (t) => {
  const d = dir(t);
  const env = { KAI_TUI_CONFIG_DIR: d };
  const r = await kai(env, ['config', 'set', 'llm.providers.openai.apiKey', '-'], 'sk-from-stdin-1234567890\n');
  t.is(r.code, 0, r.stderr);
  t.false(r.stdout.includes('sk-from-stdin'));
  if (process.platform !== 'win32') t.is(statSync(join(d, 'secrets.json')).mode & 0o777, 0o600);
  const list = await kai(env, ['config', 'list']);
  t.false(list.stdout.includes('sk-from-stdin'));
  t.regex(list.stdout, /llm\.providers\.openai\.apiKey\s+••••7890 \(set\)/);
  t.is((await kai(env, ['config', 'get', 'llm.providers.openai.apiKey'])).stdout, '••••7890 (set)\n');
  t.is((await kai(env, ['config', 'get', 'llm.providers.openai.apiKey', '--reveal'])).stdout, 'sk-from-stdin-1234567890\n');
});

test('path prints every file under KAI_TUI_CONFIG_DIR and the kubeconfig files in use', async (t) => {
  const d = dir(t);
  const kc = join(d, 'kube.yaml');
  writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
  const r = await kai({ KAI_TUI_CONFIG_DIR: d, KUBECONFIG: kc }, ['config', 'path']);
  t.is(r.code, 0, r.stderr);
  for (const [role, file] of [['settings', 'config.json'], ['secrets', 'secrets.json'], ['themes', 'themes'], ['keymaps', 'keymaps'], ['journal', 'journal.sqlite']]) {
    t.regex(r.stdout, new RegExp(`^${role}\\s+${join(d, file).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`, 'm'), role);
  }
  t.regex(r.stdout, new RegExp(`^kubeconfig\\s+${kc.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
});

test('a hand-broken value warns on stderr but list still works', async (t) => {
  const d = dir(t);
  writeFileSync(join(d, 'config.json'), JSON.stringify({ ui: { theme: 'neon' } }));
  const r = await kai({ KAI_TUI_CONFIG_DIR: d }, ['config', 'list']);
  t.is(r.code, 0);
  t.regex(r.stderr, /warning: .*config\.json: ui\.theme must be one of dark, light, high-contrast.*not 'neon'; using "dark"/);
  t.regex(r.stdout, /^ui\.theme\s+dark\s+\(default\)$/m);
});
