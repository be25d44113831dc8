/**
 * The metering port-forward proxy against the embedded cluster: real HTTP to an nginx demo
 * pod through a client-node WebSocket per connection; bytes both ways and connections counted;
 * 20 concurrent connections; a refused port counts an error and the proxy keeps serving.
 */
import test from 'ava';
import { startTestSim } from '../../support/sim.js';
import { apply, httpGet, running, waitPods, WEB_YAML } from '../../e2e/kubectl-streams-helpers.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { Transport } from '../../../src/kube/transport.js';
import { ForwardRefused, ForwardStore, MeteredForward, parseForwardArgs, resolveTarget } from '../../../src/kube/portforward.js';
import { join } from 'node:path';

async function until(fn: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setup(t: import('ava').ExecutionContext) {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  const pods = await waitPods(c, 'app=web', running);
  const loaded = loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!;
  const transport = new Transport(loaded.kc);
  t.teardown(() => transport.close());
  return { c, pods, loaded, transport };
}

test('service forward: real HTTP counted both ways, 20 concurrent connections', async (t) => {
  const { loaded, transport, pods } = await setup(t);
  const f = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'service', name: 'web', remotePort: 80, localPort: 0 });
  t.teardown(() => f.stop());
  const port = await f.start();
  t.true(port > 0);
  t.true(pods.some((p) => p.metadata.name === f.target?.pod), 'resolved to a pod of the service');
  t.is(f.target?.port, 80);

  const one = await httpGet(port, '/');
  t.is(one.status, 200);
  t.regex(one.body, /<html/);
  await until(() => f.stats.open === 0);
  t.is(f.stats.total, 1);
  t.true(f.stats.bytesIn >= one.body.length, `in ${f.stats.bytesIn} ≥ body ${one.body.length}`);
  t.true(f.stats.bytesOut > 20, 'the request went out');
  t.true(f.stats.lastLatencyMs !== undefined);
  const before = { ...f.stats };

  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => httpGet(port, `/item/${i}`)));
  t.true(many.every((r) => r.status > 0), JSON.stringify(many.map((m) => m.status)));
  await until(() => f.stats.open === 0);
  t.is(f.stats.total, 21);
  t.true(f.stats.bytesIn > before.bytesIn + many.reduce((n, r) => n + r.body.length, 0) - 1);
  t.true(f.stats.bytesOut > before.bytesOut);
  t.is(f.stats.errors, 0, f.stats.lastError);
});

test('refused port: the error is counted with its text and the proxy keeps serving', async (t) => {
  const { loaded, transport, pods } = await setup(t);
  const name = pods[0]!.metadata.name!;
  const bad = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name, remotePort: 81, localPort: 0 });
  t.teardown(() => bad.stop());
  const port = await bad.start();
  await t.throwsAsync(httpGet(port, '/'));
  await until(() => bad.stats.errors >= 1);
  t.regex(bad.stats.lastError ?? '', /81/);
  // Still listening: a second connection is accepted (and fails the same way).
  await t.throwsAsync(httpGet(port, '/again'));
  await until(() => bad.stats.errors >= 2);
  t.is(bad.stats.total, 2);

  // A busy local port: another one is chosen.
  const good = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name, remotePort: 80, localPort: port });
  t.teardown(() => good.stop());
  const p2 = await good.start();
  t.not(p2, port);
  t.is((await httpGet(p2, '/')).status, 200);
});

test('refusals: pod not Running, unknown service port, missing pod; parsing :pf arguments', async (t) => {
  const { c, transport } = await setup(t);
  await apply(t, c, `
apiVersion: v1
kind: Pod
metadata: {name: waiter}
spec: {nodeSelector: {disk: none-such}, containers: [{name: app, image: busybox}]}
`);
  const e1 = await t.throwsAsync(resolveTarget(transport, { namespace: 'default', kind: 'pod', name: 'waiter', remotePort: 80, localPort: 0 }));
  t.true(e1 instanceof ForwardRefused);
  t.regex(e1!.message, /pod waiter is Pending, not Running/);
  const e2 = await t.throwsAsync(resolveTarget(transport, { namespace: 'default', kind: 'service', name: 'web', remotePort: 9999, localPort: 0 }));
  t.regex(e2!.message, /service web has no port 9999 \(it has 80\)/);
  const e3 = await t.throwsAsync(resolveTarget(transport, { namespace: 'default', kind: 'pod', name: 'nope', remotePort: 80, localPort: 0 }));
  t.regex(e3!.message, /pod nope not found/);

  t.deepEqual(parseForwardArgs(['svc/x', '8080:80'], 'ns'), [{ namespace: 'ns', kind: 'service', name: 'x', remotePort: 80, localPort: 8080 }]);
  t.deepEqual(parseForwardArgs(['pod/y', ':http', '-n', 'shop'], 'ns'), [{ namespace: 'shop', kind: 'pod', name: 'y', remotePort: 'http', localPort: 0 }]);
  t.deepEqual(parseForwardArgs(['y', '9000'], 'ns'), [{ namespace: 'ns', kind: 'pod', name: 'y', remotePort: 9000, localPort: 9000 }]);
  // Several ports of one target, as kubectl takes them: a spec each.
  t.deepEqual(parseForwardArgs(['svc/x', '8080:80', '8443:443', ':metrics'], 'ns').map((s) => [s.localPort, s.remotePort]), [[8080, 80], [8443, 443], [0, 'metrics']]);
  t.throws(() => parseForwardArgs(['svc/x', '8080:80', '8080:443'], 'ns'), { message: /local port 8080 given twice/ });
  t.throws(() => parseForwardArgs(['svc/x'], 'ns'), { message: /usage: :pf/ });
  t.throws(() => parseForwardArgs(['svc/x', '1:99999'], 'ns'), { message: /out of range/ });
  t.throws(() => parseForwardArgs(['svc/x', '80', 'x:y:z'], 'ns'), { message: /bad ports 'x:y:z'/ });
});

test('remembered forwards survive a round trip and ignore a broken file', (t) => {
  const dir = join(process.env.TMPDIR ?? '/tmp', `kai-fwd-${process.pid}-${Date.now()}`);
  const store = new ForwardStore(join(dir, 'forwards.json'));
  t.deepEqual(store.load(), []);
  const f = { context: 'c', namespace: 'n', kind: 'service' as const, name: 'web', remotePort: 80, localPort: 8080 };
  store.save([f]);
  t.deepEqual(store.load(), [f]);
  t.teardown(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));
});

test('service forward follows a replaced pod after a failed connection', async (t) => {
  const { c, loaded, transport } = await setup(t);
  const f = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'service', name: 'web', remotePort: 80, localPort: 0 });
  t.teardown(() => f.stop());
  const port = await f.start();
  const first = f.target!.pod;
  const del = await c.kubectl(['delete', 'pod', first, '--wait=false']);
  t.is(del.code, 0, del.stderr);
  await waitPods(c, 'app=web', (ps) => ps.length === 2 && !ps.some((p) => p.metadata.name === first) && running(ps));
  // Until the forward notices, connections to the deleted pod fail (and are counted).
  let ok = false;
  for (let i = 0; i < 40 && !ok; i++) {
    ok = await httpGet(port, '/').then((r) => r.status === 200, () => false);
    if (!ok) await new Promise((r) => setTimeout(r, 250));
  }
  t.true(ok, f.stats.lastError);
  t.not(f.target!.pod, first);
});
