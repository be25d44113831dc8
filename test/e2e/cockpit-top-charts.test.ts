/**
 * The top pane's charts (blessed-contrib): `c` turns the table into per-node CPU/memory bars,
 * the top pods by CPU as a bar chart and the selected pod's CPU/memory history as line charts,
 * and they move with the metrics.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { launchCockpit } from './cockpit-helpers.js';

test('top: c shows the charts; their figures move with the metrics; c again goes back to the table', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { width: 150, height: 45 });
  await tm.waitFor(/jokes-api/, 30_000);
  tm.keys('M');
  await tm.waitFor(/top: \d+ nodes/, 20_000);
  tm.keys('c');
  const first = await tm.waitFor((s) => /nodes: CPU % of allocatable/.test(s) && /top pods by CPU \(m\)/.test(s) && /CPU \(m\)/.test(s) && /memory \(MiB\)/.test(s) && /kai-node-1/.test(s), 20_000);
  const figures = (s: string) => s.split('\n').filter((l) => /^x (\d+\s+)+/.test(l)).join('|');
  const before = figures(first);
  t.truthy(before, first);
  const moved = await tm.waitFor((s) => figures(s) !== '' && figures(s) !== before, 20_000);
  t.not(figures(moved), before, 'the bars follow the metrics');
  tm.keys('c');
  await tm.waitFor(/NODE\s+CPU\s+CPU % of allocatable/, 10_000);
});
