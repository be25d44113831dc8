/**
 * What a forward measures reaches triage: steady 5xx answers through `:pf svc/quips` (the jokes server's /fail
 * path) become a port-forward finding in the pulse pane, on the workload behind the service, with the proxy's
 * issue as its evidence; when the traffic stops failing the finding clears. (No memory limit on the workload:
 * a climbing memory trend would rightly make `oom` the root cause and this its symptom.)
 */
import { execFile } from 'node:child_process';
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { apply, running, waitPods } from './kubectl-streams-helpers.js';
import { command, filter, launchCockpit } from './cockpit-helpers.js';

const QUIPS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: quips, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: quips}}
  template:
    metadata: {labels: {app: quips}}
    spec: {containers: [{name: app, image: ghcr.io/acme/jokes-web:1.8.0, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: quips, namespace: default}
spec: {selector: {app: quips}, ports: [{port: 80, targetPort: http}]}
`;

const curl = (port: number, path: string) => new Promise<void>((resolve) => execFile('curl', ['-s', '-o', '/dev/null', '--max-time', '5', `http://127.0.0.1:${port}${path}`], () => resolve()));

test('pulse: a 5xx burst through a port-forward is a finding on the workload serving it, and clears', async (t) => {
  t.timeout(180_000);
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, QUIPS);
  await waitPods(c, 'app=quips', running);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'default'], { width: 110, height: 40 });
  await tm.waitFor(/quips-\S+\s+1\/1\s+Running/, 60_000);
  await command(tm, 'pf svc/quips :80');
  const s = await tm.waitFor(/127\.0\.0\.1:(\d+) → default\/svc\/quips:80/, 30_000);
  const port = Number(/127\.0\.0\.1:(\d+) → default\/svc\/quips:80/.exec(s)![1]);
  let failing = true;
  let stop = false;
  const traffic = (async () => { while (!stop) { await curl(port, failing ? '/fail' : '/healthz'); await new Promise((r) => setTimeout(r, 200)); } })();
  t.teardown(async () => { stop = true; await traffic; });
  await tm.waitFor(/✖ 5xx burst/, 30_000);
  tm.keys('Escape');
  await tm.waitGone(/port-forwards:/, 10_000);
  tm.keys('p');
  await tm.waitFor(/pulse — \d+ findings?/, 30_000);
  // At 110 columns the summary still says what happened (columns are as wide as their content).
  await tm.waitFor(/port-forward\s+default\s+Deployment\/quips\s+\S+\s+through port-forward svc\/quips \d+:80: 5xx burst/, 30_000);
  tm.keys('Enter');
  const detail = await tm.waitFor((x) => /pulse › Deployment\/quips/.test(x) && /through port-forward svc\/quips \d+:80: 5xx burst: \d+ of \d+ answers were 5xx/.test(x), 20_000);
  t.regex(detail, /HIGH port-forward — Deployment\/quips -n default/);
  t.regex(detail, /Service\/quips \(default\)/);
  // The traffic recovers: after the burst window the finding goes away.
  failing = false;
  tm.keys('Escape');
  await tm.waitGone(/port-forward\s+default\s+Deployment\/quips/, 40_000);
  t.pass();
});
