/**
 * Benchmark of `apply -f` with many documents (not a test: it prints and writes a report).
 *   npm run build && node dist/test/bench/apply-docs.js [--docs 1000,10000]
 * For each size, one file of N ConfigMaps: `kai-tui do "apply -f FILE" --dry-run --json` (parse,
 * plan, server dry-run of every document, 8 at a time) against `kubectl apply --dry-run=server
 * -f FILE` on the same embedded cluster, in the same run. Writes test/bench/reports/apply-docs.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSim } from '../../src/sim/index.js';

const BIN = fileURLToPath(new URL('../../../bin/kai-tui', import.meta.url));
const REPORT = fileURLToPath(new URL('../../../test/bench/reports/apply-docs.md', import.meta.url));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; tail: string }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => { err = (err + d).slice(-400); });
    c.on('close', (code) => resolve({ ms: performance.now() - t0, code, tail: err.trim().split('\n').pop() ?? '' }));
  });
}

async function main(): Promise<void> {
  const sizes = (process.argv.includes('--docs') ? process.argv[process.argv.indexOf('--docs') + 1]! : '1000,10000').split(',').map(Number);
  const sim = await startSim({ scenario: 'empty', port: 0, host: '127.0.0.1' });
  const dir = mkdtempSync(join(tmpdir(), 'kai-bench-apply-'));
  const kc = join(dir, 'kubeconfig');
  sim.writeKubeconfig(kc);
  const env = { ...process.env, KAI_TUI_CONFIG_DIR: join(dir, 'config'), KUBECACHEDIR: join(dir, 'kube-cache'), NO_COLOR: '1' };
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const file = join(dir, `cm-${n}.yaml`);
      writeFileSync(file, Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: default}\ndata: {k: "v${i}"}\n`).join('---\n'));
      const kai = await run(process.execPath, [BIN, 'do', `apply -f ${file}`, '--dry-run', '--json', '--kubeconfig', kc], env);
      const kubectl = await run('kubectl', ['--kubeconfig', kc, 'apply', '--dry-run=server', '-f', file], env);
      rows.push(`| ${n.toLocaleString('en')} | ${(kai.ms / 1000).toFixed(1)} s (${(kai.ms / n).toFixed(2)} ms/doc, exit ${kai.code}) | ${(kubectl.ms / 1000).toFixed(1)} s (${(kubectl.ms / n).toFixed(2)} ms/doc, exit ${kubectl.code}) |`);
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const report = [
    '# apply -f with many documents', '',
    'Command: `npm run build && node dist/test/bench/apply-docs.js --docs ' + sizes.join(',') + '`', '',
    `Machine: ${process.platform}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end; the embedded cluster in the benchmark's process.`, '',
    '| documents | kai-tui do --dry-run (plan + server dry-run of each, 8 at a time) | kubectl apply --dry-run=server |', '|---|---|---|', ...rows, '',
  ].join('\n');
  mkdirSync(dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, report);
  console.log(`\nwrote ${REPORT}`);
}

void main();
