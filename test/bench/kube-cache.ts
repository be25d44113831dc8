/**
 * Memory and sync time of the informer cache: `kai-tui sim serve --pods N` runs in a child
 * process (so its store does not count), this process lists + watches every pod and reports
 * time to synced, RSS and heap. For reference, `kubectl get pods -A -o name` on the same
 * cluster is timed too.
 *
 * A second phase measures event-to-cache latency: an in-process sim with 1,000 pods gets
 * --rate updates per second (default 1,000) for 5 s; for each update, the time from the write
 * to the cache holding it.
 *
 *   npm run build && node dist/test/bench/kube-cache.js [--pods 20000] [--rate 1000]
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
import { startSim } from '../../src/sim/index.js';

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

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10 : NaN;
};

/** Updates at a steady rate; the cache must hold update k before k+1 (a watch is ordered). */
async function eventLatency(rate: number): Promise<void> {
  const P = 1000;
  const seconds = 5;
  const dir = mkdtempSync(join(tmpdir(), 'kai-bench-'));
  const sim = await startSim({ apiOnly: true, scenario: 'empty', pods: P });
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    sim.writeKubeconfig(kubeconfig);
    const cluster = await connect(loadKubeConfig({ kubeconfig }, {})!);
    const col = cluster.watch(cluster.resolveKind('pods')!);
    await new Promise<void>((r) => {
      const off = col.onChange(() => col.state().phase === 'synced' && (off(), r()));
    });
    const keys = [...col.items().keys()].slice(0, P);
    const gr = { group: '', resource: 'pods' };
    const sent: number[] = [];
    const latency: number[] = [];
    let seen = 0;
    col.onChange(() => {
      while (seen < sent.length) {
        const o = col.items().get(keys[seen % keys.length]!);
        if (Number(o?.metadata.annotations?.['bench/seq'] ?? -1) < seen) break;
        latency.push(performance.now() - sent[seen]!);
        seen++;
      }
    });
    const total = rate * seconds;
    const perTick = Math.max(1, Math.round(rate / 100));
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        // Catch up to the schedule, so timer jitter does not lower the rate.
        const due = Math.min(total, Math.round(((performance.now() - t0) / 1000) * rate) + perTick);
        while (sent.length < due) {
          const k = sent.length;
          const [ns, name] = keys[k % keys.length]!.split('/');
          const cur = sim.ctx.api.get(gr, ns, name!)!;
          cur.metadata.annotations = { ...cur.metadata.annotations, 'bench/seq': String(k) };
          sent.push(performance.now());
          sim.ctx.api.update(gr, cur);
        }
        if (sent.length >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    const deadline = Date.now() + 30_000;
    while (seen < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const elapsed = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({
      phase: 'event-to-cache latency (in-process sim, same event loop)',
      updates: total,
      seen,
      achievedRatePerSec: Math.round(total / elapsed),
      p50Ms: pct(latency, 50),
      p99Ms: pct(latency, 99),
      maxMs: pct(latency, 100),
    }, null, 2));
    col.close();
    await cluster.close();
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => eventLatency(Number(arg('rate', '1000')))).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
