/**
 * The fleet view at scale, on the real binary in tmux: `kai-tui sim serve --clusters N --pods P`
 * in a child process (N clusters, P bulk pods each, plus each cluster's own scenario), then the
 * cockpit with `--all-contexts`:
 *
 *   1. launch → first fleet summary on screen: every row `ok` with its pods counted (≥ P),
 *      read from the tmux screen;
 *   2. `:pods` → the cross-cluster pod table on screen with every pod (≥ N×P rows counted);
 *   3. key → frame p50/p99: `j`/`k` through tmux in both views (the KAI_TUI_BENCH trace has
 *      when each key was read and when the frame answering it was painted);
 *   4. RSS of the cockpit process at the end.
 *
 *   npm run build && node dist/test/bench/fleet.js [--clusters 10] [--pods 2000] [--keys 150]
 *
 * Prints the figures and writes test/bench/reports/fleet.md.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = (() => {
  for (let d = fileURLToPath(new URL('../../..', import.meta.url)); d !== '/'; d = join(d, '..')) if (existsSync(join(d, 'bin', 'kai-tui')) && existsSync(join(d, 'node_modules'))) return d;
  throw new Error('no bin/kai-tui above the build');
})();
const BIN = join(ROOT, 'bin', 'kai-tui');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const CLUSTERS = Number(arg('clusters', '10'));
const PODS = Number(arg('pods', '2000'));
const KEYS = Number(arg('keys', '150'));
const REPORT = join(ROOT, 'test', 'bench', 'reports', 'fleet.md');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
interface Trace { ev: string; t?: number; pid?: number; recv?: number; painted?: number }
const readTrace = (f: string): Trace[] => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Trace) : []);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const socket = `kai-bench-fleet-${process.pid}`;
const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', 'main');

async function waitScreen(test: (s: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = capture();
    if (test(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await sleep(50);
  }
}

/** Key → frame samples from the trace written after `since`. */
async function keys(trace: string, n: number): Promise<number[]> {
  const before = readTrace(trace).filter((e) => e.ev === 'key').length;
  for (let i = 0; i < n; i++) {
    tmux('send-keys', '-t', 'main', i % 20 < 10 ? 'j' : 'k');
    await sleep(40);
  }
  await sleep(500);
  return readTrace(trace).filter((e) => e.ev === 'key').slice(before).map((e) => e.painted! - e.recv!);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-bench-fleet-'));
  const kc = join(dir, 'kubeconfig');
  const trace = join(dir, 'trace.jsonl');
  const sim = spawn(process.execPath, [BIN, 'sim', 'serve', '--clusters', String(CLUSTERS), '--pods', String(PODS), '--kubeconfig', kc], { stdio: ['ignore', 'pipe', 'inherit'] });
  const cleanup = () => {
    try { tmux('kill-server'); } catch { /* gone */ }
    sim.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      sim.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if ((out.match(/^ready /gm) ?? []).length === CLUSTERS) resolve();
      });
      sim.on('exit', (c) => reject(new Error(`sim exited with ${c}: ${out}`)));
    });
    const load = loadavg()[0]!.toFixed(1);
    const home = join(dir, 'home');
    mkdirSync(home);
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, KAI_TUI_CONFIG_DIR: join(home, 'cfg'), KAI_TUI_BENCH: trace, KAI_TUI_NO_WATCH: '1', TERM: 'xterm-256color' };
    delete env.TMUX;
    const t0 = Date.now();
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '200', '-y', '50', `${process.execPath} ${BIN} --kubeconfig ${kc} --all-contexts; sleep 600`], { env, stdio: 'ignore' });
    tmux('set', '-sg', 'escape-time', '0');
    // 1. Every context's row: ok, with at least PODS pods counted.
    const rowsOk = (s: string) => {
      const rows = s.split('\n').filter((l) => /^x?kai-\S+\s+ok\s+\d+ms/.test(l.replace(/^x/, '')));
      return rows.length === CLUSTERS && rows.every((l) => Number(/\s(\d+) \(\d+ ok/.exec(l)?.[1] ?? 0) >= PODS);
    };
    await waitScreen(rowsOk, 180_000, 'every context ok with its pods');
    const firstSummaryMs = Date.now() - t0;
    const pid = readTrace(trace).find((e) => e.ev === 'start')!.pid!;
    const summaryKeys = await keys(trace, KEYS);
    // 2. All pods of all contexts in one table.
    const t1 = Date.now();
    tmux('send-keys', '-t', 'main', ':');
    await sleep(100);
    tmux('send-keys', '-t', 'main', '-l', 'pods');
    tmux('send-keys', '-t', 'main', 'Enter');
    const podsScreen = await waitScreen((s) => Number(/pods in \d+ contexts: (\d+)/.exec(s)?.[1] ?? 0) >= CLUSTERS * PODS, 120_000, 'the cross-cluster pod table');
    const podTableMs = Date.now() - t1;
    const podRows = Number(/pods in \d+ contexts: (\d+)/.exec(podsScreen)![1]);
    const podKeys = await keys(trace, KEYS);
    // A filter across every cluster (regex over every row's text).
    const t2 = Date.now();
    tmux('send-keys', '-t', 'main', '/');
    await sleep(100);
    tmux('send-keys', '-t', 'main', '-l', 'web-0');
    tmux('send-keys', '-t', 'main', 'Enter');
    await waitScreen((s) => /filter: \/web-0/.test(s), 60_000, 'the filter');
    const filterMs = Date.now() - t2;
    const rss = rssMb(pid);
    const all = [...summaryKeys, ...podKeys];
    const r = {
      clusters: CLUSTERS, pods: PODS, firstSummaryMs, podTableMs, podRows, filterMs, rss: Math.round(rss),
      summaryP50: pct(summaryKeys, 50), summaryP99: pct(summaryKeys, 99), podsP50: pct(podKeys, 50), podsP99: pct(podKeys, 99), p99: pct(all, 99), samples: all.length,
    };
    console.log(JSON.stringify(r));
    const report = `# Fleet view benchmark

Run: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on ${cpus().length} cores (load average ${load} at start, shared machine).
Command: \`npm run build && node dist/test/bench/fleet.js --clusters ${CLUSTERS} --pods ${PODS} --keys ${KEYS}\`

${CLUSTERS} embedded clusters (\`kai-tui sim serve --clusters ${CLUSTERS} --pods ${PODS}\`, one child process), ${PODS} bulk pods each plus each
cluster's own scenario; the cockpit started with \`--all-contexts\` in tmux (200×50).

| measure | value | target |
|---|---:|---:|
| launch → first fleet summary on screen (every row ok, pods counted) | ${firstSummaryMs} ms | |
| \`:pods\` → the cross-cluster table with every pod (${podRows} rows) | ${podTableMs} ms | |
| \`/web-0\` across all clusters → on screen | ${filterMs} ms | |
| key → frame p50 / p99, fleet summary (${summaryKeys.length} keys) | ${r.summaryP50} / ${r.summaryP99} ms | |
| key → frame p50 / p99, cross-cluster pod table (${podKeys.length} keys) | ${r.podsP50} / ${r.podsP99} ms | |
| key → frame p99, all | ${r.p99} ms | ≤ 30 ms |
| cockpit RSS at the end | ${r.rss} MB | ≤ 400 MB |

Key → frame: \`j\`/\`k\` every 40 ms through tmux; from the cockpit reading the key to the end of the
frame that answers it (the KAI_TUI_BENCH trace). RSS: VmRSS of the cockpit process after the
pod table and the filter (it watches nodes and pods of every context, plus its own context's table).
`;
    writeFileSync(REPORT, report);
    console.log(`report: ${REPORT}`);
  } finally {
    cleanup();
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
