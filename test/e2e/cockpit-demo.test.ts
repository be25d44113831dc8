/**
 * The demo scenario in the real cockpit: its broken workloads show the statuses kubectl would
 * print; the ownership tree, drilling into a deployment's pods, and revealing one secret value.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { command, launchCockpit } from './cockpit-helpers.js';

test('demo cluster: statuses, ownership tree, drill-down, secret reveal', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { width: 160, height: 70 });

  // Every status the demo is built to show, each on the row of the workload that causes it.
  const screen = await tm.waitFor((s) =>
    /jokes\s+jokes-api-\S+\s+0\/1\s+(CrashLoopBackOff|Error)/.test(s) &&
    /shop\s+recommendations-\S+\s+0\/1\s+(ImagePullBackOff|ErrImagePull)/.test(s) &&
    /batch\s+ml-trainer-\S+\s+0\/1\s+Pending/.test(s) &&
    /shop\s+frontend-\S+\s+1\/1\s+Running/.test(s), 60_000);
  t.regex(screen, /ns all/);

  // A deployment's ownership tree in the tree pane: ReplicaSet → Pods → containers.
  await command(tm, 'deploy -n shop frontend');
  let s = await tm.waitFor((x) => /deployments\(shop\)/.test(x) && /frontend\s+2\/2/.test(x), 30_000);
  s = await tm.waitFor((x) => /▾ ● frontend/.test(x) && /● replicaset\/frontend-/.test(x) && (x.match(/● pod\/frontend-/g) ?? []).length === 2 && /● container app \(runnin/.test(x));
  t.regex(s, /events: namespace shop/);

  // Drill down: the pods of the deployment only.
  tm.keys('Enter');
  s = await tm.waitFor(/pods\(shop\) ⊂ deployment\/frontend \[2\/\d+\]/);
  t.notRegex(s, /\s(api|redis)-\S+\s+\d\/\d\s/);
  tm.keys('Escape');
  await tm.waitFor(/deployments\(shop\)/);

  // Secrets: values hidden in the YAML view until revealed, one key at a time.
  await command(tm, 'secrets -n shop payment');
  await tm.waitFor((x) => /secrets\(shop\)[^\n]*\/payment/.test(x) && /payment-provider\s+Opaque\s+1/.test(x));
  tm.keys('y');
  s = await tm.waitFor(/yaml: secret\/payment-provider/);
  t.regex(s, /api-key: <hidden>/);
  t.notRegex(s, /sk_test_FAKE/);
  tm.keys('x');
  s = await tm.waitFor(/api-key: sk_test_FAKE_FAKE_FAKE_not_a_real_key_0000/);
  tm.keys('x');
  s = await tm.waitFor(/api-key: <hidden>/);
  t.notRegex(s, /sk_test_FAKE/);
});
