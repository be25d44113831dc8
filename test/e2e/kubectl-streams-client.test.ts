/**
 * @kubernetes/client-node's Log, Exec, Attach, PortForward and Metrics classes against the
 * embedded cluster, plus bad input on the wire: the server closes that stream and goes on.
 */
import { PassThrough, Writable } from 'node:stream';
import test from 'ava';
import * as k8s from '@kubernetes/client-node';
import WebSocket from 'ws';
import { startTestSim, type TestSim } from '../support/sim.js';
import { apply, running, waitPods, WEB_YAML } from './kubectl-streams-helpers.js';

function sink(): { stream: Writable; text: () => string } {
  let s = '';
  const stream = new Writable({ write(chunk, _enc, cb) { s += chunk.toString(); cb(); } });
  return { stream, text: () => s };
}

async function eventually(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setup(t: import('ava').ExecutionContext): Promise<{ c: TestSim; kc: k8s.KubeConfig; pod: string }> {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, `${WEB_YAML}
---
apiVersion: v1
kind: Pod
metadata: {name: reader, labels: {app: reader}}
spec:
  containers:
  - {name: reader, image: busybox:1.36, command: ["sh"], stdin: true}
`);
  const [web] = await waitPods(c, 'app=web', running);
  await waitPods(c, 'app=reader', running);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  return { c, kc, pod: web!.metadata.name! };
}

test('client-node Log, Exec, PortForward, Metrics', async (t) => {
  const { kc, pod } = await setup(t);

  const logOut = sink();
  await new k8s.Log(kc).log('default', pod, 'web', logOut.stream, { tailLines: 3, follow: false, timestamps: true });
  await eventually(() => logOut.text().split('\n').length > 3, 'log lines');
  t.regex(logOut.text(), /^\d{4}-\d\d-\d\dT/);

  const out = sink();
  const err = sink();
  let status: k8s.V1Status | undefined;
  const stdin = new PassThrough();
  await new k8s.Exec(kc).exec('default', pod, 'web', ['sh', '-c', 'read x; echo "got $x"; echo bad >&2; exit 3'], out.stream, err.stream, stdin, false, (s) => (status = s));
  stdin.end('value\n');
  await eventually(() => status !== undefined, 'the exec status');
  t.is(out.text(), 'got value\n');
  t.is(err.text(), 'bad\n');
  t.is(status!.status, 'Failure');
  t.is(status!.details?.causes?.[0]?.message, '3');

  const pfOut = sink();
  const input = new PassThrough();
  await new k8s.PortForward(kc).portForward('default', pod, [80], pfOut.stream, null, input);
  input.write('GET /pf-check HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n');
  await eventually(() => /<\/html>|\r\n\r\n\{/.test(pfOut.text()) || /HTTP\/1\.1 \d{3}/.test(pfOut.text()), 'the forwarded response');
  t.regex(pfOut.text(), /HTTP\/1\.1 \d{3}/);

  const metrics = new k8s.Metrics(kc);
  const nodes = await metrics.getNodeMetrics();
  t.true(nodes.items.length >= 1);
  t.regex(nodes.items[0]!.usage.cpu, /^\d+m$/);
  const pods = await metrics.getPodMetrics('default');
  t.true(pods.items.some((p) => p.metadata.name === pod && p.containers[0]!.name === 'web'));
  const top = await k8s.topPods(kc.makeApiClient(k8s.CoreV1Api), metrics, 'default');
  t.true(top.some((p) => p.Pod.metadata?.name === pod));
});

test('client-node Attach joins the stdin of a container running sh', async (t) => {
  const { kc } = await setup(t);
  const out = sink();
  const stdin = new PassThrough();
  const ws = await new k8s.Attach(kc).attach('default', 'reader', 'reader', out.stream, null, stdin, false);
  t.teardown(() => ws.close());
  stdin.write('echo attached-$((6*7))\n');
  await eventually(() => out.text().includes('attached-42'), 'output of the attached shell');
  t.pass();
});

test('bad input: text messages, unknown channels and clients vanishing mid-stream leave the server serving', async (t) => {
  const { c, kc, pod } = await setup(t);
  const base = c.sim.url.replace('https', 'wss');
  const opts = { headers: { Authorization: `Bearer ${c.sim.token}` }, rejectUnauthorized: false };
  const url = `${base}/api/v1/namespaces/default/pods/${pod}/exec?command=sleep&command=100&stdout=true&stdin=true`;

  // Text messages are read like binary ones (channel byte first), as the real server does for
  // the Python client: one on an unknown channel is ignored and the stream stays open.
  const ws1 = new WebSocket(url, ['v5.channel.k8s.io'], opts);
  await new Promise((r) => ws1.on('open', r));
  let closedEarly = false;
  ws1.on('close', () => { closedEarly = true; });
  ws1.send(Buffer.from([9, 1, 2, 3]));
  ws1.send('not binary');
  await new Promise((r) => setTimeout(r, 300));
  t.false(closedEarly, 'a text message does not close the stream');
  ws1.terminate();

  // A client that disappears mid-stream: the server drops it.
  const ws2 = new WebSocket(url, ['v5.channel.k8s.io'], opts);
  await new Promise((r) => ws2.on('open', r));
  ws2.terminate();

  // A malformed SPDY stream after the POST + Upgrade: SPDY/3.1 handshake.
  const tls = await import('node:tls');
  const u = new URL(c.sim.url);
  const reply = await new Promise<string>((resolve) => {
    const s = tls.connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false }, () => {
      s.write(`POST /api/v1/namespaces/default/pods/${pod}/portforward HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${c.sim.token}\r\n` +
        'Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\nContent-Length: 0\r\n\r\n');
      // A control frame of SPDY version 2: not what this server speaks.
      setTimeout(() => s.write(Buffer.from([0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0xde, 0xad])), 50);
    });
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => resolve(got));
    s.on('error', () => {});
  });
  t.regex(reply, /^HTTP\/1\.1 101/);

  // Everything else still works.
  const out = sink();
  let status: k8s.V1Status | undefined;
  await new k8s.Exec(kc).exec('default', pod, 'web', ['echo', 'still serving'], out.stream, null, null, false, (s) => (status = s));
  await eventually(() => status !== undefined, 'exec after bad input');
  t.is(out.text(), 'still serving\n');
  t.is(status!.status, 'Success');
});
