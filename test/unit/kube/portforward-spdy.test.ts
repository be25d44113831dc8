/**
 * The forward's SPDY/3.1 path against the embedded cluster (which serves port-forward as the
 * kubelet does): many local connections over ONE upgraded API connection (the server's own
 * request log says so), a refused port ending only its own stream pair, the API connection cut
 * mid-request (that connection reset, the next one dials again), and a gate in front of the API
 * server that refuses the SPDY upgrade (SPDY inside one WebSocket instead) or SPDY both ways (a
 * v4 WebSocket per connection);
 * two ports of one pod forwarded together, metered apart over one API connection.
 */
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { startTestSim, type TestSim } from '../../support/sim.js';
import { apply, httpGet as get, running, waitPods } from '../../e2e/kubectl-streams-helpers.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { Transport } from '../../../src/kube/transport.js';
import { ForwardGroup, MeteredForward } from '../../../src/kube/portforward.js';
import { ForwardDialer, type ChannelHandlers } from '../../../src/kube/forward-dialer.js';
import { generateTls } from '../../../src/sim/tls.js';
import { startGateProxy, type GateProxy } from './gate-proxy.js';

const JOKES_YAML = `
apiVersion: v1
kind: Pod
metadata: {name: jokes, labels: {app: jokes}}
spec: {containers: [{name: jokes, image: ghcr.io/acme/jokes-web:1.8.0, ports: [{containerPort: 8080, name: http}]}]}
`;

async function until(fn: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function cluster(t: ExecutionContext): Promise<TestSim> {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, JOKES_YAML);
  await waitPods(c, 'app=jokes', running);
  return c;
}

/** The cluster's kubeconfig, or one that reaches it through a gate (its own CA, the same token). */
async function forward(t: ExecutionContext, c: TestSim, opts: { gate?: GateProxy; caPem?: string; port?: number } = {}): Promise<MeteredForward> {
  let path = c.kubeconfig;
  if (opts.gate) {
    path = join(c.dir, 'gated-kubeconfig');
    writeFileSync(path, c.sim.kubeconfigYaml().replace(c.sim.url, opts.gate.url)
      .replace(/certificate-authority-data: .*/, `certificate-authority-data: ${Buffer.from(opts.caPem!).toString('base64')}`));
  }
  const loaded = loadKubeConfig({ kubeconfig: path }, {})!;
  const transport = new Transport(loaded.kc);
  t.teardown(() => transport.close());
  const f = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name: 'jokes', remotePort: opts.port ?? 8080, localPort: 0 });
  t.teardown(() => f.stop());
  await f.start();
  return f;
}

async function gated(t: ExecutionContext, c: TestSim): Promise<{ gate: GateProxy; caPem: string }> {
  const tls = await generateTls();
  const gate = await startGateProxy(c.sim.url, tls);
  t.teardown(() => gate.close());
  return { gate, caPem: tls.caPem };
}

const upgradesSeen = (c: TestSim) => c.sim.requestLog.filter((r) => r.path.endsWith('/pods/jokes/portforward')).length;

test('50 concurrent connections share one upgraded API connection, a stream pair each', async (t) => {
  const c = await cluster(t);
  const f = await forward(t, c);
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => get(f.localPort, `/healthz?i=${i}`)));
  t.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
  await until(() => f.stats.open === 0, 'all closed');
  t.is(f.dialer!.protocol, 'spdy');
  t.like(f.dialer!.counts, { sessions: 1, pairs: 50, websockets: 0 });
  t.is(upgradesSeen(c), 1, 'the API server saw one port-forward upgrade');
  t.like(f.stats, { total: 50, closed: 50, reset: 0, errors: 0 });
  t.is(f.http.summary().requests, 50);
});

test('a client that ends its half still gets the answer sent after it (half-close, as kubectl)', async (t) => {
  const c = await cluster(t);
  // The pod's port: a server that answers only once the client has finished sending (EOF).
  const eof = net.createServer({ allowHalfOpen: true }, (s) => {
    let n = 0;
    s.on('data', (d: Buffer) => { n += d.length; });
    s.on('end', () => setTimeout(() => s.end(`received ${n} bytes`), 100));
  });
  await new Promise<void>((r) => eof.listen(0, '127.0.0.1', r));
  t.teardown(() => eof.close());
  const rt = c.sim.ctx.runtime!;
  const orig = rt.portFor.bind(rt);
  rt.portFor = (ns, pod, port) => (pod === 'jokes' && port === 7000 ? (eof.address() as net.AddressInfo).port : orig(ns, pod, port));
  const f = await forward(t, c, { port: 7000 });
  const sock = net.connect(f.localPort, '127.0.0.1');
  sock.end('hello, pod');
  let got = '';
  sock.on('data', (d: Buffer) => { got += d.toString(); });
  await new Promise((r) => sock.on('close', r));
  t.is(got, 'received 10 bytes');
  await until(() => f.stats.open === 0, 'closed');
  t.like(f.stats, { closed: 1, reset: 0, errors: 0, bytesIn: 17, bytesOut: 10 });
});

test('a refused port ends only its own stream pair; the connection and its other streams carry on', async (t) => {
  const c = await cluster(t);
  const f = await forward(t, c);
  const dialer = f.dialer as ForwardDialer;
  const path = '/api/v1/namespaces/default/pods/jokes/portforward';
  const pair = (port: number) => {
    const got = { data: '', end: undefined as string | undefined, broken: undefined as string | undefined };
    const h: ChannelHandlers = {
      opened: () => undefined, drain: () => undefined,
      data: (b) => { got.data += b.toString(); }, end: (e) => { got.end = e; }, broken: (w) => { got.broken = w; },
    };
    return { got, open: () => dialer.open(path, port, h) };
  };
  const slow = pair(8080);
  const slowCh = await slow.open();
  slowCh.write(Buffer.from('GET /slow?ms=1500 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  const refused = pair(81);
  await refused.open();
  await until(() => refused.got.end !== undefined, 'the refused pair to end');
  t.regex(refused.got.end!, /error forwarding port 81 to pod .*connection refused/);
  t.is(refused.got.broken, undefined);
  t.is(slow.got.end, undefined, 'the other stream is still open');
  await until(() => slow.got.end !== undefined, 'the slow answer');
  t.regex(slow.got.data, /^HTTP\/1\.1 200/);
  t.is(slow.got.end, '');
  // And through the proxy: a new local connection still works on the same API connection.
  t.is((await get(f.localPort, '/healthz')).status, 200);
  t.is(f.dialer!.counts.sessions, 1);
  t.is(upgradesSeen(c), 1);
});

test('the forward of a refused port: each local connection reset with the kubelet\'s error, the API connection kept', async (t) => {
  const c = await cluster(t);
  const f = await forward(t, c, { port: 81 });
  for (let i = 0; i < 3; i++) await t.throwsAsync(get(f.localPort, '/'));
  await until(() => f.stats.open === 0 && f.stats.errors === 3, 'three errors');
  t.like(f.stats, { total: 3, reset: 3 });
  t.regex(f.stats.lastError!, /error forwarding port 81/);
  t.is(f.dialer!.counts.sessions, 1);
});

test('the API connection cut mid-request: that connection is reset, the next one dials again', async (t) => {
  const c = await cluster(t);
  const { gate, caPem } = await gated(t, c);
  const f = await forward(t, c, { gate, caPem });
  t.is((await get(f.localPort, '/healthz')).status, 200);
  const pending = get(f.localPort, '/slow?ms=5000').then(() => 'answered', () => 'failed');
  await until(() => f.stats.open === 1 && f.stats.bytesOut > 0, 'the request sent');
  gate.cut();
  t.is(await pending, 'failed');
  await until(() => f.stats.reset === 1, 'a reset');
  t.regex(f.stats.lastError!, /connection to the API server/);
  t.is((await get(f.localPort, '/healthz')).status, 200);
  t.is(f.dialer!.counts.sessions, 2);
  t.is(f.dialer!.protocol, 'spdy');
  t.is(gate.upgrades.filter((u) => /SPDY\/3\.1$/i.test(u)).length, 2);
});

test('a server that refuses the SPDY upgrade: SPDY inside one WebSocket (kubectl\'s tunnel) carries the connections', async (t) => {
  const c = await cluster(t);
  const { gate, caPem } = await gated(t, c);
  gate.refuseSpdy('upgrade');
  const f = await forward(t, c, { gate, caPem });
  const answers = await Promise.all(Array.from({ length: 20 }, () => get(f.localPort, '/healthz')));
  t.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
  await until(() => f.stats.open === 0, 'closed');
  t.is(f.dialer!.protocol, 'tunnel');
  t.like(f.dialer!.counts, { sessions: 1, pairs: 20, websockets: 0 });
  t.like(f.stats, { total: 20, closed: 20, errors: 0 });
  t.deepEqual(gate.upgrades.map((u) => u.replace(/^GET \S+ /, '')), ['websocket [SPDY/3.1+portforward.k8s.io]']);
  // What the pane shows (a line of its own) comes with the stats.
  f.sample();
  t.is(f.stats.via, 'tunnel');
  t.regex(f.stats.fallback!, /^SPDY inside one WebSocket: the API server refused the SPDY upgrade \(Upgrade request required\)/);

  // 4 MiB each way through the tunnel, byte for byte: an echo server as the pod's port 7000.
  const echo = net.createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  t.teardown(() => echo.close());
  const rt = c.sim.ctx.runtime!;
  const orig = rt.portFor.bind(rt);
  rt.portFor = (ns, pod, port) => (pod === 'jokes' && port === 7000 ? (echo.address() as net.AddressInfo).port : orig(ns, pod, port));
  const big = await forward(t, c, { gate, caPem, port: 7000 });
  const sent = randomBytes(4 * 1024 * 1024);
  const sock = net.connect(big.localPort, '127.0.0.1');
  sock.end(sent);
  const back: Buffer[] = [];
  sock.on('data', (d: Buffer) => back.push(d));
  await new Promise((r) => sock.on('close', r));
  t.true(Buffer.concat(back).equals(sent), `${Buffer.concat(back).length} bytes back of ${sent.length}`);
  t.is(big.dialer!.protocol, 'tunnel');
});

test('a server that refuses SPDY both ways: a v4 WebSocket per connection', async (t) => {
  const c = await cluster(t);
  const { gate, caPem } = await gated(t, c);
  gate.refuseSpdy('all');
  const f = await forward(t, c, { gate, caPem });
  for (let i = 0; i < 3; i++) t.is((await get(f.localPort, '/healthz')).status, 200);
  await until(() => f.stats.open === 0, 'closed');
  t.is(f.dialer!.protocol, 'websocket');
  t.like(f.dialer!.counts, { sessions: 0, websockets: 3 });
  t.like(f.stats, { total: 3, closed: 3, errors: 0 });
  t.true(gate.upgrades.every((u) => /websocket \[v4\.channel\.k8s\.io/i.test(u)), gate.upgrades.join('\n'));
  f.sample();
  t.is(f.stats.via, 'websocket');
  t.regex(f.stats.fallback!, /^a WebSocket per connection: the API server refused SPDY \(upgrade: Upgrade request required; in a WebSocket: /);
});

test('two ports of one pod forwarded together: metered apart, one API connection for both, closed with the last', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, `
apiVersion: v1
kind: Pod
metadata: {name: duo, labels: {app: duo}}
spec: {containers: [{name: jokes, image: ghcr.io/acme/jokes-web:1.8.0, ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: admin}]}]}
`);
  await waitPods(c, 'app=duo', running);
  const loaded = loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!;
  const transport = new Transport(loaded.kc);
  t.teardown(() => transport.close());
  const group = new ForwardGroup();
  const [a, b] = [8080, 'admin'].map((remotePort) => new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name: 'duo', remotePort, localPort: 0 }, { group }));
  t.teardown(() => a!.stop());
  t.teardown(() => b!.stop());
  await a!.start();
  await b!.start();
  t.is(b!.target!.port, 9090);
  t.is(a!.dialer, b!.dialer, 'one dialer for both ports');
  for (let i = 0; i < 3; i++) t.is((await get(a!.localPort, '/healthz')).status, 200);
  t.is((await get(b!.localPort, '/healthz')).status, 200);
  await until(() => a!.stats.open === 0 && b!.stats.open === 0, 'closed');
  t.like(a!.stats, { total: 3, closed: 3, errors: 0 });
  t.like(b!.stats, { total: 1, closed: 1, errors: 0 });
  t.is(a!.http.summary().requests, 3);
  t.is(b!.http.summary().requests, 1);
  t.like(a!.dialer!.counts, { sessions: 1, pairs: 4 });
  t.is(c.sim.requestLog.filter((r) => r.path.endsWith('/pods/duo/portforward')).length, 1);
  // Stopping one port leaves the other (and the shared connection) working.
  await a!.stop();
  t.is((await get(b!.localPort, '/healthz')).status, 200);
  t.is(b!.dialer!.counts.sessions, 1);
});
