/**
 * The transport applies the kubeconfig's auth exactly as client-node does. A tiny loopback
 * HTTPS server records what arrives (Authorization header, client certificate) — it checks
 * our requests, it does not stand in for a cluster.
 */
import test from 'ava';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTls, type SimTls } from '../../../src/sim/tls.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { KubeHttpError, KubeNetworkError, Transport } from '../../../src/kube/transport.js';

interface Seen { path: string; auth?: string; clientCN?: string }

let tlsP: Promise<SimTls> | undefined;
const tls = () => (tlsP ??= generateTls());

async function server(t: { teardown(fn: () => void): void }, wantToken?: string) {
  const { certPem, keyPem } = await tls();
  const seen: Seen[] = [];
  const srv = https.createServer({ cert: certPem, key: keyPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    seen.push({ path: req.url!, auth: req.headers.authorization, clientCN: peer?.subject?.CN as string | undefined });
    if (wantToken && req.headers.authorization !== `Bearer ${wantToken}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    if (req.url!.startsWith('/api/v1/namespaces/x/pods')) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'pods is forbidden: User "bob" cannot list resource "pods"', reason: 'Forbidden', code: 403 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    srv.closeAllConnections();
    srv.close();
  });
  return { url: `https://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen };
}

function tmp(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function kubeconfig(d: string, server: string, user: string, cluster = ''): Promise<Transport> {
  const { caPem } = await tls();
  const file = join(d, 'kubeconfig.yaml');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: k
  cluster:
    server: ${server}
${cluster || `    certificate-authority-data: ${b64(caPem)}`}
users:
- name: u
  user:
${user}
contexts:
- name: c
  context: {cluster: k, user: u}
`,
  );
  return new Transport(loadKubeConfig({ kubeconfig: file }, {})!.kc);
}

test('bearer token from the kubeconfig', async (t) => {
  const s = await server(t);
  const tr = await kubeconfig(tmp(t), s.url, '    token: abc123');
  t.teardown(() => tr.close());
  const v = await tr.json<{ minor: string }>('/version');
  t.is(v.minor, '32');
  t.is(s.seen[0]!.auth, 'Bearer abc123');
});

test('client certificate from the kubeconfig', async (t) => {
  const s = await server(t);
  const { certPem, keyPem } = await tls();
  const tr = await kubeconfig(tmp(t), s.url, `    client-certificate-data: ${b64(certPem)}\n    client-key-data: ${b64(keyPem)}`);
  t.teardown(() => tr.close());
  await tr.json('/version');
  t.is(s.seen[0]!.clientCN, 'kube-apiserver', 'the client presented the configured certificate');
  t.is(s.seen[0]!.auth, undefined);
});

test('exec plugin: run once, its token reused for later requests', async (t) => {
  const d = tmp(t);
  const counter = join(d, 'count');
  writeFileSync(counter, '0');
  const script = join(d, 'cred.mjs');
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from 'node:fs';
const n = Number(readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;
writeFileSync(${JSON.stringify(counter)}, String(n));
console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-tok-' + n } }));
`,
  );
  const s = await server(t, 'exec-tok-1');
  const tr = await kubeconfig(d, s.url, `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${process.execPath}\n      args: [${JSON.stringify(script)}]\n      interactiveMode: Never`);
  t.teardown(() => tr.close());
  await tr.json('/version');
  await tr.json('/version');
  t.is(readFileSync(counter, 'utf8'), '1', 'the credential is reused');
  t.deepEqual(s.seen.map((x) => x.auth), ['Bearer exec-tok-1', 'Bearer exec-tok-1']);

});

test('an expired exec token (401) is refreshed once and the request succeeds', async (t) => {
  const d = tmp(t);
  const counter = join(d, 'count');
  writeFileSync(counter, '0');
  const script = join(d, 'cred.mjs');
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from 'node:fs';
const n = Number(readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;
writeFileSync(${JSON.stringify(counter)}, String(n));
console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-tok-' + n } }));
`,
  );
  const s = await server(t, 'exec-tok-2');
  const tr = await kubeconfig(d, s.url, `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${process.execPath}\n      args: [${JSON.stringify(script)}]\n      interactiveMode: Never`);
  t.teardown(() => tr.close());
  await tr.json('/version');
  t.deepEqual(s.seen.map((x) => x.auth), ['Bearer exec-tok-1', 'Bearer exec-tok-2']);
});

test('insecure-skip-tls-verify connects without the CA; without it the TLS error says what to check', async (t) => {
  const s = await server(t);
  const d = tmp(t);
  const insecure = await kubeconfig(d, s.url, '    token: x', '    insecure-skip-tls-verify: true');
  t.teardown(() => insecure.close());
  t.is((await insecure.json<{ major: string }>('/version')).major, '1');
  const strict = await kubeconfig(d, s.url, '    token: x', '    insecure-skip-tls-verify: false');
  t.teardown(() => strict.close());
  const err = await t.throwsAsync(strict.json('/version'), { instanceOf: KubeNetworkError });
  t.regex(err!.message, /TLS: cannot verify 127\.0\.0\.1:\d+'s certificate .*certificate-authority/);
});

test('HTTP errors carry the server Status message; refused connections say so', async (t) => {
  const s = await server(t);
  const tr = await kubeconfig(tmp(t), s.url, '    token: abc');
  t.teardown(() => tr.close());
  const err = await t.throwsAsync(tr.json('/api/v1/namespaces/x/pods'), { instanceOf: KubeHttpError });
  t.is(err!.status, 403);
  t.is(err!.message, 'pods is forbidden: User "bob" cannot list resource "pods"');
  const dead = await kubeconfig(tmp(t), 'https://127.0.0.1:1', '    token: abc');
  t.teardown(() => dead.close());
  const e2 = await t.throwsAsync(dead.json('/version', { timeoutMs: 2000 }), { instanceOf: KubeNetworkError });
  t.is(e2!.message, 'connection refused by 127.0.0.1:1');
});

test('a server URL with a path prefix (Rancher-style proxies) keeps the prefix', async (t) => {
  const s = await server(t);
  const tr = await kubeconfig(tmp(t), `${s.url}/k8s/clusters/c-1/`, '    token: abc');
  t.teardown(() => tr.close());
  await tr.json('/version', { query: { timeout: '5s' } });
  t.is(s.seen[0]!.path, '/k8s/clusters/c-1/version?timeout=5s');
});

/** Fails the test instead of hanging when `p` never settles. */
function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what} never settled`)), 10_000)))]).finally(() => clearTimeout(timer));
}

test('onWire: resolves once the request is sent, without waiting for the answer', async (t) => {
  const { certPem, keyPem } = await tls();
  const held: Array<import('node:http').ServerResponse> = [];
  const srv = https.createServer({ cert: certPem, key: keyPem }, (_req, res) => held.push(res));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => { srv.closeAllConnections(); srv.close(); });
  const tr = await kubeconfig(tmp(t), `https://127.0.0.1:${(srv.address() as AddressInfo).port}`, '    token: abc123');
  t.teardown(() => tr.close());
  await within(tr.onWire(), 'onWire with nothing in flight');
  let answered = false;
  const answer = tr.json<{ ok: boolean }>('/held').then((v) => { answered = true; return v; });
  await within(tr.onWire(), 'onWire');
  t.false(answered, 'onWire did not wait for the answer');
  // The server got the request: it was on the wire.
  while (held.length === 0) await new Promise((r) => setTimeout(r, 10));
  held[0]!.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  t.deepEqual(await answer, { ok: true });
  // The next request reuses the kept-alive socket: on the wire as soon as it is written.
  const again = tr.json('/held');
  await within(tr.onWire(), 'onWire on a reused socket');
  while (held.length < 2) await new Promise((r) => setTimeout(r, 10));
  held[1]!.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  await again;
});

test('onWire: resolves when the request fails (nothing listens)', async (t) => {
  const srv = https.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  const tr = await kubeconfig(tmp(t), `https://127.0.0.1:${port}`, '    token: abc123');
  t.teardown(() => tr.close());
  const answer = tr.json('/version');
  await within(tr.onWire(), 'onWire');
  await t.throwsAsync(answer, { instanceOf: KubeNetworkError });
});
