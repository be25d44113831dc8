/**
 * Closing the terminal while a port-forward is open and an operation is journalled: kai-tui
 * exits through its normal quit (no stack trace), the forward's port is closed, the forward is
 * remembered for the next session, and the journal opens and lists the operation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { apply, running, waitPods, WEB_YAML } from './kubectl-streams-helpers.js';
import { BIN, filter, launchCockpit } from './cockpit-helpers.js';

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const refused = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(false); });
  s.once('error', () => resolve(true));
});

test('the terminal closed with a forward open: clean exit, port closed, forward remembered, journal intact', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  const [pod] = await waitPods(c, 'app=web', running);
  const name = pod!.metadata.name!;
  const { tm, home } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'default'], { width: 150, height: 45 });
  await tm.waitFor(new RegExp(`${name}\\s+1/1\\s+Running`), 60_000);
  await new Promise((r) => setTimeout(r, 2500)); // the operations pipeline plugs in after the first rows

  // One journalled operation: scale from the palette, confirmed.
  tm.keys(':');
  await tm.waitFor(/tab:complete/, 10_000);
  tm.type('scale deploy/web --replicas=1');
  tm.keys('Enter');
  await tm.waitFor(/dry-run: OK/, 30_000);
  tm.keys('y');
  await tm.waitFor(/✓ done: 1 succeeded/, 30_000);
  tm.keys('Escape');
  await tm.waitGone(/✓ done/);

  // A forward to the pod, open.
  await filter(tm, name);
  await tm.waitFor((s) => s.includes(name));
  tm.keys('F');
  await tm.waitFor(/local port on 127\.0\.0\.1: \d+/, 20_000);
  tm.keys('Enter');
  const s = await tm.waitFor(/127\.0\.0\.1:(\d+) → default\/pod\//, 30_000);
  const port = Number(/127\.0\.0\.1:(\d+) → default\/pod\//.exec(s)![1]);
  t.false(await refused(port), 'the forward listens');

  // The node process behind the tmux pane (its shell's child).
  const shell = Number(tm.tmuxRaw(['display-message', '-p', '-t', 'main', '#{pane_pid}']).trim());
  const pid = Number(execFileSync('pgrep', ['-P', String(shell), '-f', 'kai-tui'], { encoding: 'utf8' }).trim().split('\n')[0]);
  t.true(alive(pid));

  // Close the terminal: the pty hangs up.
  tm.kill();
  const until = Date.now() + 15_000;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  t.false(alive(pid), 'kai-tui exited when its terminal went away');
  t.true(await refused(port), 'the forward port is closed');

  const config = join(home, 'config');
  const log = existsSync(join(config, 'cockpit.log')) ? readFileSync(join(config, 'cockpit.log'), 'utf8') : '';
  t.notRegex(log, /uncaught/, log);
  t.regex(readFileSync(join(config, 'forwards.json'), 'utf8'), new RegExp(`"name": "${name}"`), 'remembered for the next session');
  const history = spawnSync(process.execPath, [BIN, 'history', '--json'], { encoding: 'utf8', env: { ...process.env, HOME: home, KAI_TUI_CONFIG_DIR: config } });
  t.is(history.status, 0, history.stderr);
  t.regex(history.stdout, /scale/);
});
