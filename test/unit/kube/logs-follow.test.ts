/**
 * The log follower against the embedded cluster: the tail, new lines as they are written
 * (requests through port-forward become nginx access lines), --previous of a crashed
 * container, a clear error for a missing previous, and the bounded buffer.
 */
import test from 'ava';
import { startTestSim } from '../../support/sim.js';
import { apply, httpGet, portForward, running, waitPods, WEB_YAML } from '../../e2e/kubectl-streams-helpers.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { Transport } from '../../../src/kube/transport.js';
import { LogBuffer, LogFollower, type LogEnd } from '../../../src/kube/logs.js';

async function until(fn: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('follow: existing lines, then new lines as they are written; stop ends it', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  const [pod] = await waitPods(c, 'app=web', running);
  const transport = new Transport(loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!.kc);
  t.teardown(() => transport.close());
  const f = new LogFollower(transport, { namespace: 'default', pod: pod!.metadata.name!, follow: true, timestamps: true });
  const lines: string[] = [];
  let end: LogEnd | undefined;
  f.onLines = (l) => lines.push(...l);
  f.onEnd = (e) => (end = e);
  t.teardown(() => f.stop());
  await f.start();
  await until(() => lines.some((l) => /ready for start up/.test(l)));
  t.regex(lines[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z /);

  const pf = await portForward(t, c, `pod/${pod!.metadata.name}`, 80);
  for (let i = 0; i < 20 && !lines.some((l) => /GET \/followed-by-kai/.test(l)); i++) {
    await httpGet(pf.port, `/followed-by-kai-${i}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  t.true(lines.some((l) => /GET \/followed-by-kai/.test(l)), lines.slice(-5).join('\n'));
  t.is(end, undefined, 'still following');
  f.stop();
  t.deepEqual(end, { reason: 'stopped' });
});

test('previous: the crashed instance\'s output; a missing previous is one clear error', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, `
apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec: {containers: [{name: app, image: busybox, command: ["sh", "-c", "echo started-once; sleep 1; exit 1"]}]}
`);
  await waitPods(c, '', (ps) => ps.some((p) => p.metadata.name === 'crasher' && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1), 60_000);
  const transport = new Transport(loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!.kc);
  t.teardown(() => transport.close());
  const prev = new LogFollower(transport, { namespace: 'default', pod: 'crasher', previous: true });
  const lines: string[] = [];
  prev.onLines = (l) => lines.push(...l);
  const ended = new Promise<LogEnd>((r) => (prev.onEnd = r));
  await prev.start();
  t.deepEqual(await ended, { reason: 'ended' });
  t.true(lines.includes('started-once'), lines.join('\n'));

  await apply(t, c, `
apiVersion: v1
kind: Pod
metadata: {name: fresh}
spec: {containers: [{name: app, image: busybox, command: ["sleep", "infinity"]}]}
`);
  await waitPods(c, '', (ps) => ps.some((p) => p.metadata.name === 'fresh' && p.status?.phase === 'Running'), 60_000);
  const none = new LogFollower(transport, { namespace: 'default', pod: 'fresh', previous: true });
  const e = new Promise<LogEnd>((r) => (none.onEnd = r));
  await none.start();
  const end = await e;
  t.is(end.reason, 'error');
  t.regex((end as { message: string }).message, /previous terminated container "app" in pod "fresh" not found/);
});

test('buffer keeps the newest lines only', (t) => {
  const b = new LogBuffer(1000);
  for (let i = 0; i < 50; i++) b.push(Array.from({ length: 100 }, (_, j) => `line ${i * 100 + j}`));
  t.is(b.length, 1000);
  t.is(b.at(0), 'line 4000');
  t.is(b.at(999), 'line 4999');
  t.is(b.dropped, 4000);
});
