/**
 * The cluster comes back with a new certificate and token (the embedded cluster restarted on the
 * same port writes a new CA and token into the kubeconfig): the cockpit notices the rewritten
 * file, says what changed, and reconnects — no "certificate signature failure" forever.
 */
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '../../src/sim/index.js';
import { kubectl } from '../support/sim.js';
import { launchCockpit } from './cockpit-helpers.js';

const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const node = JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '100' }, allocatable: { cpu: '8', memory: '16Gi', pods: '100' } } });

test('kubeconfig rewritten with a new CA and token: the cockpit says so and reconnects', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const kc = join(dir, 'kubeconfig');
  const first = await startSim({ scenario: 'empty', timeScale: 10, port: 0, host: '127.0.0.1' });
  let current = first;
  t.teardown(() => current.stop());
  first.writeKubeconfig(kc);
  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: kc, cacheDir: join(dir, 'cache'), input });
  t.is((await k(['apply', '-f', '-'], node)).code, 0);
  t.is((await k(['apply', '-f', '-'], pod('before'))).code, 0);
  const { tm } = await launchCockpit(t, ['--kubeconfig', kc]);
  await tm.waitFor((s) => /before\s+1\/1\s+Running/.test(s) && /API ●/.test(s), 30_000);

  await first.stop();
  const port = Number(new URL(first.url).port);
  // A new CA and a new token, written into the same file (as `kai-tui sim serve --port N` does).
  current = await startSim({ scenario: 'empty', timeScale: 10, port, host: '127.0.0.1' });
  t.not(current.token, first.token);
  current.writeKubeconfig(kc);
  t.is((await k(['apply', '-f', '-'], node)).code, 0);
  t.is((await k(['apply', '-f', '-'], pod('after'))).code, 0);
  const s = await tm.waitFor((x) => /after\s+1\/1\s+Running/.test(x) && /API ●/.test(x), 40_000);
  t.regex(s, /kubeconfig changed \(new certificate authority, new credentials\): reconnected to context/);
});
