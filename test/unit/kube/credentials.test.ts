/**
 * The kubeconfig's common auth forms are applied without @kubernetes/client-node (it is loaded
 * only for exec plugins, auth providers and proxies). A loopback HTTP(S) server records what
 * arrives; it checks our requests, it does not stand in for a cluster.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTls, type SimTls } from '../../../src/sim/tls.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { KubeNetworkError, Transport } from '../../../src/kube/transport.js';
import { KubeRequester } from '../../../src/kube/request.js';

interface Seen { auth?: string; impersonate?: string }

let tlsP: Promise<SimTls> | undefined;
const tls = () => (tlsP ??= generateTls());

async function server(t: { teardown(fn: () => void): void }, plain = false) {
  const { certPem, keyPem } = await tls();
  const seen: Seen[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ auth: req.headers.authorization, impersonate: req.headers['impersonate-user'] as string | undefined });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '32' }));
  };
  const srv = plain ? http.createServer(handler) : https.createServer({ cert: certPem, key: keyPem }, handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    srv.closeAllConnections();
    srv.close();
  });
  return { url: `${plain ? 'http' : 'https'}://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen };
}

function tmp(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function writeKubeconfig(dir: string, server: string, cluster: string, user: string): string {
  const file = join(dir, 'kubeconfig.yaml');
  writeFileSync(file, `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: k
  cluster:
    server: ${server}
${cluster}
users:
- name: u
  user:
${user}
contexts:
- name: c
  context: {cluster: k, user: u}
`);
  return file;
}

test('token-file and certificate-authority are relative to the kubeconfig file; the token is trimmed; as → Impersonate-User', async (t) => {
  const s = await server(t);
  const d = tmp(t);
  mkdirSync(join(d, 'creds'));
  writeFileSync(join(d, 'creds', 'token'), '  file-tok-1\n');
  writeFileSync(join(d, 'creds', 'ca.crt'), (await tls()).caPem);
  const file = writeKubeconfig(d, s.url, '    certificate-authority: creds/ca.crt', '    token-file: creds/token\n    as: alice');
  const loaded = loadKubeConfig({ kubeconfig: file }, {})!;
  t.is(loaded.kc.getCurrentCluster()?.caFile, join(d, 'creds', 'ca.crt'));
  const tr = new Transport(loaded.kc);
  t.teardown(() => tr.close());
  await tr.json('/version');
  t.deepEqual(s.seen[0], { auth: 'Bearer file-tok-1', impersonate: 'alice' });
  // The operations pipeline's client reads the same credentials.
  const res = await new KubeRequester(loaded).request({ method: 'GET', path: '/version' });
  t.is(res.status, 200);
  t.is(s.seen[1]!.auth, 'Bearer file-tok-1');
});

test('a numeric-looking token stays the string it was written as; basic auth from username/password', async (t) => {
  const s = await server(t);
  const d = tmp(t);
  const ca = `    certificate-authority-data: ${Buffer.from((await tls()).caPem).toString('base64')}`;
  const tok = new Transport(loadKubeConfig({ kubeconfig: writeKubeconfig(d, s.url, ca, '    token: 00123') }, {})!.kc);
  t.teardown(() => tok.close());
  await tok.json('/version');
  t.is(s.seen[0]!.auth, 'Bearer 00123');
  const basic = new Transport(loadKubeConfig({ kubeconfig: writeKubeconfig(d, s.url, ca, '    username: admin\n    password: s3cret') }, {})!.kc);
  t.teardown(() => basic.close());
  await basic.json('/version');
  t.is(s.seen[1]!.auth, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
});

test('tls-server-name is the name the certificate is checked against', async (t) => {
  const s = await server(t);
  const d = tmp(t);
  const ca = `    certificate-authority-data: ${Buffer.from((await tls()).caPem).toString('base64')}`;
  const good = new Transport(loadKubeConfig({ kubeconfig: writeKubeconfig(d, s.url, `${ca}\n    tls-server-name: kubernetes.default.svc`, '    token: x') }, {})!.kc);
  t.teardown(() => good.close());
  t.is((await good.json<{ minor: string }>('/version')).minor, '32');
  const bad = new Transport(loadKubeConfig({ kubeconfig: writeKubeconfig(d, s.url, `${ca}\n    tls-server-name: nope.example`, '    token: x') }, {})!.kc);
  t.teardown(() => bad.close());
  const err = await t.throwsAsync(bad.json('/version', { timeoutMs: 5000 }), { instanceOf: KubeNetworkError });
  t.is(err!.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
});

test('a plain http:// server (kubectl proxy) is reached without TLS', async (t) => {
  const s = await server(t, true);
  const tr = new Transport(loadKubeConfig({ kubeconfig: writeKubeconfig(tmp(t), s.url, '', '    token: p') }, {})!.kc);
  t.teardown(() => tr.close());
  await tr.json('/version');
  t.is(s.seen[0]!.auth, 'Bearer p');
});

test('a broken entry names the file and the entry', (t) => {
  const d = tmp(t);
  const file = join(d, 'k.yaml');
  writeFileSync(file, 'clusters:\n- name: x\n  cluster: {}\n');
  t.throws(() => loadKubeConfig({ kubeconfig: file }, {}), { message: `cannot read kubeconfig ${file}: clusters[0].cluster.server is missing` });
  writeFileSync(file, '- just\n- a list\n');
  t.throws(() => loadKubeConfig({ kubeconfig: file }, {}), { message: /k\.yaml: not a kubeconfig/ });
});

/**
 * In a child process where importing @kubernetes/client-node fails: a token user connects, an
 * exec user fails on that import (which proves the block works).
 */
test('token and certificate users never load @kubernetes/client-node; exec users do', async (t) => {
  const s = await server(t);
  const d = tmp(t);
  const ca = `    certificate-authority-data: ${Buffer.from((await tls()).caPem).toString('base64')}`;
  const tokenFile = writeKubeconfig(d, s.url, ca, '    token: blocked-ok');
  const execDir = join(d, 'exec');
  mkdirSync(execDir);
  const execFile_ = writeKubeconfig(execDir, s.url, ca, `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${process.execPath}\n      args: ["-e", "1"]\n      interactiveMode: Never`);
  const hook = `data:text/javascript,${encodeURIComponent("export async function resolve(s, c, next) { if (s.startsWith('@kubernetes/client-node')) throw new Error('client-node was loaded'); return next(s, c); }")}`;
  const src = (p: string) => fileURLToPath(new URL(`../../../src/kube/${p}`, import.meta.url));
  const script = `
    import { register } from 'node:module';
    register(${JSON.stringify(hook)});
    const { loadKubeConfig } = await import(${JSON.stringify(src('kubeconfig.js'))});
    const { Transport } = await import(${JSON.stringify(src('transport.js'))});
    const run = async (file) => {
      const tr = new Transport(loadKubeConfig({ kubeconfig: file }, {}).kc);
      try { return JSON.stringify(await tr.json('/version', { timeoutMs: 5000 })); } catch (e) { return 'error: ' + e.message; } finally { tr.close(); }
    };
    console.log(await run(${JSON.stringify(tokenFile)}));
    console.log(await run(${JSON.stringify(execFile_)}));
  `;
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
  const [tokenLine, execLine] = out.trim().split('\n');
  t.is(tokenLine, JSON.stringify({ major: '1', minor: '32' }));
  t.is(s.seen[0]!.auth, 'Bearer blocked-ok');
  t.regex(execLine!, /client-node was loaded/);
});

test('the operations client keeps one connection alive; a kept-alive socket the server dropped is retried once on a fresh one', async (t) => {
  const perSocket = new Map<unknown, number>();
  const sockets = new Set<unknown>();
  let dropped = 0;
  const srv = http.createServer((req, res) => {
    sockets.add(req.socket);
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    // The third request on a connection finds it closed under it (an idle keep-alive timeout racing the client).
    if (n === 3) { dropped++; req.socket.destroy(); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => { srv.closeAllConnections(); srv.close(); });
  const d = tmp(t);
  const file = writeKubeconfig(d, `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, '', '    token: t');
  const client = new KubeRequester(loadKubeConfig({ kubeconfig: file }, {})!);
  for (let i = 0; i < 4; i++) t.is((await client.request({ method: 'GET', path: '/version' })).status, 200);
  t.is(dropped, 1, 'one request found its socket dropped');
  t.is(sockets.size, 2, 'kept alive: two connections for five requests (one retry on a fresh socket)');
  // The cockpit's transport behaves the same.
  const tr = new Transport(loadKubeConfig({ kubeconfig: file }, {})!.kc);
  t.teardown(() => tr.close());
  for (let i = 0; i < 4; i++) t.deepEqual(await tr.json('/version'), { ok: true });
  t.is(dropped, 2);
});
