/**
 * Several ports of one target in the real cockpit (bin/kai-tui in tmux) against the embedded
 * cluster: in the `shift-f` dialog `space` marks two ports of a pod and enter forwards both —
 * two forwards in the pane, each metered on its own; `:pf pod/duo :8080 :9090` does the same
 * from the command line; both ports' streams travel on one connection to the API server.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { apply, httpGet, running, waitPods } from './kubectl-streams-helpers.js';
import { command, filter, launchCockpit } from './cockpit-helpers.js';

const DUO = `
apiVersion: v1
kind: Pod
metadata: {name: duo, labels: {app: duo}}
spec: {containers: [{name: jokes, image: ghcr.io/acme/jokes-web:1.8.0, ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: admin}]}]}
`;

const portOf = (screen: string, remote: number): number => Number(new RegExp(`127\\.0\\.0\\.1:(\\d+) → default/pod/duo:${remote}`).exec(screen)?.[1] ?? 0);

test('cockpit: space marks two ports of a pod, enter forwards both, each metered; :pf takes several port pairs', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, DUO);
  await waitPods(c, 'app=duo', running);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'default'], { width: 160, height: 45 });
  await tm.waitFor(/duo\s+1\/1\s+Running/, 60_000);
  await filter(tm, 'duo');

  tm.keys('F');
  await tm.waitFor((x) => /▸ 8080 \(http\)\/TCP — container jokes/.test(x) && /9090 \(admin\)\/TCP/.test(x) && /local port on 127\.0\.0\.1: \d+/.test(x), 20_000);
  // Empty the local ports (any free port: the machine's 8080 may be taken), mark both.
  for (let i = 0; i < 5; i++) tm.keys('BSpace');
  tm.keys('Space');
  tm.keys('j');
  await tm.waitFor(/▸ \[ \] 9090/, 10_000);
  for (let i = 0; i < 5; i++) tm.keys('BSpace');
  tm.keys('Space');
  const marked = await tm.waitFor((x) => /\[x\] 8080 \(http\).*→ 127\.0\.0\.1:any/.test(x) && /\[x\] 9090 \(admin\).*→ 127\.0\.0\.1:any/.test(x), 10_000);
  t.regex(marked, /enter forwards the 2 marked ports/);
  tm.keys('Enter');
  const pane = await tm.waitFor((x) => portOf(x, 8080) > 0 && portOf(x, 9090) > 0, 30_000);
  const [a, b] = [portOf(pane, 8080), portOf(pane, 9090)];
  t.not(a, b);

  // Each forward counts its own traffic.
  for (let i = 0; i < 2; i++) t.is((await httpGet(a, '/healthz')).status, 200);
  t.is((await httpGet(b, '/healthz')).status, 200);
  const counted = await tm.waitFor((x) => /conns 0 open \/ 2 total/.test(x) && new RegExp(`127\\.0\\.0\\.1:${b} → default/pod/duo:9090\\s+conns 0/1`).test(x), 20_000);
  t.regex(counted, /last requests of default\/pod\/duo:8080 \(2 kept/);
  // One upgraded connection to the API server carried both ports.
  t.is(c.sim.requestLog.filter((r) => r.path.endsWith('/pods/duo/portforward')).length, 1);

  // x twice stops both; :pf with two port pairs starts both again.
  tm.keys('x');
  await tm.waitGone(`127.0.0.1:${a} →`, 10_000);
  tm.keys('x');
  await tm.waitFor(/no forwards/, 10_000);
  tm.keys('Escape');
  await tm.waitGone(/port-forwards:/, 5_000);
  await command(tm, 'pf pod/duo :8080 :9090');
  const again = await tm.waitFor((x) => portOf(x, 8080) > 0 && portOf(x, 9090) > 0, 30_000);
  t.is((await httpGet(portOf(again, 9090), '/healthz')).status, 200);
  await tm.waitFor(/conns 0\/1/, 20_000);
});
