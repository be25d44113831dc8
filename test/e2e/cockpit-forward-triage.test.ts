/**
 * What a forward measures reaches triage: steady 5xx answers through `:pf svc/jokes` (the demo's /fail path)
 * become a port-forward finding in the pulse pane, on the workload behind the service, with the proxy's issue
 * as its evidence; when the traffic stops failing the finding clears.
 */
import { execFile } from 'node:child_process';
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { running, waitPods } from './kubectl-streams-helpers.js';
import { command, filter, launchCockpit } from './cockpit-helpers.js';

const curl = (port: number, path: string) => new Promise<void>((resolve) => execFile('curl', ['-s', '-o', '/dev/null', '--max-time', '5', `http://127.0.0.1:${port}${path}`], () => resolve()));

test('pulse: a 5xx burst through a port-forward is a finding on the workload serving it, and clears', async (t) => {
  t.timeout(180_000);
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  await waitPods(c, 'app=jokes-web', running, 60_000, 'jokes');
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'jokes'], { width: 180, height: 50 });
  await tm.waitFor(/jokes-web-\S+\s+1\/1\s+Running/, 60_000);
  await command(tm, 'pf svc/jokes :80');
  const s = await tm.waitFor(/127\.0\.0\.1:(\d+) → jokes\/svc\/jokes:80/, 30_000);
  const port = Number(/127\.0\.0\.1:(\d+) → jokes\/svc\/jokes:80/.exec(s)![1]);
  let failing = true;
  let stop = false;
  const traffic = (async () => { while (!stop) { await curl(port, failing ? '/fail' : '/healthz'); await new Promise((r) => setTimeout(r, 200)); } })();
  t.teardown(async () => { stop = true; await traffic; });
  await tm.waitFor(/✖ 5xx burst/, 30_000);
  tm.keys('Escape');
  await tm.waitGone(/port-forwards:/, 10_000);
  tm.keys('p');
  await tm.waitFor(/pulse — \d+ findings/, 30_000);
  await filter(tm, 'jokes-web');
  await tm.waitFor(/port-forward\s+jokes\s+Deployment\/jokes-web/, 30_000);
  tm.keys('Enter');
  const detail = await tm.waitFor((x) => /pulse › Deployment\/jokes-web/.test(x) && /through port-forward svc\/jokes \d+:80: 5xx burst: \d+ of \d+ answers were 5xx/.test(x), 20_000);
  t.regex(detail, /HIGH port-forward — Deployment\/jokes-web -n jokes/);
  t.regex(detail, /Service\/jokes \(jokes\)/);
  // The traffic recovers: after the burst window the finding goes away.
  failing = false;
  tm.keys('Escape');
  await tm.waitGone(/port-forward\s+jokes\s+Deployment\/jokes-web/, 40_000);
  t.pass();
});
