/**
 * The metering proxy reading HTTP on a real forward to an emulated jokes pod of the embedded
 * cluster: requests on kept-alive and fresh connections recorded with method, path, status and
 * bytes; the documented /fail and /unavailable paths make a 5xx burst; a TLS ClientHello is
 * said to be unreadable; a pod deleted mid-request counts resets and the issue names the pod.
 */
import http from 'node:http';
import net from 'node:net';
import test from 'ava';
import { startTestSim } from '../../support/sim.js';
import { apply, running, waitPods } from '../../e2e/kubectl-streams-helpers.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { Transport } from '../../../src/kube/transport.js';
import { MeteredForward, type ForwardOptions } from '../../../src/kube/portforward.js';

const JOKES_YAML = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: jokes}
spec:
  replicas: 1
  selector: {matchLabels: {app: jokes}}
  template:
    metadata: {labels: {app: jokes}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: jokes, image: ghcr.io/acme/jokes-web:1.8.0, ports: [{containerPort: 8080, name: http}]}]
`;

async function until(fn: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function get(port: number, path: string, agent: http.Agent | false, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function setup(t: import('ava').ExecutionContext, options: ForwardOptions = {}) {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, JOKES_YAML);
  const [pod] = await waitPods(c, 'app=jokes', running);
  const loaded = loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!;
  const transport = new Transport(loaded.kc);
  t.teardown(() => transport.close());
  const f = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name: pod!.metadata.name!, remotePort: 'http', localPort: 0 }, options);
  t.teardown(() => f.stop());
  const port = await f.start();
  return { c, f, port, pod: pod!.metadata.name! };
}

test('requests recorded per exchange, keep-alive and fresh connections; a 5xx burst is an issue', async (t) => {
  const { f, port } = await setup(t);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  const statuses: number[] = [];
  for (const p of ['/fail', '/fail', '/unavailable', '/fail', '/unavailable', '/healthz']) statuses.push((await get(port, p, agent, { Authorization: 'Bearer s3cret' })).status);
  t.deepEqual(statuses, [500, 500, 503, 500, 503, 200]);
  statuses.push((await get(port, '/healthz?token=abc', false)).status);
  await until(() => f.http.recent.length === 7, 'seven records');
  f.refresh();
  const s = f.stats.http;
  t.like(s, { requests: 7, unanswered: 0 });
  t.deepEqual(s.status, { '2xx': 2, '3xx': 0, '4xx': 0, '5xx': 5, other: 0 });
  t.is(s.protocols.http1, 2, 'two connections: the kept-alive one and a fresh one');
  t.truthy(s.latencyMs);
  const [first] = f.http.recent;
  t.like(first, { method: 'GET', path: '/fail', status: 500, outcome: 'ok', connection: 1 });
  t.true(first!.bytesIn > 0 && first!.bytesOut > 0);
  t.deepEqual(first!.requestHeaders.find(([n]) => n.toLowerCase() === 'authorization'), ['Authorization', '[redacted]']);
  t.is(f.http.recent[6]!.path, '/healthz?token=[redacted]');
  const burst = f.stats.issues.find((i) => i.kind === '5xx-burst');
  t.truthy(burst, JSON.stringify(f.stats.issues));
  t.regex(burst!.message, /5 of 7 answers were 5xx/);
  t.is(f.stats.reset, 0);
});

test('a TLS ClientHello is counted as not readable; bytes still pass', async (t) => {
  const { f, port } = await setup(t);
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  sock.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00]));
  // The pod's HTTP server answers garbage with 400 and closes: the bytes come back.
  await new Promise((r) => sock.on('close', r).resume());
  await until(() => f.stats.open === 0 && f.http.summary().protocols.tls === 1, 'tls counted');
  f.refresh();
  t.regex(f.stats.http.notHttp!, /TLS \(encrypted\)/);
  t.is(f.stats.http.requests, 0);
  t.true(f.stats.bytesOut === 10);
});

test('the pod deleted while a request waits: resets counted, the issue says what the pod did', async (t) => {
  const { c, f, port, pod } = await setup(t);
  const pending = get(port, '/slow?ms=8000', false).then(() => 'answered', () => 'failed');
  await until(() => f.stats.open === 1 && f.stats.bytesOut > 0, 'request sent');
  const del = await c.kubectl(['delete', 'pod', pod, '--wait=false']);
  t.is(del.code, 0, del.stderr);
  t.is(await pending, 'failed');
  await until(() => f.stats.reset === 1, `a reset (${JSON.stringify({ closed: f.stats.closed, reset: f.stats.reset })})`);
  const [r] = f.http.recent;
  t.like(r, { path: '/slow?ms=8000', outcome: 'reset' });
  f.refresh();
  await until(() => !!f.stats.issues.find((i) => i.kind === 'resets')?.context, 'the pod looked up');
  const issue = f.stats.issues.find((i) => i.kind === 'resets')!;
  t.regex(issue.message, /1 connection reset in the last minute/);
  t.regex(issue.context!, new RegExp(`pod ${pod}`));
});

test('a request unanswered past the timeout is a timeout, and its connection ends timed out', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, JOKES_YAML);
  const [pod] = await waitPods(c, 'app=jokes', running);
  const loaded = loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!;
  const transport = new Transport(loaded.kc);
  t.teardown(() => transport.close());
  const f = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name: pod!.metadata.name!, remotePort: 8080, localPort: 0 }, { requestTimeoutMs: 500 });
  t.teardown(() => f.stop());
  const port = await f.start();
  // The answer comes after 2.5 s: by then the 1 s sampler has seen it waiting past 500 ms.
  t.is((await get(port, '/slow?ms=2500', false)).status, 200);
  await until(() => f.stats.open === 0, 'closed');
  t.is(f.stats.timedOut, 1);
  t.is(f.stats.closed, 0);
  t.true(f.http.recent[0]!.timedOut);
  f.refresh();
  t.regex(f.stats.issues.find((i) => i.kind === 'timeouts')?.message ?? '', /GET \/slow\?ms=2500 unanswered after 0.5 s/);
});

test('WebSocket path: connections take a TLS connection to the API server kept ready (a spare) instead of dialing one', async (t) => {
  const { f, port } = await setup(t, { spdy: false });
  for (let i = 0; i < 5; i++) t.is((await get(port, '/healthz', false)).status, 200);
  await until(() => f.stats.open === 0, 'closed');
  t.is(f.dialer!.protocol, 'websocket');
  t.is(f.dialer!.counts.websockets, 5);
  const counts = f.dialer!.socketHandler!.counts;
  t.is(counts.spare + counts.dialed, 5);
  t.true(counts.spare >= 3, JSON.stringify(counts));
  t.is(f.stats.closed, 5);
  t.is(f.stats.errors, 0);
});

test('backpressure: a client that stops reading stops the pod stream instead of filling the proxy', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  // A pod whose port is served by a local server sending 64 MiB as fast as it may.
  const size = 64 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const big = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': size });
    let left = size;
    const pump = () => { while (left > 0) { left -= chunk.length; if (!res.write(chunk)) return void res.once('drain', pump); } res.end(); };
    pump();
  });
  await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
  t.teardown(() => { big.closeAllConnections(); big.close(); });
  const bigPort = (big.address() as net.AddressInfo).port;
  const rt = c.sim.ctx.runtime!;
  const orig = rt.portFor.bind(rt);
  rt.portFor = (ns, pod, port) => (pod === 'bulk' && port === 8080 ? bigPort : orig(ns, pod, port));
  await apply(t, c, 'apiVersion: v1\nkind: Pod\nmetadata: {name: bulk}\nspec: {containers: [{name: bulk, image: nginx:1.27, ports: [{containerPort: 8080}]}]}\n');
  await waitPods(c, 'metadata.name!=x', (ps) => ps.some((p) => p.metadata.name === 'bulk' && p.status?.phase === 'Running'));
  const loaded = loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!;
  const transport = new Transport(loaded.kc);
  t.teardown(() => transport.close());
  const f = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name: 'bulk', remotePort: 8080, localPort: 0 });
  t.teardown(() => f.stop());
  const port = await f.start();

  const sock = net.connect(port, '127.0.0.1');
  sock.write('GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  sock.pause();
  // Wait until the proxy has stopped taking bytes (three polls without growth).
  let last = -1, still = 0;
  await until(() => { if (f.stats.bytesIn > 0 && f.stats.bytesIn === last) still++; else still = 0; last = f.stats.bytesIn; return still >= 3; }, 'the stream to stall', 30_000);
  t.true(f.stats.bytesIn < size / 2, `the proxy took ${f.stats.bytesIn} of ${size} bytes with nobody reading`);
  // Reading again: everything arrives, counted once.
  let got = 0;
  sock.on('data', (d: Buffer) => { got += d.length; });
  sock.resume();
  await new Promise((r) => sock.on('close', r));
  t.true(got > size);
  await until(() => f.stats.open === 0, 'closed');
  t.is(f.stats.bytesIn, got);
  t.is(f.http.recent[0]?.status, 200);
});
