/**
 * User plugins in the real cockpit: a shell plugin runs with the right variables (background,
 * output shown; and in the shell pane), a plan plugin goes through preview, a broken file names
 * its line and a fixed one is picked up while running, a mutating plugin is hidden in --readonly.
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { startFakeLlm } from '../support/fake-llm.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { Tmux } from '../support/tmux.js';
import { BIN, command, filter } from './cockpit-helpers.js';

const EXAMPLES = join(process.cwd(), 'docs', 'examples', 'plugins');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: keeper, namespace: default}\nspec: {containers: [{name: app, image: nginx:1.25}]}\n';

async function cockpit(t: ExecutionContext, kubeconfig: string, extra: string[] = [], settings: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const config = join(home, 'config');
  for (const [k, v] of Object.entries(settings)) {
    const r = spawnSync(process.execPath, [BIN, 'config', 'set', k, v], { env: { ...process.env, KAI_TUI_CONFIG_DIR: config, HOME: home }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`config set ${k}: ${r.stderr}`);
  }
  mkdirSync(join(config, 'plugins'), { recursive: true });
  // The shipped examples as the user's plugins, one more in the workspace.
  cpSync(EXAMPLES, join(config, 'plugins'), { recursive: true });
  const ws = join(home, 'project');
  mkdirSync(join(ws, '.kai-tui', 'plugins'), { recursive: true });
  // The workspace adds to the shipped prompt plugin's prompt (the AI core's layering, mode: append).
  mkdirSync(join(ws, '.kai-tui', 'prompts'), { recursive: true });
  writeFileSync(join(ws, '.kai-tui', 'prompts', 'summarize-rollout.md'), '---\nmode: append\n---\nEnd with the word WORKSPACE-LAYER.\n');
  writeFileSync(join(ws, '.kai-tui', 'plugins', 'team.yaml'), [
    'plugins:',
    '  - name: show-vars',
    '    description: print what a plugin sees',
    '    scopes: [pods]',
    '    key: alt-v',
    '    shell: echo "vars ctx=$CONTEXT ns=$NAMESPACE name=$NAME kind=$KIND count=$COUNT kc=$KUBECONFIG"',
    '  - name: pane-echo',
    '    scopes: [all]',
    '    background: false',
    `    shell: 'echo "in the pane: $NAME"; sleep 30'`,
    '',
  ].join('\n'));
  const tm = await Tmux.start(t, ['node', BIN, '--kubeconfig', kubeconfig, ...extra], {
    width: 200, height: 40, cwd: ws,
    env: { HOME: home, KAI_TUI_CONFIG_DIR: config, KUBECONFIG: undefined, NO_COLOR: undefined },
  });
  return { tm, config, ws };
}

test('plugins: shell plugin variables, the shell pane, a plan plugin previews, a broken file names its line and hot-reloads', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: POD })).code, 0);
  const { tm, ws } = await cockpit(t, c.kubeconfig, ['-n', 'default']);
  await tm.waitFor(/keeper\s+\d\/1/, 30_000);

  // Background shell plugin by its key: the variables of the selected pod, in its output pane.
  await tm.waitFor(() => true, 100);
  for (let i = 0; i < 50; i++) {
    tm.keys('M-v');
    try { await tm.waitFor(/plugin show-vars: exit code 0/, 1_000); break; } catch { /* plugins load after the first table */ }
  }
  let screen = await tm.waitFor(/vars ctx=kai-demo ns=default name=keeper kind=Pod count=1 kc=\S+kubeconfig/);
  t.regex(screen, /team\.yaml:2/);
  tm.keys('Escape');

  // In the shell pane: a local pty with the same variables.
  await command(tm, 'pane-echo');
  screen = await tm.waitFor(/in the pane: keeper/, 15_000);
  t.regex(screen, /local command \(pty\)/);
  tm.keys('C-]');
  await tm.waitGone(/in the pane: keeper/);

  // A plan plugin: the palette's language, through preview/confirm like any change.
  await command(tm, 'deploy -n kube-system');
  await tm.waitFor(/coredns\s+\d\/2/, 20_000);
  await command(tm, 'scale-to-five');
  screen = await tm.waitFor(/Plan: scale deployment\/coredns -n kube-system --replicas=5/, 20_000);
  t.regex(screen, /dry-run: OK/);
  tm.keys('n');
  await tm.waitGone(/Plan: scale deployment/);
  t.is((await c.kubectl(['get', 'deploy', '-n', 'kube-system', 'coredns', '-o', 'jsonpath={.spec.replicas}'])).stdout, '2', 'rejected: nothing changed');

  // Help lists the plugins with their file.
  tm.keys('?');
  tm.keys('G'); // help: the plugins' rows come last
  screen = await tm.waitFor(/:scale-to-five/);
  t.regex(screen, /:scale-to-five\s+~\/config\/plugins\/deployments\.yaml:\d+ /);
  tm.keys('Escape');

  // A broken file: its line is named; fixed, the new plugin works without a restart.
  const file = join(ws, '.kai-tui', 'plugins', 'more.yaml');
  writeFileSync(file, 'plugins:\n  - name: hello\n    shel: echo hi\n');
  await tm.waitFor(/more\.yaml:3: unknown field 'shel'/, 15_000);
  writeFileSync(file, 'plugins:\n  - name: hello\n    shell: echo "hello from $CONTEXT"\n');
  await tm.waitFor(/plugins reloaded/, 15_000);
  await command(tm, 'hello');
  await tm.waitFor(/hello from kai-demo/, 15_000);
  tm.keys('Escape');
  void filter;
});

test('plugins: a mutating plugin is hidden in --readonly', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  const { tm } = await cockpit(t, c.kubeconfig, ['--readonly']);
  await tm.waitFor(/read-only/, 30_000);
  await command(tm, 'deploy -n kube-system');
  await tm.waitFor(/coredns\s+\d\/2/, 20_000);
  // Plugins load after the first table; a read-only one answers, the mutating one is unknown.
  for (let i = 0; i < 50; i++) {
    await command(tm, 'show-vars');
    try { await tm.waitFor(/plugin show-vars applies to pods/, 1_000); break; } catch { /* not loaded yet */ }
  }
  await command(tm, 'scale-to-five');
  await tm.waitFor(/unknown command or kind ':scale-to-five'/, 10_000);
  tm.keys('?');
  tm.keys('G'); // help: the plugins' rows come last
  const screen = await tm.waitFor(/:show-vars/);
  t.notRegex(screen, /:(scale-to-five|restart-marked)\s{2}/);
  t.regex(screen, /:log-errors/);
});

test('plugins: a prompt plugin asks the AI core about the selection, with the prompt layers', async (t) => {
  const fake = await startFakeLlm({ script: [{ text: 'coredns rolled out revision 1: 2 of 2 pods ready. WORKSPACE-LAYER' }] });
  t.teardown(() => fake.close());
  const c = await startTestSim(t, { scenario: 'empty' });
  const { tm } = await cockpit(t, c.kubeconfig, ['-n', 'kube-system'], {
    'llm.provider': 'openai', 'llm.model': 'fake-model', 'llm.providers.openai.baseURL': fake.openaiBase,
    'llm.providers.openai.apiKey': 'sk-test-key-0123456789abcdef', 'llm.cacheTtlSec': '0',
  });
  await tm.waitFor(/coredns-\S+\s+\d\/1/, 30_000);
  await command(tm, 'deploy');
  await tm.waitFor(/coredns\s+\d\/2/, 20_000);
  for (let i = 0; i < 50; i++) {
    await command(tm, 'summarize-rollout');
    try { await tm.waitFor(/plugin summarize-rollout: answer from \S*fake-model/, 2_000); break; } catch { /* plugins load after the first table */ }
  }
  const screen = await tm.waitFor(/coredns rolled out revision 1: 2 of 2 pods ready/);
  t.regex(screen, /summarize-rollout\.md \+ ~\/project\/\.kai-tui\/prompts\/summarize-rollout\.md/);
  const sent = fake.sentText();
  t.true(sent.includes('In five lines or fewer'), 'the plugin prompt file');
  t.true(sent.includes('End with the word WORKSPACE-LAYER.'), 'the workspace layer');
  t.true(sent.includes('Deployment kube-system/coredns'), 'the selection as context');
});
