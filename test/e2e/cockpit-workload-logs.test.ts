/**
 * Logs of a workload (stern's way): `l` on a Deployment streams every pod at once, each line
 * prefixed by its pod; a replacement pod joins when one is deleted; `s` saves the buffer to a
 * file; `J` pretty-prints JSON lines.
 */
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { startTestSim } from '../support/sim.js';
import { command, filter, launchCockpit } from './cockpit-helpers.js';

test('workload logs: lines of every pod with their prefixes; a new pod joins; save; JSON pretty-printed', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'shop'], { width: 160, height: 45 });
  await tm.waitFor(/frontend-/, 30_000);
  await new Promise((r) => setTimeout(r, 2000));
  await command(tm, 'deploy -n shop');
  await tm.waitFor(/deployments\(shop\)/, 20_000);
  await filter(tm, 'api');
  await tm.waitFor((s) => /api\s+\d\/\d/.test(s) && !/frontend\s+\d\/\d/.test(s), 20_000);
  tm.keys('l');
  let s = await tm.waitFor((x) => /logs: deployment\/api — 2 pods, 2 streams/.test(x), 20_000);
  // Lines of both pods, each with its own prefix.
  s = await tm.waitFor((x) => new Set([...x.matchAll(/(api-…\w{5}) app /g)].map((m) => m[1])).size >= 2, 20_000);
  t.regex(s, /api-…\w{5} app  \{"level":"info"/);

  // JSON lines pretty-printed on demand.
  tm.keys('J');
  s = await tm.waitFor((x) => /api-…\w{5} app  \{\s*[x│]?$/m.test(x) && /^[x│]\s+"level": "info",/m.test(x), 10_000);

  // A replaced pod: the old one leaves the stream, its successor joins it. (Not a scale-up: the
  // demo's HPA owns api's replica count and would put it back.)
  tm.keys('J');
  const pods = JSON.parse((await c.kubectl(['get', 'pods', '-n', 'shop', '-l', 'app=api', '-o', 'json'])).stdout).items as Array<{ metadata: { name: string } }>;
  const before = new Set(pods.map((p) => p.metadata.name.slice(-5)));
  t.is((await c.kubectl(['delete', 'pod', pods[0]!.metadata.name, '-n', 'shop', '--wait=false'])).code, 0);
  s = await tm.waitFor((x) => [...x.matchAll(/api-…(\w{5}) app /g)].some((m) => !before.has(m[1]!)), 40_000);
  t.regex(s, /logs: deployment\/api — \d pods, \d streams/);

  // Save what is buffered.
  tm.keys('s');
  s = await tm.waitFor(/saved \d+ lines to (\S+\.log)/, 10_000);
  const file = /saved \d+ lines to (\S+\.log)/.exec(s)![1]!;
  t.true(existsSync(file), file);
  t.regex(readFileSync(file, 'utf8'), /api-…\w{5} app  /);
  tm.keys('Escape');
  await tm.waitGone(/logs: deployment\/api/);
});
