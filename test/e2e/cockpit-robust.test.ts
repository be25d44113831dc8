/**
 * The cockpit against trouble: the API server killed and restarted on the same port, hostile
 * escape sequences in cluster data, no kubeconfig at all (→ demo cluster), bad flags.
 */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '../../src/sim/index.js';
import { kubectl, startTestSim } from '../support/sim.js';
import { startGateProxy } from '../unit/kube/gate-proxy.js';
import { writeFileSync } from 'node:fs';
import { BIN, command, filter, launchCockpit, rowOf } from './cockpit-helpers.js';

const pod = (name: string, ns = 'default') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {containers: [{name: app, image: nginx:1.25}]}\n`;

test.serial('API server killed: the status bar says so; restarted on the same port: the table converges (no ghost rows)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const kc = join(dir, 'kubeconfig');
  const first = await startSim({ scenario: 'empty', timeScale: 10, port: 0, host: '127.0.0.1' });
  let current = first;
  t.teardown(() => current.stop());
  first.writeKubeconfig(kc);
  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: kc, cacheDir: join(dir, 'cache'), input });
  t.is((await k(['apply', '-f', '-'], pod('before-restart'))).code, 0);

  const { tm } = await launchCockpit(t, ['--kubeconfig', kc]);
  await tm.waitFor((s) => /before-restart\s+1\/1\s+Running/.test(s) && /API ●/.test(s), 30_000);

  await first.stop();
  const down = await tm.waitFor(/API ✖/, 20_000);
  t.regex(down, /cannot reach https:\/\/127\.0\.0\.1/);

  const port = Number(new URL(first.url).port);
  current = await startSim({ scenario: 'empty', timeScale: 10, port, host: '127.0.0.1', tls: first.tls, token: first.token });
  t.is((await k(['apply', '-f', '-'], pod('after-restart'))).code, 0);
  const up = await tm.waitFor((s) => /API ●/.test(s) && /after-restart\s+1\/1\s+Running/.test(s), 30_000);
  // The restarted server has a fresh store: the old pod must not linger.
  t.is(rowOf(up, 'before-restart'), '');
});

test.serial('RBAC forbidden on one kind: that kind says forbidden, everything else keeps working', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: pod('allowed-pod') })).code, 0);
  const gate = await startGateProxy(c.sim.url, c.sim.tls);
  t.teardown(() => gate.close());
  gate.forbid(/\/secrets/);
  const kc = join(c.dir, 'gated.yaml');
  writeFileSync(kc, c.sim.kubeconfigYaml().replace(c.sim.url, gate.url));
  const { tm } = await launchCockpit(t, ['--kubeconfig', kc]);
  await tm.waitFor(/allowed-pod\s+1\/1\s+Running/, 30_000);
  await command(tm, 'secrets');
  const screen = await tm.waitFor((s) => /secrets\(default\)/.test(s) && /forbidden/.test(s), 20_000);
  t.regex(screen, /API ●/);
  await command(tm, 'pods');
  await tm.waitFor(/allowed-pod\s+1\/1\s+Running/);
});

test.serial('escape sequences and bidi overrides from the cluster are shown, never interpreted', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  // A name no real API server would accept, put straight into the sim's store: a hostile server.
  c.sim.ctx.store.create({ group: '', resource: 'pods' }, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'evil\u001b[31mred\u001b]0;pwned\u0007\u202Ettam', namespace: 'default', annotations: { note: 'x\u001b[2Jy{bold}z' } },
    spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: 'kai-node-1' },
    status: { phase: 'Running' },
  } as never);
  const ev = `apiVersion: v1\nkind: Event\nmetadata: {name: hostile.1, namespace: default}\ninvolvedObject: {kind: Pod, name: someone, namespace: default}\nreason: Hostile\ntype: Warning\nmessage: "boom \\e[5mBLINK\\e[0m {red-fg}tag{/red-fg}"\n`;
  t.is((await c.kubectl(['apply', '-f', '-'], { input: ev })).code, 0);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig], { width: 200 });
  // The name and the event message are shown as text: ESC → ^[, BEL → ^G, RLO → <U+202E>, tags literal.
  let screen = await tm.waitFor((s) => /evil\^\[\[31mred\^\[\]0;pwned\^G<U\+202E>ttam\s+1\/1\s+Running/.test(s) && s.includes('boom ^[[5mBLINK^[[0m {red-fg}tag{/red-fg}'), 30_000);
  // The OSC title sequence was not executed: the pane title is not "pwned".
  const title = execFileSync('tmux', ['-L', tm.socket, 'display-message', '-p', '-t', 'main', '#{pane_title}'], { encoding: 'utf8' });
  t.notRegex(title, /pwned/);
  await filter(tm, 'evil');
  await tm.waitFor((s) => /\/evil/.test(s) && /evil\^\[\[31mred/.test(s));
  tm.keys('d');
  screen = await tm.waitFor(/describe: pod\/evil/);
  t.true(screen.includes('note=x^[[2Jy{bold}z'), screen);
});

test.serial('no kubeconfig at all: the demo cluster opens in-process', async (t) => {
  const { tm } = await launchCockpit(t, []);
  const screen = await tm.waitFor((s) => /cluster kai-demo \(built-in demo\)/.test(s) && /API ●/.test(s), 40_000);
  t.regex(screen, /ctx kai-demo/);
  tm.keys('0');
  await tm.waitFor(/kube-system\s+coredns-\S+\s+1\/1\s+Running/, 30_000);
  tm.keys('C-c');
  await tm.waitFor(/\[exit 0\]/, 10_000);
});

test.serial('bad flags and a missing kubeconfig: one clear line, exit codes 2 and 1', (t) => {
  const home = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const env = { ...process.env, HOME: home, KAI_TUI_CONFIG_DIR: join(home, 'cfg') };
  const bad = spawnSync('node', [BIN, '--frobnicate'], { env, encoding: 'utf8' });
  t.is(bad.status, 2);
  t.regex(bad.stderr, /^kai-tui: .*--frobnicate/);
  t.is(bad.stderr.trim().split('\n').length, 1);
  const mode = spawnSync('node', [BIN, '--mode', 'yolo'], { env, encoding: 'utf8' });
  t.is(mode.status, 2);
  t.regex(mode.stderr, /--mode expects one of manual, semiauto, auto/);
  const missing = spawnSync('node', [BIN, '--kubeconfig', join(home, 'nope.yaml')], { env, encoding: 'utf8' });
  t.is(missing.status, 1);
  t.is(missing.stderr.trim(), `kai-tui: kubeconfig file not found: ${join(home, 'nope.yaml')}`);
});
