/** The logs pane follows a crash-looping container into its next instance, as `kubectl logs -f` users expect from k9s. */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { filter, launchCockpit, rowOf } from './cockpit-helpers.js';

const POD = `
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {capacity: {cpu: "8", memory: 16Gi, pods: "100"}, allocatable: {cpu: "8", memory: 16Gi, pods: "100"}}
---
apiVersion: v1
kind: Pod
metadata:
  name: flaky
  namespace: default
  annotations: {sim.kai-tui.dev/behaviour: crash, sim.kai-tui.dev/crash-after: 3s, sim.kai-tui.dev/log: "booting {time}", sim.kai-tui.dev/log-every: 1s}
spec: {containers: [{name: app, image: busybox:1.36}]}
`;

test('logs: a crash-looping container is followed into its next start', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 4 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: POD })).code, 0);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'default'], { width: 140, height: 40 });
  await tm.waitFor(/flaky\s+1\/1\s+Running/, 30_000);
  await filter(tm, 'flaky');
  await tm.waitFor((s) => rowOf(s, 'flaky') !== '');
  tm.keys('l');
  await tm.waitFor(/logs: default\/flaky/, 20_000);
  const s = await tm.waitFor(/the container started again \(restart 1/, 60_000);
  t.regex(s, /the container stopped; following its next start/);
  t.notRegex(s, /stream ended \(container stopped\)/);
});
