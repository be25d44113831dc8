import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { startHarness, type Harness } from './stream-harness.js';

async function podServer(t: import('ava').ExecutionContext): Promise<number> {
  const srv = http.createServer((req, res) => {
    if (req.url?.startsWith('/bytes/')) {
      const n = Number(req.url.slice(7));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': n });
      res.end(Buffer.alloc(n, 97));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`hello from pod ${req.url}\n`);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => { srv.closeAllConnections(); srv.close(); });
  return (srv.address() as net.AddressInfo).port;
}

/** Starts `kubectl port-forward`, resolves with the local port once it prints "Forwarding from". */
export function portForward(h: Harness, target: string, remote: number, extra: string[] = [], env: Record<string, string> = {}): Promise<{ port: number; child: ChildProcess; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', h.kubeconfig, 'port-forward', target, `:${remote}`, ...extra], {
      env: { ...process.env, KUBECACHEDIR: join(h.dir, 'cache'), HOME: h.dir, ...env },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child, stderr: () => err });
    });
    child.on('close', (code) => reject(new Error(`kubectl port-forward exited ${code}: ${err}`)));
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('kubectl port-forward relays real HTTP requests, 50 at once', async (t) => {
  const h = await startHarness(t);
  const port = await podServer(t);
  h.addPod('web', { spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] } });
  h.runtime.ports.set('default/web/8080', port);
  const pf = await portForward(h, 'pod/web', 8080);
  t.teardown(() => { pf.child.kill(); });
  const r = await get(pf.port, '/index.html');
  t.is(r.status, 200);
  t.is(r.body, 'hello from pod /index.html\n');
  const many = await Promise.all(Array.from({ length: 50 }, (_, i) => get(pf.port, `/r${i}`)));
  t.true(many.every((x, i) => x.status === 200 && x.body === `hello from pod /r${i}\n`));
  const big = await get(pf.port, '/bytes/3000000');
  t.is(big.body.length, 3_000_000);
  t.true((h.runtime.load.get('default/web/web') ?? 0) > 0, 'served traffic is charged as CPU');
});

test('forwarding to a port nothing listens on reports the kubelet error and keeps the forward alive', async (t) => {
  const h = await startHarness(t);
  const port = await podServer(t);
  h.addPod('web');
  h.runtime.ports.set('default/web/8080', port);
  const pf = await portForward(h, 'pod/web', 81);
  t.teardown(() => { pf.child.kill(); });
  await t.throwsAsync(get(pf.port, '/'));
  for (let i = 0; i < 50 && !/error forwarding port 81/.test(pf.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
  t.regex(pf.stderr(), /error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace .*failed to connect to localhost:81/);
});

test('port-forward to a pod that is not running fails like a real cluster', async (t) => {
  const h = await startHarness(t);
  h.addPod('pending', { spec: { containers: [{ name: 'app', image: 'x' }] }, status: { phase: 'Pending' } });
  const r = await h.kubectl(['port-forward', 'pod/pending', ':80'], { timeoutMs: 15_000 });
  t.not(r.code, 0);
  t.regex(r.stderr, /pod is not running|does not have a host assigned|unable to upgrade connection/);
});

test('the legacy POST + Upgrade: SPDY/3.1 transport works too', async (t) => {
  const h = await startHarness(t);
  const port = await podServer(t);
  h.addPod('web');
  h.runtime.ports.set('default/web/8080', port);
  const pf = await portForward(h, 'pod/web', 8080, [], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
  t.teardown(() => { pf.child.kill(); });
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => get(pf.port, `/s${i}`)));
  t.true(many.every((x, i) => x.body === `hello from pod /s${i}\n`));
});

test('a malformed SPDY frame closes only that connection', async (t) => {
  const h = await startHarness(t);
  const port = await podServer(t);
  h.addPod('web');
  h.runtime.ports.set('default/web/8080', port);
  const pf = await portForward(h, 'pod/web', 8080);
  t.teardown(() => { pf.child.kill(); });
  const tls = await import('node:tls');
  const u = new URL(h.url);
  const closed = await new Promise<string>((resolve) => {
    const s = tls.connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false }, () => {
      s.write('POST /api/v1/namespaces/default/pods/web/portforward HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n' +
        'Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
      // A control frame claiming SPDY version 2: not ours.
      setTimeout(() => s.write(Buffer.from([0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0xde, 0xad])), 50);
    });
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => resolve(got));
    s.on('error', () => {});
  });
  t.regex(closed, /^HTTP\/1\.1 101/);
  t.true(h.logs.some((l) => /unsupported SPDY version 2/.test(l)), h.logs.join('\n'));
  const r = await get(pf.port, '/still-here');
  t.is(r.body, 'hello from pod /still-here\n');
});
