/**
 * A noisy pod must not grow the cockpit without bound: a container writes log lines as fast as
 * the emulated runtime lets it (`while true; do echo …; done`), the cockpit's logs pane follows
 * it, keys go to the pane every 150 ms. Measured: bytes streamed (counted by a `kubectl logs -f`
 * reading the same stream), the cockpit's RSS over time, key→frame from its KAI_TUI_BENCH trace,
 * and kubectl's own RSS while following, in the same run.
 *
 *   npm run build && node dist/test/bench/logs-flood.js [--seconds 60]
 *
 * Writes test/bench/reports/logs-flood.md. Loopback only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'kai-tui');
const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : dflt; };
const SECONDS = Number(arg('seconds', '60'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN; };
const rss = (pid: number) => { try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024; } catch { return 0; } };
const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: flood, namespace: default}
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sh, -c, 'while true; do echo "flood line 0123456789 abcdefghijklmnopqrstuvwxyz 0123456789 abcdefghijklmnopqrstuvwxyz"; done']
`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-flood-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = spawn(process.execPath, [BIN, 'sim', 'serve', '--kubeconfig', kubeconfig, '--scenario', 'empty'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    sim.stdout!.on('data', (d: Buffer) => { out += d; if (/ready/.test(out)) resolve(); });
    sim.on('exit', (c) => reject(new Error(`sim exited ${c}`)));
  });
  const socket = `kai-flood-${process.pid}`;
  const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const trace = join(dir, 'trace.jsonl');
  try {
    execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-f', '-'], { input: POD, stdio: ['pipe', 'ignore', 'inherit'] });
    execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'wait', '--for=condition=Ready', 'pod/flood', '--timeout=60s'], { stdio: 'ignore' });
    const env = { ...process.env, HOME: dir, KAI_TUI_CONFIG_DIR: join(dir, 'cfg'), KAI_TUI_BENCH: trace, KAI_TUI_NO_WATCH: '1', TERM: 'xterm-256color' };
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '160', '-y', '50', `${process.execPath} ${BIN} --kubeconfig ${kubeconfig} -n default; sleep 600`], { env, stdio: 'ignore' });
    tmux('set', '-sg', 'escape-time', '0');
    for (let i = 0; i < 300 && !/flood\s+1\/1/.test(tmux('capture-pane', '-p', '-t', 'main')); i++) await sleep(100);
    const pid = Number(execFileSync('pgrep', ['-f', `^${process.execPath} ${BIN} --kubeconfig ${kubeconfig}`], { encoding: 'utf8' }).trim().split('\n')[0]);
    tmux('send-keys', '-t', 'main', 'l');
    for (let i = 0; i < 100 && !/logs: default\/flood/.test(tmux('capture-pane', '-p', '-t', 'main')); i++) await sleep(100);
    await sleep(2000);
    const startRss = rss(pid);
    // kubectl follows the same stream: its byte count is what the pod wrote meanwhile.
    const kubectl = spawn('kubectl', ['--kubeconfig', kubeconfig, 'logs', '-f', 'flood', '--tail=0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let bytes = 0;
    kubectl.stdout!.on('data', (d: Buffer) => { bytes += d.length; });
    const samples: number[] = [];
    const kubectlRss: number[] = [];
    const from = Date.now();
    for (let i = 0; Date.now() - from < SECONDS * 1000; i++) {
      tmux('send-keys', '-t', 'main', i % 2 ? 'G' : 'k');
      await sleep(150);
      if (i % 7 === 0) { samples.push(rss(pid)); kubectlRss.push(rss(kubectl.pid!)); }
    }
    kubectl.kill();
    const keys = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { ev: string; recv?: number; painted?: number }).filter((e) => e.ev === 'key' && e.recv! >= from).map((e) => e.painted! - e.recv!) : [];
    const maxRss = Math.max(...samples);
    const report = [
      '# Logs flood benchmark',
      '',
      `Command: \`npm run build && node dist/test/bench/logs-flood.js --seconds ${SECONDS}\``,
      `Run: ${new Date().toISOString()}; ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end, Node ${process.version}. Shared machine: figures vary between runs.`,
      '',
      'A busybox container runs `while true; do echo "flood line …"; done` (~87-byte lines) on the embedded cluster (`kai-tui sim serve`, child process); the cockpit (real binary, tmux 160×50) follows it in the logs pane while `k`/`G` go to the pane every 150 ms. `kubectl logs -f` reads the same stream in the same run (its byte count is what was written).',
      '',
      '| what | figure | target |',
      '|---|---|---|',
      `| streamed during the run | ${mb(bytes)} in ${SECONDS} s (${(bytes / SECONDS / 2 ** 20).toFixed(2)} MB/s, as fast as the emulated runtime writes) | 1 GB (see below) |`,
      `| cockpit RSS: with the pane open / max during the flood / growth | ${mb(startRss)} / ${mb(maxRss)} / ${mb(maxRss - startRss)} | growth < 100 MB |`,
      `| cockpit RSS samples | ${samples.map((s) => Math.round(s / 2 ** 20)).join(', ')} MB | flat |`,
      `| key→frame during the flood | p50 ${pct(keys, 50)} ms, p99 ${pct(keys, 99)} ms (${keys.length} keys) | p99 ≤ 30 ms |`,
      `| kubectl logs -f RSS (same stream) | max ${mb(Math.max(...kubectlRss))} | — |`,
      '',
      `The emulated runtime writes ~${(bytes / SECONDS / 2 ** 20).toFixed(1)} MB/s, so 1 GB takes ~${Math.round(2 ** 30 / Math.max(1, bytes / SECONDS) / 60)} minutes; \`--seconds 800\` runs that long. The pane keeps the newest 10,000 lines (src/kube/logs.ts LogBuffer), so memory does not follow the volume: what matters is that the samples stay flat.`,
      '',
    ].join('\n');
    writeFileSync(join(ROOT, 'test', 'bench', 'reports', 'logs-flood.md'), report);
    console.log(report);
  } finally {
    try { tmux('kill-server'); } catch { /* gone */ }
    sim.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
