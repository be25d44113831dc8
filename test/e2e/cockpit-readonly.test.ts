/**
 * --readonly: the status bar says so, mutating keys and the shell are refused with one line,
 * nothing reaches the cluster, and the cockpit keeps working.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { launchCockpit, rowOf } from './cockpit-helpers.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: keeper, namespace: default}\nspec: {containers: [{name: app, image: nginx:1.25}]}\n';

test('--readonly refuses delete and shell; the pod stays', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: POD })).code, 0);
  const before = c.sim.requestLog.length;
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '--readonly']);
  let screen = await tm.waitFor((s) => /keeper\s+1\/1\s+Running/.test(s) && /read-only/.test(s), 30_000);
  t.not(rowOf(screen, 'keeper'), '');
  tm.keys('C-d');
  screen = await tm.waitFor(/read-only mode: delete is disabled/, 10_000);
  tm.keys('s');
  await tm.waitFor(/read-only mode: shell is disabled/, 10_000);
  t.is((await c.kubectl(['get', 'pod', 'keeper'])).code, 0, 'the pod must still exist');
  const sent = c.sim.requestLog.slice(before).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  t.deepEqual(sent, [], 'no mutating request may reach the server');
  tm.keys('d');
  await tm.waitFor(/describe: pod\/keeper/, 10_000);
});
