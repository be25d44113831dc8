/** Keys arriving in one read (paste, slow link, automation): Esc then ":pods -n shop" is a command, not hotkeys. */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { launchCockpit } from './cockpit-helpers.js';

test('Esc immediately followed by a command runs the command', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A']);
  await tm.waitFor(/jokes-api/, 30_000);
  await new Promise((r) => setTimeout(r, 2500)); // the palette is installed after the first rows
  // One send-keys: the terminal gets ESC and the text in the same read.
  tm.tmuxRaw(['send-keys', '-t', 'main', 'Escape', ':deploy -n shop', 'Enter']);
  const s = await tm.waitFor((x) => /deployments\(shop\)/.test(x) && /frontend/.test(x), 15_000);
  t.regex(s, /ns shop/);
});
