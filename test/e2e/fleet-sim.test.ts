import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { kubectl } from '../support/sim.js';

const BIN = join(process.cwd(), 'bin', 'kai-tui');

test('sim serve --clusters 3: one kubeconfig, three contexts that differ in name, release, size and faults', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const kc = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [BIN, 'sim', 'serve', '--clusters', '3', '--kubeconfig', kc], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '', err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready lines; stdout: ${out} stderr: ${err}`)), 40_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if ((out.match(/^ready \S+ https:\/\/127\.0\.0\.1:\d+$/gm) ?? []).length === 3) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const cfg = YAML.parse(readFileSync(kc, 'utf8'));
  const names = cfg.contexts.map((c: { name: string }) => c.name);
  t.deepEqual(names, ['kai-prod-eu', 'kai-staging', 'kai-dev']);
  t.is(cfg['current-context'], 'kai-prod-eu');
  t.is(new Set(cfg.clusters.map((c: { cluster: { server: string } }) => c.cluster.server)).size, 3);

  const cacheDir = join(dir, 'cache');
  const seen: Record<string, { version: string; nodes: number }> = {};
  for (const ctx of names) {
    const v = await kubectl(['--context', ctx, 'version', '-o', 'json'], { kubeconfig: kc, cacheDir });
    t.is(v.code, 0, v.stderr);
    const n = await kubectl(['--context', ctx, 'get', 'nodes', '--no-headers'], { kubeconfig: kc, cacheDir });
    seen[ctx] = { version: JSON.parse(v.stdout).serverVersion.gitVersion, nodes: n.stdout.trim().split('\n').length };
  }
  t.deepEqual(seen, { 'kai-prod-eu': { version: 'v1.32.0', nodes: 3 }, 'kai-staging': { version: 'v1.31.4', nodes: 2 }, 'kai-dev': { version: 'v1.30.8', nodes: 1 } });

  // Each has its own fault: staging's checkout crash-loops, dev's search cannot pull its image.
  const pods = async (ctx: string) => (await kubectl(['--context', ctx, 'get', 'pods', '-n', 'apps', '--no-headers'], { kubeconfig: kc, cacheDir })).stdout;
  const until = async (ctx: string, re: RegExp) => {
    for (let i = 0; i < 60; i++) {
      const s = await pods(ctx);
      if (re.test(s)) return s;
      await new Promise((r) => setTimeout(r, 500));
    }
    return pods(ctx);
  };
  t.regex(await until('kai-staging', /checkout-\S+\s+0\/1\s+(Error|CrashLoopBackOff)/), /checkout-\S+\s+0\/1\s+(Error|CrashLoopBackOff)/);
  t.regex(await until('kai-dev', /search-\S+\s+0\/1\s+(ErrImagePull|ImagePullBackOff)/), /search-\S+\s+0\/1\s+(ErrImagePull|ImagePullBackOff)/);
  t.notRegex(await pods('kai-prod-eu'), /checkout|search/);

  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  t.is(code, 0);
});
