/**
 * Mouse in the real cockpit: tmux delivers SGR mouse reports (as a terminal would) to the pane;
 * a click focuses a pane and selects the row under it, the wheel scrolls.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { launchCockpit, rowOf } from './cockpit-helpers.js';

const pods = Array.from({ length: 60 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: m-${String(i).padStart(2, '0')}, namespace: default}\nspec: {containers: [{name: app, image: nginx:1.25}]}\n`).join('---\n');
/** xterm SGR mouse report (1-based column/row): button 0 = left, 64/65 = wheel up/down. */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mouse = (button: number, x: number, y: number, release = false) => `\u001b[<${button};${x};${y}${release ? 'm' : 'M'}`;

test('click selects the row under the pointer; the wheel scrolls the table', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: pods })).code, 0);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig], { width: 120, height: 40 });
  let screen = await tm.waitFor((s) => /m-00\s+1\/1\s+Running/.test(s) && /m-05\s+1\/1\s+Running/.test(s), 30_000);

  // Find the screen line of m-05 and click on it (in the table, right of the tree).
  const lines = screen.split('\n');
  const y = lines.findIndex((l) => /\sm-05\s+1\/1/.test(l)) + 1;
  const x = lines[y - 1]!.indexOf('m-05') + 2;
  // Press and release in one write, as a terminal's reports arrive when the reader is busy.
  tm.type(mouse(0, x, y) + mouse(0, x, y, true));
  await tm.waitFor((s) => /▾ ● m-05/.test(s)); // the tree follows the selection
  tm.keys('d');
  screen = await tm.waitFor(/describe: pod\/m-05/);
  t.regex(screen, /Name:\s+m-05/);
  tm.keys('Escape');
  await tm.waitFor((s) => rowOf(s, 'm-00') !== '');

  // Wheel down over the table: the first rows scroll out of view (a fast wheel: reports in one write).
  for (let i = 0; i < 10; i++) {
    tm.type(mouse(65, x, y) + mouse(65, x, y));
    await pause(30);
  }
  screen = await tm.waitFor((s) => rowOf(s, 'm-00') === '' && /m-59\s+1\/1/.test(s));
  t.pass();
});
