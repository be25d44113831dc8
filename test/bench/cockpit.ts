/**
 * The cockpit's speed, measured on the real binary in a real terminal (tmux), against
 * `kai-tui sim serve --pods N` in a child process:
 *
 *   1. launch → first painted pod table (all namespaces), from the KAI_TUI_BENCH trace the
 *      cockpit writes after each frame, checked on the tmux screen; compared in the same run
 *      with `kubectl get pods -A` (cold discovery cache) on the same cluster;
 *   2. event → screen: a second cluster of N pods, served in this process (API only, no
 *      controllers, so the server is not the bottleneck), gets --rate pod updates per second
 *      (default 1,000) written into its store; every 20th stamps a pod that is on screen with
 *      the write time; the cockpit traces the frame in which each stamp first appears. The
 *      updates reach the cockpit as watch events over HTTPS, as from any API server;
 *   3. key → frame: `j`/`k` sent through tmux during that load; the trace holds when each key
 *      was read and when the frame that answered it was painted;
 *   4. RSS of the cockpit process after the load (N pods watched).
 *
 *   npm run build && node dist/test/bench/cockpit.js [--pods 1000,5000,20000] [--rate 1000] [--seconds 8]
 *     [--launches 3] [--compare DIR] [--no-load]
 *
 * --compare DIR: also launch another build (DIR holds its dist/src and, if they differ, its
 * bin, keymaps and themes: e.g. `git archive` of an older commit, built) against the same
 * cluster, alternating launch by launch with this one, so a before/after
 * comparison sees the same machine load. --no-load: first paint only (no event/key phase).
 *
 * Prints the figures and writes test/bench/reports/cockpit.md.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSim } from '../../src/sim/index.js';

/** The dist/ this bench was compiled into (the build under test). */
const DIST = fileURLToPath(new URL('../../', import.meta.url));
/** The working tree: the nearest folder above with bin/kai-tui and node_modules (the build may sit in another outDir). */
const ROOT = (() => {
  for (let d = join(DIST, '..'); d !== '/'; d = join(d, '..')) if (existsSync(join(d, 'bin', 'kai-tui')) && existsSync(join(d, 'node_modules'))) return d;
  throw new Error(`no bin/kai-tui above ${DIST}`);
})();
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const SIZES = arg('pods', '1000,5000,20000').split(',').map(Number);
const RATE = Number(arg('rate', '1000'));
const SECONDS = Number(arg('seconds', '8'));
const LAUNCHES = Number(arg('launches', '3'));
const COMPARE = arg('compare', '');
const NO_LOAD = process.argv.includes('--no-load');
/**
 * The working tree's dist/ is rebuilt by anyone running tsc; the cockpit under test runs from a
 * snapshot taken at start (dist/src, bin, keymaps, themes; node_modules linked).
 */
function snapshot(distSrc: string, tree = ROOT): string {
  const dir = mkdtempSync(join(tmpdir(), 'kai-bench-snap-'));
  cpSync(distSrc, join(dir, 'dist', 'src'), { recursive: true });
  // The launcher runs the bundle of dist/src when the build made one (npm run build).
  const bundle = join(distSrc, '..', 'bundle');
  if (existsSync(bundle)) cpSync(bundle, join(dir, 'dist', 'bundle'), { recursive: true });
  // The shipped keymaps and themes must match the build's code (a new action name fails an old build).
  for (const p of ['bin', 'keymaps', 'themes', 'prompts', 'package.json']) if (existsSync(join(tree, p)) || existsSync(join(ROOT, p))) cpSync(join(existsSync(join(tree, p)) ? tree : ROOT, p), join(dir, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}
const SNAP = snapshot(join(DIST, 'src'));
const SNAP_BEFORE = COMPARE ? snapshot(join(COMPARE, 'dist', 'src'), COMPARE) : undefined;
process.on('exit', () => {
  rmSync(SNAP, { recursive: true, force: true });
  if (SNAP_BEFORE) rmSync(SNAP_BEFORE, { recursive: true, force: true });
});
const BIN = join(SNAP, 'bin', 'kai-tui');
const BIN_BEFORE = SNAP_BEFORE ? join(SNAP_BEFORE, 'bin', 'kai-tui') : undefined;
const REPORT = join(ROOT, 'test', 'bench', 'reports', 'cockpit.md');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);

interface Trace { ev: string; n?: string; up?: number; cpu?: number; t?: number; dirty?: number; start?: number; parts?: Record<string, number>; pid?: number; rows?: number; sent?: number; recv?: number; painted?: number }
function readTrace(file: string): Trace[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Trace);
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
}

/** The sim in a child process; resolves when it prints `ready`. */
async function startSimServe(dir: string, pods: number): Promise<{ kubeconfig: string; stop: () => void }> {
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [BIN, 'sim', 'serve', '--kubeconfig', kubeconfig, '--scenario', 'empty', '--pods', String(pods)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`sim exited with ${code}: ${out}`)));
  });
  return { kubeconfig, stop: () => child.kill('SIGTERM') };
}

function kubectlGetPods(kubeconfig: string, dir: string, run: number): { ms: number; lines: number } {
  const cache = join(dir, `kubectl-cache-${run}`);
  const t0 = performance.now();
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A'], { env: { ...process.env, KUBECACHEDIR: cache }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`kubectl failed: ${r.stderr}`);
  return { ms, lines: r.stdout.trim().split('\n').length - 1 };
}

class Tmux {
  readonly socket = `kai-bench-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  start(cmd: string, env: NodeJS.ProcessEnv): void {
    execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '160', '-y', '50', cmd], { env: { ...env, TERM: 'xterm-256color' }, stdio: 'ignore' });
    execFileSync('tmux', ['-L', this.socket, 'set', '-sg', 'escape-time', '0'], { stdio: 'ignore' });
  }
  capture(): string {
    return execFileSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', 'main'], { encoding: 'utf8' });
  }
  keys(k: string): void {
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', 'main', k], { stdio: 'ignore' });
  }
  kill(): void {
    try { execFileSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' }); } catch { /* gone */ }
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }
}

/** marks: the cockpit's start-up milestones (src/commands/startup-marks.ts), ms since its process started. */
interface Launch { rows: number; rowsMs: number; paintMs: number; constructedMs: number; marks: Record<string, number> }

/** One cockpit launch in tmux until its whole pod table is painted; checked on the screen. */
async function launchOnce(bin: string, kubeconfig: string, home: string, trace: string): Promise<Launch> {
  const tm = new Tmux();
  // As a user starts it: in a terminal that is already open, a shell waits for the command; the
  // clock starts when it is entered (tmux's own server start is not the cockpit's). kubectl is
  // timed the same way: from spawning it.
  tm.start(`read go; ${process.execPath} ${bin} --kubeconfig ${kubeconfig} -A; sleep 600`, { ...process.env, HOME: home, KAI_TUI_CONFIG_DIR: join(home, 'cfg'), KAI_TUI_BENCH: trace, KAI_TUI_NO_WATCH: '1' });
  await sleep(300);
  const t0 = Date.now();
  tm.keys('Enter');
  let first: Trace | undefined;
  for (let i = 0; i < 1200 && !first; i++) {
    await sleep(50);
    first = readTrace(trace).find((e) => e.ev === 'firstPaint');
  }
  if (!first) {
    const screen = tm.capture();
    tm.kill();
    throw new Error(`no first paint after 60 s; screen:\n${screen}`);
  }
  const events = readTrace(trace);
  const started = events.find((e) => e.ev === 'start')!;
  // The screen agrees: a pod row is there.
  const screen = tm.capture();
  tm.kill();
  if (!/\d+\/\d+\s+Running/.test(screen)) throw new Error(`trace says painted but the screen has no pod rows:\n${screen}`);
  const rowsEv = events.find((e) => e.ev === 'firstRows')!;
  const marks: Record<string, number> = {};
  for (const e of events) if (e.ev === 'mark' && e.n && e.up !== undefined && marks[e.n] === undefined) marks[e.n] = e.up;
  if (rowsEv.up !== undefined) {
    marks.firstRows = rowsEv.up;
    // From the command entered (tmux send-keys) to the process's own start (shell fork, exec, Node's binary).
    marks.launch = rowsEv.t! - t0 - rowsEv.up;
  }
  if (rowsEv.cpu !== undefined) marks.cpu = rowsEv.cpu;
  return { rows: first.rows!, paintMs: first.t! - t0, rowsMs: rowsEv.t! - t0, constructedMs: started.t! - t0, marks };
}

interface Result {
  pods: number;
  /** The --compare build, launched alternately with this one. */
  before?: { firstRowsMs: number; firstPaintMs: number };
  /** Median start-up milestones of this build's launches (see Launch.marks). */
  marks: Record<string, number>;
  kubectlMs: number;
  kubectlRows: number;
  firstPaintMs: number;
  firstRowsMs: number;
  firstPaintRows: number;
  eventP50: number;
  eventP99: number;
  eventSamples: number;
  innerP50: number;
  innerP99: number;
  fps: number;
  achievedRate: number;
  keyP50: number;
  keyP99: number;
  keySamples: number;
  rssMb: number;
}

async function measure(pods: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-bench-'));
  const sim = await startSimServe(dir, pods);
  const cleanup: Array<() => void> = [];
  try {
    // kubectl first, cold caches each time; the median of three.
    const runs = [0, 1, 2].map((i) => kubectlGetPods(sim.kubeconfig, dir, i));
    const kubectlMs = median(runs.map((r) => r.ms));

    const home = join(dir, 'home');
    mkdirSync(home);
    // Several launches (the first one also warms the file cache, like kubectl's first run); median.
    // With --compare, the other build goes first in each round, so both see the same load.
    const launches: Launch[] = [];
    const launchesBefore: Launch[] = [];
    for (let run = 0; run < LAUNCHES; run++) {
      if (BIN_BEFORE) {
        launchesBefore.push(await launchOnce(BIN_BEFORE, sim.kubeconfig, home, join(dir, `trace-before-${run}.jsonl`)));
        await sleep(500);
      }
      launches.push(await launchOnce(BIN, sim.kubeconfig, home, join(dir, `trace-${run}.jsonl`)));
      await sleep(500);
    }
    const fmt = (ls: Launch[]) => ls.map((l) => `${l.constructedMs}/${l.rowsMs}/${l.paintMs}`).join(', ');
    console.log(`  launches (start→constructed / first rows / whole table): ${fmt(launches)} ms`);
    if (BIN_BEFORE) console.log(`  --compare build, same rounds: ${fmt(launchesBefore)} ms`);
    const firstPaintMs = median(launches.map((l) => l.paintMs));
    const firstRowsMs = median(launches.map((l) => l.rowsMs));
    const first = { rows: launches[0]!.rows };
    const marks: Record<string, number> = {};
    for (const k of new Set(launches.flatMap((l) => Object.keys(l.marks)))) marks[k] = median(launches.flatMap((l) => (l.marks[k] === undefined ? [] : [l.marks[k]!])));
    const before = BIN_BEFORE ? { firstRowsMs: median(launchesBefore.map((l) => l.rowsMs)), firstPaintMs: median(launchesBefore.map((l) => l.paintMs)) } : undefined;
    if (NO_LOAD) {
      return {
        pods, kubectlMs, kubectlRows: runs[0]!.lines, firstPaintMs, firstRowsMs, firstPaintRows: first.rows, before, marks,
        eventP50: NaN, eventP99: NaN, eventSamples: 0, achievedRate: NaN, innerP50: NaN, innerP99: NaN, fps: NaN, keyP50: NaN, keyP99: NaN, keySamples: 0, rssMb: NaN,
      };
    }

    // Phase 2: the load, against an API-only cluster of N pods in this process.
    const load = await startSim({ apiOnly: true, scenario: 'empty', pods, port: 0, host: '127.0.0.1' });
    const kc2 = join(dir, 'kubeconfig-load');
    load.writeKubeconfig(kc2);
    const podsGr = { group: '', resource: 'pods' };
    const mk = (ns: string, count: number, prefix: string) => {
      load.ctx.api.create({ group: '', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never);
      const made: Array<{ name: string; namespace: string }> = [];
      for (let i = 0; i < count; i++) {
        const name = `${prefix}-${String(i).padStart(3, '0')}`;
        load.ctx.api.create(podsGr, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } as never);
        made.push({ name, namespace: ns });
      }
      return made;
    };
    // 10 pods in a namespace that sorts first (on screen with -A) take the stamps; 200 the churn.
    const visible = mk('aaaa-bench', 10, 'stamp');
    const others = mk('zzzz-churn', 200, 'churn');
    const trace2 = join(dir, 'trace-load.jsonl');
    const tm2 = new Tmux();
    cleanup.push(() => tm2.kill(), () => void load.stop());
    // KAI_BENCH_PROF=<dir>: a CPU profile of the cockpit during the load phase.
    const prof = process.env.KAI_BENCH_PROF ? `--cpu-prof --cpu-prof-dir=${process.env.KAI_BENCH_PROF} ` : '';
    tm2.start(`${process.execPath} ${prof}${BIN} --kubeconfig ${kc2} -A; sleep 600`, { ...process.env, HOME: home, KAI_TUI_CONFIG_DIR: join(home, 'cfg'), KAI_TUI_BENCH: trace2, KAI_TUI_NO_WATCH: '1' });
    let ready = false;
    for (let i = 0; i < 1200 && !ready; i++) {
      await sleep(50);
      ready = readTrace(trace2).some((e) => e.ev === 'firstPaint');
    }
    if (!ready) throw new Error(`load phase: no first paint after 60 s; screen:\n${tm2.capture()}`);
    const pid = readTrace(trace2).find((e) => e.ev === 'start')!.pid!;
    await sleep(1500);

    const touch = (p: { name: string; namespace: string }, ann: Record<string, string>) => {
      const cur = load.ctx.store.get(podsGr, p.namespace, p.name);
      load.ctx.store.update(podsGr, { ...cur, metadata: { ...cur.metadata, annotations: { ...(cur.metadata.annotations ?? {}), ...ann } } });
    };
    let sent = 0;
    const loadStart = Date.now();
    const stopAt = loadStart + SECONDS * 1000;
    let keyDown = true;
    // Keys during the load, one every 150 ms.
    const keyTimer = setInterval(() => {
      tm2.keys(keyDown ? 'j' : 'k');
      keyDown = !keyDown;
    }, 150);
    while (Date.now() < stopAt) {
      const due = Math.floor(((Date.now() - loadStart) / 1000) * RATE);
      while (sent < due) {
        const i = sent++;
        const stamp = i % 20 === 0;
        if (stamp) touch(visible[(i / 20) % visible.length]!, { 'kai-tui.dev/bench-sent': String(Date.now()) });
        else touch(others[i % others.length]!, { 'bench/churn': String(i) });
      }
      await sleep(5);
    }
    clearInterval(keyTimer);
    const achievedRate = sent / ((Date.now() - loadStart) / 1000);
    await sleep(1500);
    const rssMb = rssOf(pid) / 2 ** 20;
    const trace = trace2;
    if (prof) {
      tm2.keys('C-c');
      await sleep(3000);
    }

    const events = readTrace(trace);
    const seen = events.filter((e) => e.ev === 'seen' && e.t! >= loadStart).map((e) => e.t! - e.sent!);
    const keys = events.filter((e) => e.ev === 'key' && e.recv! >= loadStart).map((e) => e.painted! - e.recv!);
    const frames = events.filter((e) => e.ev === 'frame' && e.t! >= loadStart);
    const inner = frames.map((e) => e.t! - e.dirty!);
    const work = frames.map((e) => e.t! - e.start!);
    const slow = frames.filter((e) => e.t! - e.start! > 50).map((e) => JSON.stringify(e.parts)).slice(0, 5);
    if (slow.length) console.log(`  slow frames (ms per part): ${slow.join(' ')}`);
    console.log(`  frames ${frames.length} (${(frames.length / SECONDS).toFixed(0)}/s): change→frame p50 ${pct(inner, 50)} p99 ${pct(inner, 99)} ms, paint work p50 ${pct(work, 50)} p99 ${pct(work, 99)} ms`);
    return {
      pods, kubectlMs, kubectlRows: runs[0]!.lines, firstPaintMs, firstRowsMs, firstPaintRows: first.rows!, before, marks,
      eventP50: pct(seen, 50), eventP99: pct(seen, 99), eventSamples: seen.length, achievedRate,
      innerP50: pct(inner, 50), innerP99: pct(inner, 99), fps: frames.length / SECONDS,
      keyP50: pct(keys, 50), keyP99: pct(keys, 99), keySamples: keys.length, rssMb,
    };
  } finally {
    for (const fn of cleanup) fn();
    sim.stop();
    await sleep(300);
    rmSync(dir, { recursive: true, force: true });
  }
}

const MARKS: Array<[string, string]> = [
  ['run', 'cockpit command running'], ['listStarted', 'pods LIST started'], ['listOnWire', 'on the wire'],
  ['firstPage', 'first page in'], ['uiLoaded', 'UI modules loaded'], ['constructed', 'cockpit built'], ['firstRows', 'first rows painted'],
];
function startupLine(m: Record<string, number>): string {
  const parts = MARKS.filter(([k]) => m[k] !== undefined).map(([k, what]) => `${what} ${m[k]}`);
  if (parts.length === 0) return '(no marks: a build without src/commands/startup-marks.ts)';
  return `${parts.join(' → ')} ms${m.cpu !== undefined ? `; CPU time by then ${m.cpu} ms` : ''}${m.launch !== undefined ? `; command entered → process started ${m.launch} ms` : ''}`;
}

async function main(): Promise<void> {
  const cmd = `node dist/test/bench/cockpit.js --pods ${SIZES.join(',')} --rate ${RATE} --seconds ${SECONDS}${LAUNCHES !== 3 ? ` --launches ${LAUNCHES}` : ''}${COMPARE ? ` --compare ${COMPARE}` : ''}${NO_LOAD ? ' --no-load' : ''}`;
  console.log(`$ ${cmd}`);
  const results: Result[] = [];
  for (const n of SIZES) {
    console.log(`\n${n} pods…`);
    const r = await measure(n);
    results.push(r);
    console.log(`  kubectl get pods -A: ${r.kubectlMs.toFixed(0)} ms (${r.kubectlRows} rows); cockpit: first rows on screen ${r.firstRowsMs} ms, whole table synced ${r.firstPaintMs} ms (${r.firstPaintRows} rows)`);
    if (r.before) console.log(`  --compare build: first rows ${r.before.firstRowsMs} ms, whole table ${r.before.firstPaintMs} ms`);
    console.log(`  start-up: ${startupLine(r.marks)}`);
    if (NO_LOAD) continue;
    console.log(`  event→screen p50 ${r.eventP50} ms, p99 ${r.eventP99} ms (${r.eventSamples} stamps, load ${r.achievedRate.toFixed(0)} patches/s)`);
    console.log(`  key→frame p50 ${r.keyP50} ms, p99 ${r.keyP99} ms (${r.keySamples} keys); RSS ${r.rssMb.toFixed(0)} MB`);
  }
  const load = (() => {
    try { return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '); } catch { return '?'; }
  })();
  const lines = [
    '# Cockpit benchmark',
    '',
    `Command: \`${cmd}\` (after \`npm run build\`).`,
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GB, load average ${load} at the end, Node ${process.version}. Shared with other work: figures vary between runs.`,
    '',
    'The cluster is `kai-tui sim serve --pods N` in a child process. The cockpit runs in tmux (160×50) with `-A` (all namespaces), so all N pods are in its table.',
    `Cockpit (median of ${LAUNCHES} launches): from entering the command in an open terminal (tmux, a shell waiting; earlier runs also counted tmux\'s server start, ~50–100 ms) to the first frame with pod rows (the first list page is painted while the rest loads) / to the first frame with the whole collection listed (trace written after \`screen.render()\`), checked on the tmux screen. kubectl: \`kubectl get pods -A\` with a cold discovery cache, median of 3 runs.${COMPARE ? ` "before": the build in ${COMPARE}, launched alternately with this one against the same cluster (same rounds, same load).` : ''}`,
    'Event → screen: a second cluster of N pods served in the bench process (API only: no controllers, so the API server is not the bottleneck) gets pod updates written into its store at the given rate; they reach the cockpit as watch events over HTTPS. Every 20th stamps a pod on screen with the write time; the cockpit traces the frame where the stamp first shows. "change→frame" is the cockpit\'s own part: from the first watch event that dirtied the screen to the end of that frame.',
    'Key → frame: `j`/`k` every 150 ms through tmux during the load; from the cockpit reading the key to the end of the frame that answers it.',
    '',
    `| pods | kubectl get pods -A | cockpit: first rows / whole table |${COMPARE ? ' before: first rows / whole table |' : ''} event→screen p50 / p99 | change→frame p50 / p99 | load, frames | key→frame p50 / p99 | RSS |`,
    `|---:|---:|---:|${COMPARE ? '---:|' : ''}---:|---:|---:|---:|---:|`,
    ...results.map((r) => NO_LOAD
      ? `| ${r.pods} | ${r.kubectlMs.toFixed(0)} ms | ${r.firstRowsMs} / ${r.firstPaintMs} ms |${r.before ? ` ${r.before.firstRowsMs} / ${r.before.firstPaintMs} ms |` : ''} – | – | – | – | – |`
      : `| ${r.pods} | ${r.kubectlMs.toFixed(0)} ms | ${r.firstRowsMs} / ${r.firstPaintMs} ms |${r.before ? ` ${r.before.firstRowsMs} / ${r.before.firstPaintMs} ms |` : ''} ${r.eventP50} / ${r.eventP99} ms (${r.eventSamples}) | ${r.innerP50} / ${r.innerP99} ms | ${r.achievedRate.toFixed(0)} updates/s, ${r.fps.toFixed(0)} fps | ${r.keyP50} / ${r.keyP99} ms (${r.keySamples}) | ${r.rssMb.toFixed(0)} MB |`),
    '',
    'Where the first rows\' time goes (this build, median of its launches; ms since the process started, from src/commands/startup-marks.ts):',
    '',
    ...results.map((r) => `- ${r.pods} pods: ${startupLine(r.marks)}`),
    '',
    'Targets (issue 3): first paint no slower than kubectl at 5k pods; event→screen p99 < 100 ms at 1,000 events/s; key→frame p99 < 30 ms; RSS < 250 MB at 20k pods.',
    '',
  ];
  // Earlier runs stay below the new one (the machine is shared: the spread is part of the truth).
  const previous = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '';
  const prevRun = /^Run: .*$/m.exec(previous)?.[0] ?? 'Run: (earlier)';
  const latest = previous.split('## Earlier runs')[0]!;
  const prevTable = latest.split('\n').filter((l) => l.startsWith('|')).join('\n');
  const prevEarlier = previous.includes('## Earlier runs') ? previous.slice(previous.indexOf('## Earlier runs') + '## Earlier runs'.length).trim().split(/\n(?=Run: )/).slice(0, 3) : [];
  lines.splice(3, 0, `Run: ${new Date().toISOString()}`);
  if (prevTable) {
    lines.push('## Earlier runs', '', ...[`${prevRun}\n\n${prevTable}`, ...prevEarlier].map((x) => `${x.trim()}\n`));
  }
  mkdirSync(join(REPORT, '..'), { recursive: true });
  writeFileSync(REPORT, lines.join('\n'));
  console.log(`\nwrote ${REPORT}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
