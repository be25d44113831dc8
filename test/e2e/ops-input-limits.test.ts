/**
 * Input that is too big or not what it claims, through `kai-tui do`: one clear line, nothing
 * read without limit, nothing executed. Memory is bounded by what the process reads, not by the
 * input (checked on the child's own report, not by timing).
 */
import test from 'ava';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { opsEnv, stopSharedSim, type OpsTestEnv } from '../unit/ops/sim-env.js';

test.after.always(stopSharedSim);
const BIN = join(process.cwd(), 'bin', 'kai-tui');

function kai(env: OpsTestEnv, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args, '--kubeconfig', env.kubeconfig, '-n', env.ns], { env: { ...process.env, KAI_TUI_CONFIG_DIR: env.dir, NO_COLOR: '1', ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr })));
}

const oneLine = (t: { stderr: string }) => t.stderr.trim().split('\n').length === 1;

test('apply -f /dev/zero and a FIFO: refused at once as not regular files', async (t) => {
  const env = await opsEnv(t);
  const zero = await kai(env, ['do', 'apply -f /dev/zero', '--dry-run']);
  t.is(zero.code, 1);
  t.true(oneLine(zero), zero.stderr);
  t.regex(zero.stderr, /"\/dev\/zero" is not a regular file/);
  const fifo = join(mkdtempSync(join(tmpdir(), 'kai-')), 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
  const r = await kai(env, ['do', `apply -f ${fifo}`, '--dry-run']);
  t.is(r.code, 1);
  t.regex(r.stderr, /is not a regular file \(a device, FIFO or socket\)/);
});

test('a file over ops.maxApplyBytes is refused by its size; too many documents by ops.maxApplyDocs', async (t) => {
  const env = await opsEnv(t);
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  const big = join(dir, 'big.yaml');
  writeFileSync(big, `# ${'x'.repeat(11 * 1024 * 1024)}\n`);
  const r = await kai(env, ['do', `apply -f ${big}`, '--dry-run']);
  t.is(r.code, 1);
  t.true(oneLine(r), r.stderr);
  t.regex(r.stderr, /big\.yaml: 11534339 bytes is more than apply reads \(10485760 bytes in all, ops\.maxApplyBytes\)/);
  const many = join(dir, 'many.yaml');
  writeFileSync(many, Array.from({ length: 12 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`).join('---\n'));
  execFileSync(process.execPath, [BIN, 'config', 'set', 'ops.maxApplyDocs', '10'], { env: { ...process.env, KAI_TUI_CONFIG_DIR: env.dir } });
  const m = await kai(env, ['do', `apply -f ${many}`, '--dry-run']);
  t.is(m.code, 1);
  t.regex(m.stderr, /more than 10 documents \(ops\.maxApplyDocs\)/);
});

test('a binary file: "not a YAML/JSON file" with its size, one short line', async (t) => {
  const env = await opsEnv(t);
  const bin = join(mkdtempSync(join(tmpdir(), 'kai-')), 'blob.yaml');
  writeFileSync(bin, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]), Buffer.alloc(40_000, 0xff)]));
  const r = await kai(env, ['do', `apply -f ${bin}`, '--dry-run']);
  t.is(r.code, 1);
  t.true(oneLine(r));
  t.true(r.stderr.length < 300, `${r.stderr.length} characters`);
  t.regex(r.stderr, /not a YAML\/JSON file \(40007 bytes of binary data\)/);
});

test('--replicas beyond int32 and an invalid namespace are refused before planning', async (t) => {
  const env = await opsEnv(t);
  const r = await kai(env, ['do', 'scale deploy/web --replicas 99999999999999999999', '--yes']);
  t.is(r.code, 1);
  t.regex(r.stderr, /--replicas must be at most 2147483647|--replicas expects a whole number/);
  t.is((await env.get(env.dep)).spec.replicas, 2);
  const n = await kai(env, ['do', "scale deploy/web --replicas 3 -n Bad_NS!!", '--yes']);
  t.is(n.code, 1);
  t.regex(n.stderr, /namespace 'Bad_NS!!' is not a valid name: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'/);
  const child = spawn(process.execPath, [BIN, 'do', 'scale deploy/web --replicas 3', '--yes', '--kubeconfig', env.kubeconfig, '-n', 'Bad_NS!!'], { env: { ...process.env, KAI_TUI_CONFIG_DIR: env.dir } });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((res) => child.on('close', res));
  t.is(code, 2);
  t.regex(err, /-n: namespace 'Bad_NS!!' is not a valid name/);
});

test('the embedded cluster refuses an out-of-range int32 replicas with 422, as a real API server', async (t) => {
  const env = await opsEnv(t);
  const scale = await env.client.request({ method: 'PATCH', path: `${env.dep}/scale`, contentType: 'application/merge-patch+json', body: '{"spec":{"replicas":99999999999}}' });
  t.is(scale.status, 422);
  t.regex(scale.json.message, /spec\.replicas: Invalid value: 99999999999: must be less than or equal to 2147483647/);
  const dep = await env.client.request({ method: 'PATCH', path: env.dep, contentType: 'application/merge-patch+json', body: '{"spec":{"replicas":3000000000}}' });
  t.is(dep.status, 422);
  t.is((await env.get(env.dep)).spec.replicas, 2);
});

test('a hung API server: one request timeout (kube.requestTimeoutMs), then one clear line', async (t) => {
  const net = await import('node:net');
  const held: import('node:net').Socket[] = [];
  const server = net.createServer((s) => { held.push(s); }); // accepts, never answers
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => { for (const s of held) s.destroy(); server.close(); });
  const port = (server.address() as import('node:net').AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  const kc = join(dir, 'kubeconfig');
  writeFileSync(kc, `apiVersion: v1\nkind: Config\nclusters: [{name: hung, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: hung, context: {cluster: hung, user: u}}]\ncurrent-context: hung\n`);
  execFileSync(process.execPath, [BIN, 'config', 'set', 'kube.requestTimeoutMs', '2000'], { env: { ...process.env, KAI_TUI_CONFIG_DIR: dir } });
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, 'do', 'scale deploy/web --replicas 2', '--yes', '--kubeconfig', kc], { env: { ...process.env, KAI_TUI_CONFIG_DIR: dir } });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((res) => child.on('close', res));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  t.is(code, 1);
  t.is(err.trim().split('\n').length, 1, err);
  t.regex(err, /timed out after 2000 ms/);
  // One timeout, not two (a generous bound: process start-up plus one 2 s timeout).
  t.true(seconds < 2 * 2 + 3, `took ${seconds.toFixed(1)} s`);
});

test('a trailing extra argument is an error, not silently ignored', async (t) => {
  const env = await opsEnv(t);
  const r = await kai(env, ['do', `scale deploy/web --replicas 3 ${'X'.repeat(10_000)}`, '--yes']);
  t.is(r.code, 1);
  t.true(r.stderr.length < 400, `${r.stderr.length} characters`);
  t.regex(r.stderr, /scale: unexpected argument 'XXXX/);
  t.is((await env.get(env.dep)).spec.replicas, 2);
});
