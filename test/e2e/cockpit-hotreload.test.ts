/** Keymaps and themes are hot-reloaded in the running cockpit; a broken edit keeps the last good one. */
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestSim } from '../support/sim.js';
import { launchCockpit } from './cockpit-helpers.js';

const SHIPPED = fileURLToPath(new URL('../../../keymaps/default.yaml', import.meta.url));
const THEME = fileURLToPath(new URL('../../../themes/dark.yaml', import.meta.url));

test('editing the keymap and the theme while the cockpit runs', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  const { tm, home } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig]);
  await tm.waitFor(/coredns|no pods in namespace default/, 30_000);
  await tm.waitFor(/API ●/);
  const cfg = join(home, 'config');

  // A user keymap named like the active one replaces it: help moves from ? to F2.
  const mine = readFileSync(SHIPPED, 'utf8').replace("help: ['?']", 'help: [f2]');
  writeFileSync(join(cfg, 'keymaps', 'default.yaml'), mine);
  await tm.waitFor(/keymap default reloaded/);
  tm.keys('F2');
  await tm.waitFor(/help — keymap default/);
  let screen = await tm.waitFor(/f2\s+show \/ hide this help/);
  t.notRegex(screen, /\?\s+show \/ hide this help/);
  tm.keys('Escape');
  await tm.waitGone(/help — keymap/);

  // A broken edit: one message with the file and line, and F2 still opens help.
  writeFileSync(join(cfg, 'keymaps', 'default.yaml'), mine.replace('  zoom: [z]', '  zoom: [z]\n  explode: [q]'));
  screen = await tm.waitFor(/keymap not changed \(still default\): .*default\.yaml:\d+: unknown action 'explode'/);
  tm.keys('F2');
  await tm.waitFor(/help — keymap default/);
  tm.keys('Escape');

  // Themes too.
  writeFileSync(join(cfg, 'themes', 'dark.yaml'), readFileSync(THEME, 'utf8').replace('ok: green', 'ok: brightgreen'));
  await tm.waitFor(/theme dark reloaded/);
  writeFileSync(join(cfg, 'themes', 'dark.yaml'), readFileSync(THEME, 'utf8').replace('ok: green', 'ok: grean'));
  screen = await tm.waitFor(/theme not changed \(still dark\): .*dark\.yaml:\d+: 'grean' is not a colour/);
  // No raw tag ever shows (a colour blessed's tag parser does not know would print as text).
  t.notRegex(screen, /\{[a-z#-]+-(fg|bg)\}/);
});
