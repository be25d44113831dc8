/**
 * The cockpit's speed, measured on the real binary in a real terminal (tmux), against
 * `kai-tui sim serve --pods N` in a child process:
 *
 *   1. launch → first painted pod table (all namespaces), from the KAI_TUI_BENCH trace the
 *      cockpit writes after each frame, checked on the tmux screen; compared in the same run
 *      with `kubectl get pods -A` (cold discovery cache) on the same cluster;
 *   2. event → screen: while PATCH requests stream into the API server at --rate per second
 *      (default 1,000), some of them stamp pods that are on screen with the send time; the
 *      cockpit traces the frame in which each stamp first appears;
 *   3. key → frame: `j`/`k` sent through tmux during that load; the trace holds when each key
 *      was read and when the frame that answered it was painted;
 *   4. RSS of the cockpit process after the load.
 *
 *   npm run build && node dist/test/bench/cockpit.js [--pods 1000,5000,20000] [--rate 1000] [--seconds 8]
 *
 * Prints the figures and writes test/bench/reports/cockpit.md.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const BIN = fileURLToPath(new URL('../../../bin/kai-tui', import.meta.url));
const REPORT = fileURLToPath(new URL('../../../test/bench/reports/cockpit.md', import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const SIZES = arg('pods', '1000,5000,20000').split(',').map(Number);
const RATE = Number(arg('rate', '1000'));
const SECONDS = Number(arg('seconds', '8'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);

interface Trace { ev: string; t?: number; dirty?: number; start?: number; pid?: number; rows?: number; sent?: number; recv?: number; painted?: number }
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
  }
}

/** A tiny API client for the load: token and CA from the kubeconfig, keep-alive HTTPS. */
function apiClient(kubeconfig: string) {
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>; users: Array<{ user: { token: string } }> };
  const server = new URL(kc.clusters[0]!.cluster.server);
  const ca = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64');
  const token = kc.users[0]!.user.token;
  const agent = new Agent({ keepAlive: true, maxSockets: 32, ca });
  const call = (method: string, path: string, body?: unknown, type = 'application/json'): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request({ host: server.hostname, port: server.port, path, method, agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(data ? { 'content-type': type, 'content-length': data.length } : {}) } }, (res) => {
        let b = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (b += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
      });
      req.on('error', reject);
      req.end(data);
    });
  return { call, close: () => agent.destroy() };
}

interface Result {
  pods: number;
  kubectlMs: number;
  kubectlRows: number;
  firstPaintMs: number;
  firstPaintRows: number;
  eventP50: number;
  eventP99: number;
  eventSamples: number;
  achievedRate: number;
  keyP50: number;
  keyP99: number;
  keySamples: number;
  rssMb: number;
}

async function measure(pods: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-bench-'));
  const sim = await startSimServe(dir, pods);
  const tm = new Tmux();
  try {
    // kubectl first, cold caches each time; the median of three.
    const runs = [0, 1, 2].map((i) => kubectlGetPods(sim.kubeconfig, dir, i));
    const kubectlMs = median(runs.map((r) => r.ms));

    const trace = join(dir, 'trace.jsonl');
    const home = join(dir, 'home');
    mkdirSync(home);
    const cmd = `${process.execPath} ${BIN} --kubeconfig ${sim.kubeconfig} -A; sleep 600`;
    const t0 = Date.now();
    tm.start(cmd, { ...process.env, HOME: home, KAI_TUI_CONFIG_DIR: join(home, 'cfg'), KAI_TUI_BENCH: trace, KAI_TUI_NO_WATCH: '1' });
    let first: Trace | undefined;
    for (let i = 0; i < 1200 && !first; i++) {
      await sleep(50);
      first = readTrace(trace).find((e) => e.ev === 'firstPaint');
    }
    if (!first) throw new Error(`no first paint after 60 s; screen:\n${tm.capture()}`);
    const firstPaintMs = first.t! - t0;
    const started = readTrace(trace).find((e) => e.ev === 'start')!;
    console.log(`  (process start → cockpit constructed: ${started.t! - t0} ms; → first paint: ${first.t! - started.t!} ms)`);
    const pid = readTrace(trace).find((e) => e.ev === 'start')!.pid!;
    // The screen agrees: a pod row is there.
    const screen = tm.capture();
    if (!/\d+\/\d+\s+Running/.test(screen)) throw new Error(`trace says painted but the screen has no pod rows:\n${screen}`);
    await sleep(1000);

    // Pods of our own: 10 in a namespace that sorts first (on screen with -A) that carry the
    // stamps, and 200 that take the churn. (Pods made by --pods are only listed, not patched.)
    const api = apiClient(sim.kubeconfig);
    const mk = async (ns: string, count: number, prefix: string) => {
      await api.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      const made: Array<{ name: string; namespace: string }> = [];
      for (let i = 0; i < count; i++) {
        const name = `${prefix}-${String(i).padStart(3, '0')}`;
        const r = await api.call('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } });
        if (r.status >= 300) throw new Error(`cannot create pod ${ns}/${name}: ${r.body.slice(0, 200)}`);
        made.push({ name, namespace: ns });
      }
      return made;
    };
    const visible = await mk('aaaa-bench', 10, 'stamp');
    const others = await mk('zzzz-churn', 200, 'churn');
    await sleep(3000);

    // Load: RATE patches per second for SECONDS; every 20th stamps a visible pod.
    const patch = (p: { name: string; namespace: string }, ann: Record<string, string>) =>
      api.call('PATCH', `/api/v1/namespaces/${p.namespace}/pods/${p.name}`, { metadata: { annotations: ann } }, 'application/merge-patch+json');
    let sent = 0;
    let failed = 0;
    const rtts: number[] = [];
    const inflight = new Set<Promise<unknown>>();
    const loadStart = Date.now();
    const stopAt = loadStart + SECONDS * 1000;
    let keyTimer: NodeJS.Timeout | undefined;
    let keyDown = true;
    // Keys during the load, one every 150 ms.
    keyTimer = setInterval(() => {
      tm.keys(keyDown ? 'j' : 'k');
      keyDown = !keyDown;
    }, 150);
    while (Date.now() < stopAt) {
      const due = Math.floor(((Date.now() - loadStart) / 1000) * RATE);
      while (sent < due && inflight.size < 64) {
        const i = sent++;
        const stamp = i % 20 === 0;
        const target = stamp ? visible[(i / 20) % visible.length]! : others[i % others.length]!;
        const ann: Record<string, string> = stamp ? { 'kai-tui.dev/bench-sent': String(Date.now()) } : { 'bench/churn': String(i) };
        const sentAt = Date.now();
        const p = patch(target, ann).then((r) => {
          if (stamp) rtts.push(Date.now() - sentAt); if (r.status >= 300 && failed++ === 0) console.log(`  first failed patch: ${r.status} ${r.body.slice(0, 200)}`); }, (e: Error) => { if (failed++ === 0) console.log(`  first failed patch: ${e.message}`); });
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
      }
      await sleep(2);
    }
    clearInterval(keyTimer);
    await Promise.all(inflight);
    const achievedRate = sent / ((Date.now() - loadStart) / 1000);
    await sleep(1500);
    const rssMb = rssOf(pid) / 2 ** 20;
    api.close();

    const events = readTrace(trace);
    const seen = events.filter((e) => e.ev === 'seen' && e.t! >= loadStart).map((e) => e.t! - e.sent!);
    const keys = events.filter((e) => e.ev === 'key' && e.recv! >= loadStart).map((e) => e.painted! - e.recv!);
    if (failed) console.log(`  (${failed} patches failed)`);
    const frames = events.filter((e) => e.ev === 'frame' && e.t! >= loadStart);
    const inner = frames.map((e) => e.t! - e.dirty!);
    const work = frames.map((e) => e.t! - e.start!);
    console.log(`  PATCH round trip of stamps p50 ${pct(rtts, 50)} ms p99 ${pct(rtts, 99)} ms; frames ${frames.length} (${(frames.length / SECONDS).toFixed(0)}/s): change→frame p50 ${pct(inner, 50)} p99 ${pct(inner, 99)} ms, paint work p50 ${pct(work, 50)} p99 ${pct(work, 99)} ms`);
    return {
      pods, kubectlMs, kubectlRows: runs[0]!.lines, firstPaintMs, firstPaintRows: first.rows!,
      eventP50: pct(seen, 50), eventP99: pct(seen, 99), eventSamples: seen.length, achievedRate,
      keyP50: pct(keys, 50), keyP99: pct(keys, 99), keySamples: keys.length, rssMb,
    };
  } finally {
    tm.kill();
    sim.stop();
    await sleep(300);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const cmd = `node dist/test/bench/cockpit.js --pods ${SIZES.join(',')} --rate ${RATE} --seconds ${SECONDS}`;
  console.log(`$ ${cmd}`);
  const results: Result[] = [];
  for (const n of SIZES) {
    console.log(`\n${n} pods…`);
    const r = await measure(n);
    results.push(r);
    console.log(`  kubectl get pods -A: ${r.kubectlMs.toFixed(0)} ms (${r.kubectlRows} rows); cockpit first paint: ${r.firstPaintMs} ms (${r.firstPaintRows} rows)`);
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
    'First paint: from starting the process to the first frame with pod rows and the collection synced (trace written after `screen.render()`), checked on the tmux screen. kubectl: `kubectl get pods -A` with a cold discovery cache, median of 3 runs.',
    'Event → screen: merge-patches sent over HTTPS at the given rate; every 20th stamps a pod on screen with its send time; the cockpit traces the frame where the stamp first shows.',
    'Key → frame: `j`/`k` every 150 ms through tmux during the load; from the cockpit reading the key to the end of the frame that answers it.',
    '',
    '| pods | kubectl get pods -A | cockpit first paint | event→screen p50 / p99 | load achieved | key→frame p50 / p99 | RSS after load |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.pods} | ${r.kubectlMs.toFixed(0)} ms | ${r.firstPaintMs} ms | ${r.eventP50} / ${r.eventP99} ms (${r.eventSamples}) | ${r.achievedRate.toFixed(0)}/s | ${r.keyP50} / ${r.keyP99} ms (${r.keySamples}) | ${r.rssMb.toFixed(0)} MB |`),
    '',
    'Targets (issue 3): first paint no slower than kubectl at 5k pods; event→screen p99 < 100 ms at 1,000 events/s; key→frame p99 < 30 ms; RSS < 250 MB at 20k pods.',
    '',
  ];
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
