/**
 * Triage speed: (1) the analyzers over a recorded demo cluster plus 20,000 pods (the live pulse pane's work per
 * analysis, in-process); (2) `kai-tui diagnose -A --json` end to end against `kai-tui sim serve --pods 5000`
 * (process start, lists, log tails, metrics, analysis, output). Writes test/bench/reports/triage.md.
 *   npm run build && node dist/test/bench/triage.js
 * The cockpit's key→frame with live triage at 20k pods is measured by test/bench/cockpit.ts
 * (KAI_TUI_NO_TRIAGE=1 turns triage off for the comparison).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/triage/diagnose.js';
import { Snapshot, type RecordedSnapshot } from '../../src/triage/snapshot.js';

const BIN = join(process.cwd(), 'bin', 'kai-tui');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

function analyzerBench(pods: number, runs: number): { p50: number; p99: number; findings: number } {
  const r = JSON.parse(readFileSync(join('test', 'fixtures', 'triage', 'demo.json'), 'utf8')) as RecordedSnapshot;
  const healthy = r.objects.pods!.find((p) => p.metadata.name.startsWith('frontend'))!;
  const bulk = Array.from({ length: pods }, (_, i) => ({ ...healthy, metadata: { ...healthy.metadata, name: `bulk-${i}`, namespace: `bulk-${i % 10}`, ownerReferences: undefined, labels: { app: `bulk-${i % 50}` } } }));
  const objects = { ...r.objects, pods: [...r.objects.pods!, ...bulk] };
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    findings = analyze(new Snapshot({ objects, now: r.now })).length;
    times.push(performance.now() - t0);
  }
  return { p50: Math.round(pct(times, 50) * 10) / 10, p99: Math.round(pct(times, 99) * 10) / 10, findings };
}

async function diagnoseBench(pods: number, runs: number): Promise<{ times: number[]; findings: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-bench-'));
  const kc = join(dir, 'kubeconfig');
  const sim = spawn(process.execPath, [BIN, 'sim', 'serve', '--kubeconfig', kc, '--pods', String(pods)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => sim.stdout!.on('data', (d: Buffer) => { if (/ready/.test(d.toString())) resolve(); }));
  await new Promise((r) => setTimeout(r, 15_000)); // the demo's faults settle
  const times: number[] = [];
  let findings = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [BIN, 'diagnose', '-A', '--json', '--kubeconfig', kc], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, KAI_TUI_CONFIG_DIR: join(dir, 'cfg') } });
      times.push(Math.round(performance.now() - t0));
      findings = (JSON.parse(r.stdout) as { findings: unknown[] }).findings.length;
    }
  } finally {
    sim.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  return { times, findings };
}

const a = analyzerBench(20_000, 50);
console.log(`analyze, demo + 20,000 pods: p50 ${a.p50} ms, p99 ${a.p99} ms (${a.findings} findings)`);
const d = await diagnoseBench(5000, 5);
console.log(`diagnose -A, demo + 5,000 pods: ${d.times.join(', ')} ms (median ${pct(d.times, 50)} ms, ${d.findings} findings)`);
const report = `# Triage benchmark

Command: \`npm run build && node dist/test/bench/triage.js\`
Run: ${new Date().toISOString()}; ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end, Node ${process.version}. Shared machine: figures vary between runs.

| what | figure | target |
|---|---|---|
| every analyzer over the recorded demo cluster + 20,000 Running pods (one live analysis, in-process, 50 runs) | p50 ${a.p50} ms, p99 ${a.p99} ms (${a.findings} findings) | keeps key→frame p99 ≤ 30 ms |
| \`kai-tui diagnose -A --json\`, demo + 5,000 pods, end to end (process start → JSON printed), 5 runs | ${d.times.join(', ')} ms — median ${pct(d.times, 50)} ms (${d.findings} findings) | < 2 s |

Live triage never analyses inside a frame: it runs after changes, at most every max(2 s, 20 × its last duration), only once the pods list
is complete, and repaints only when the findings changed. The pod rules look only at troubled pods (one shared pass), the log and trend
rules only at the bounded set of sampled pods.

## Cockpit key→frame at 20,000 pods with live triage (test/bench/cockpit.ts, 1,000 pod updates/s)

Measured during this session on the shared 2-CPU machine (load average 6–8 from other agents), triage on vs \`KAI_TUI_NO_TRIAGE=1\`,
launched back to back (\`node dist/test/bench/cockpit.js --pods 20000 --launches 1 --seconds 8\`):

| run | key→frame p50 / p99 | event→screen p50 / p99 | whole table synced | RSS |
|---|---|---|---|---|
| triage on | 3 / 49 ms (41 keys) | 47 / 214 ms | 4634 ms | 214 MB |
| triage off | 4 / 31 ms (50 keys) | 39 / 191 ms | 4859 ms | 235 MB |
| triage on (earlier pair) | 5 / 43 ms | 39 / 155 ms | 6628 ms | 225 MB |
| triage off (earlier pair) | 3 / 26 ms | 36 / 72 ms | 4880 ms | 209 MB |

Under that load neither variant holds the 30 ms p99 reliably; with triage on the p99 is 10–20 ms worse in these runs. Not re-measured on a
quiet machine (none was available during the session).
`;
writeFileSync(join('test', 'bench', 'reports', 'triage.md'), report);
console.log('wrote test/bench/reports/triage.md');
