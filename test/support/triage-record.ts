/**
 * Records real cluster states for the triage unit tests: runs the fault set (test/support/triage-faults.ts) and
 * the demo on the embedded cluster, waits until the faults show, and writes each snapshot as JSON under
 * test/fixtures/triage/. Run after changing the sim or the fault set:
 *   npm run build && node dist/test/support/triage-record.js test/fixtures/triage
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '../../src/sim/index.js';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';
import { collect } from '../../src/triage/collect.js';
import { analyze } from '../../src/triage/diagnose.js';
import { ARGO_CRD, FAULTS } from './triage-faults.js';
import { kubectl as runKubectl } from './sim.js';

const out = process.argv[2] ?? 'test/fixtures/triage';
mkdirSync(out, { recursive: true });

async function withSim(scenario: 'empty' | 'demo', fn: (kc: string, kubectl: (args: string[], input?: string) => Promise<void>) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-rec-'));
  const sim = await startSim({ scenario, port: 0, host: '127.0.0.1', timeScale: 20 });
  const kc = join(dir, 'kubeconfig');
  sim.writeKubeconfig(kc);
  // Async: the sim runs in this process, a blocking spawn would starve it.
  const kubectl = async (args: string[], input?: string) => {
    const r = await runKubectl(args, { kubeconfig: kc, cacheDir: join(dir, 'cache'), input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  };
  try { await fn(kc, kubectl); } finally { await sim.stop(); rmSync(dir, { recursive: true, force: true }); }
}

async function snap(kc: string) {
  const c = await collect(loadKubeConfig({ kubeconfig: kc })!, {});
  await c.cluster.close();
  return c.snapshot;
}

async function record(kc: string, name: string, done: (cats: string[], found: ReturnType<typeof analyze>) => boolean): Promise<void> {
  const end = Date.now() + 120_000;
  for (;;) {
    const s = await snap(kc);
    const found = analyze(s);
    const cats = found.map((f) => f.category);
    if (done(cats, found) || Date.now() > end) {
      writeFileSync(join(out, `${name}.json`), JSON.stringify(s.record()));
      console.log(`${name}: ${cats.join(' ')}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 1500));
  }
}

await withSim('empty', async (kc, kubectl) => {
  await kubectl(['apply', '-f', '-'], ARGO_CRD);
  await new Promise((r) => setTimeout(r, 1500));
  for (const f of FAULTS) await kubectl(['apply', '-f', '-'], f.faulty);
  await record(kc, 'faults', (cats) => FAULTS.every((f) => cats.includes(f.category)));
  for (const f of FAULTS) { if (f.deleteBeforeFix) await kubectl(['delete', ...f.deleteBeforeFix]); await kubectl(['apply', '-f', '-'], f.fixed); }
  await record(kc, 'fixed', (cats) => cats.length === 0);
});
await withSim('empty', async (kc, kubectl) => {
  await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27.3', '--replicas=3']);
  await new Promise((r) => setTimeout(r, 3000));
  await kubectl(['annotate', 'node', 'kai-node-1', 'sim.kai-tui.dev/node-condition=not-ready']);
  await record(kc, 'node-down', (_c, found) => found.some((f) => f.category === 'node-unhealthy' && f.symptoms.some((x) => x.category === 'evicted')));
});
await withSim('demo', async (kc) => {
  await record(kc, 'demo', (cats) => ['crashloop', 'oom', 'image-pull', 'unschedulable', 'job-failed'].every((c) => cats.includes(c)));
});
