import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl } from '../support/sim.js';

const BIN = join(process.cwd(), 'bin', 'kai-tui');

test('kai-tui sim serve writes a kubeconfig, prints one ready line, serves kubectl, stops on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const kc = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [BIN, 'sim', 'serve', '--kubeconfig', kc, '--scenario', 'empty', '--pods', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '', err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${err}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (https:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const cfg = readFileSync(kc, 'utf8');
  t.true(cfg.includes(`server: ${url}`));
  t.regex(cfg, /certificate-authority-data: \S+/);
  t.regex(cfg, /current-context: kai-demo/);
  t.is(statSync(kc).mode & 0o777, 0o600);

  const cacheDir = join(dir, 'cache');
  const r = await kubectl(['get', 'pods', '-A', '-o', 'wide', '--no-headers'], { kubeconfig: kc, cacheDir });
  t.is(r.code, 0, r.stderr);
  // The empty scenario still has kube-system pods; the 30 extra pods are spread over other namespaces.
  const rows = r.stdout.trim().split('\n').filter((row) => !row.startsWith('kube-system'));
  t.is(rows.length, 30, r.stdout);
  t.true(rows.every((row) => /^\S+\s+\S+\s+1\/1\s+Running\s+0\s+\S+\s+\d+\.\d+\.\d+\.\d+\s+\S+/.test(row)), rows.join('\n'));
  t.true(new Set(rows.map((row) => row.split(/\s+/)[0])).size > 1, 'spread over namespaces');
  t.true(new Set(rows.map((row) => row.split(/\s+/)[6])).size > 1, 'spread over nodes');
  const v = await kubectl(['version', '-o', 'json'], { kubeconfig: kc, cacheDir });
  t.is(JSON.parse(v.stdout).serverVersion.minor, '32');

  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  t.is(code, 0, err);
  t.is(out.trim().split('\n').length, 1, 'exactly one line on stdout');
});

test('kai-tui sim serve rejects bad flags with exit 2', async (t) => {
  const run = (args: string[]) => new Promise<{ code: number | null; err: string }>((resolve) => {
    const c = spawn(process.execPath, [BIN, 'sim', ...args]);
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('exit', (code) => resolve({ code, err }));
  });
  const a = await run(['serve']);
  t.is(a.code, 2);
  t.regex(a.err, /--kubeconfig FILE is required/);
  const b = await run(['serve', '--kubeconfig', '/tmp/x', '--scenario', 'prod']);
  t.is(b.code, 2);
  t.regex(b.err, /--scenario must be demo or empty/);
  const c = await run(['serve', '--kubeconfig', '/tmp/x', '--pods', 'many']);
  t.is(c.code, 2);
});
