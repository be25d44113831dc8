/**
 * Memory and sync time of the informer cache: `kai-tui sim serve --pods N` runs in a child
 * process (so its store does not count), this process lists + watches every pod and reports
 * time to synced, RSS and heap. For reference, `kubectl get pods -A -o name` on the same
 * cluster is timed too.
 *
 *   npm run build && node dist/test/bench/kube-cache.js [--pods 20000]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect } from '../../src/kube/cluster.js';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const BIN = fileURLToPath(new URL('../../../bin/kai-tui', import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const N = Number(arg('pods', '20000'));
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function memory(): { rss: number; heap: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const t0 = Date.now();
  const sim = spawn(process.execPath, [BIN, 'sim', 'serve', '--kubeconfig', kubeconfig, '--scenario', 'empty', '--pods', String(N)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => {
    sim.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      sim.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/ready/.test(out)) resolve();
      });
      sim.on('exit', (code) => reject(new Error(`sim exited with ${code}: ${out}`)));
    });
    console.log(`sim with ${N} pods ready in ${Date.now() - t0} ms (child process)`);

    const base = memory();
    const loaded = loadKubeConfig({ kubeconfig }, {})!;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const cluster = await connect(loaded);
    const discovered = performance.now();
    const pods = cluster.watch(cluster.resolveKind('pods')!);
    let firstRowsMs = -1;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (firstRowsMs < 0 && pods.items().size > 0) firstRowsMs = performance.now() - discovered;
        if (pods.state().phase === 'synced') resolve();
      };
      pods.onChange(check);
      check();
    });
    const synced = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const after = memory();
    const sample = pods.items().values().next().value;
    const bytesPerPod = (after.heap - base.heap) / pods.items().size;

    const cache = join(dir, 'kube-cache');
    const k0 = performance.now();
    const k = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'name'], { env: { ...process.env, KUBECACHEDIR: cache }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const kubectlMs = performance.now() - k0;
    const kubectlCount = k.status === 0 ? k.stdout.trim().split('\n').length : -1;

    console.log(JSON.stringify({
      pods: pods.items().size,
      discoveryMs: Math.round(discovered - started),
      firstPageMs: Math.round(firstRowsMs),
      listAndSyncMs: Math.round(synced - discovered),
      cacheCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      totalToSyncedMs: Math.round(synced - started),
      rssBefore: mb(base.rss),
      rssAfter: mb(after.rss),
      heapAfter: mb(after.heap),
      heapPerPodBytes: Math.round(bytesPerPod),
      managedFieldsKept: sample?.metadata?.managedFields !== undefined,
      kubectlGetPodsAllMs: Math.round(kubectlMs),
      kubectlPods: kubectlCount,
    }, null, 2));
    pods.close();
    await cluster.close();
  } finally {
    stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
