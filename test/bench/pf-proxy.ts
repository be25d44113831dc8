/**
 * Benchmark of the cockpit's metering port-forward proxy (one SPDY/3.1 connection to the API
 * server, a stream pair per connection, as kubectl) — with HTTP parsing on (the default) and off (bytes only) — against
 * `kubectl port-forward` (SPDY) on the same pod of the same embedded cluster, in the same run:
 *   - throughput of one connection for an N MB transfer,
 *   - 50 concurrent keep-alive connections sending small requests (the parser's worst case:
 *     a head to read for every few bytes of body),
 *   - per-connection latency: one client, a new connection per request, one after another
 *     (the set-up cost of a connection through the forward, nothing queued),
 *   - p50/p99 latency of 50 concurrent clients, a new connection per request,
 *   - that the proxy's counters match what the clients did (bytes, requests recorded).
 * Each measure is taken --rounds times, the three forwards taking turns, and the median kept
 * (the machine's other load moves single runs). Every party has its own process, as in real
 * use: the sim (test/bench/portforward.js --child: a pod "bulk" answering GET /bytes/N with N
 * bytes and anything else with 3 bytes), kubectl, each kai-tui proxy (this file with --proxy),
 * and the clients (this process).
 *
 *   npm run build && node dist/test/bench/pf-proxy.js [--mb 50] [--requests 500] [--rounds 3]
 *
 * Writes test/bench/reports/pf-proxy.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';
import { Transport } from '../../src/kube/transport.js';
import { MeteredForward } from '../../src/kube/portforward.js';
import { get, kubectlPortForward, latency, MB, pct, startBulkSim, type BulkSim } from './pf-support.js';

interface Figures { mbps: number; keptRps: number; keptP99: number; seqP50: number; seqMean: number; seqP99: number; concP50: number; concP99: number; concRps: number; errors: number }

/** One client, `n` requests one after another, a new connection for each. */
async function sequential(port: number, n: number): Promise<{ p50: number; mean: number; p99: number; errors: number }> {
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < n; i++) {
    try {
      const r = await get(port, '/ping', false);
      if (r.status !== 200) errors++;
      times.push(r.ms);
    } catch {
      errors++;
    }
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length), p99: pct(times, 99), errors };
}

type Phase = 'throughput' | 'kept' | 'sequential' | 'concurrent';
const PHASES: Phase[] = ['throughput', 'kept', 'sequential', 'concurrent'];

/** One measure on one forward; a pause first, so what the previous one left (sockets closing, GC) settles. */
async function measure(phase: Phase, port: number, mb: number, requests: number): Promise<Partial<Figures>> {
  await new Promise((r) => setTimeout(r, 300));
  await get(port, '/warmup');
  switch (phase) {
    case 'throughput': {
      const big = await get(port, `/bytes/${mb * MB}`);
      if (big.bytes !== mb * MB) throw new Error(`short transfer: ${big.bytes} bytes`);
      return { mbps: big.bytes / MB / (big.ms / 1000) };
    }
    case 'kept': {
      const kept = await latency(port, requests * 4, true);
      return { keptRps: kept.rps, keptP99: kept.p99, errors: kept.errors };
    }
    case 'sequential': {
      const seq = await sequential(port, Math.max(50, Math.round(requests / 5)));
      return { seqP50: seq.p50, seqMean: seq.mean, seqP99: seq.p99, errors: seq.errors };
    }
    case 'concurrent': {
      const conc = await latency(port, requests, false);
      return { concP50: conc.p50, concP99: conc.p99, concRps: conc.rps, errors: conc.errors };
    }
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function medianFigures(runs: Figures[]): Figures {
  const keys = Object.keys(runs[0]!) as Array<keyof Figures>;
  return Object.fromEntries(keys.map((k) => [k, k === 'errors' ? runs.reduce((n, r) => n + r.errors, 0) : median(runs.map((r) => r[k]))])) as unknown as Figures;
}

interface Proxy { proc: ChildProcess; port: number; stats(): Promise<MeteredForward['stats'] & { dialer?: { sessions: number; pairs: number; protocol: string; fallback?: string } }> }

/** In the child: one MeteredForward to pod/bulk; prints its port, then its stats for each line read. */
async function serveProxy(): Promise<void> {
  const [kubeconfig, mode] = process.argv.slice(process.argv.indexOf('--proxy') + 1);
  const loaded = loadKubeConfig({ kubeconfig }, {})!;
  const transport = new Transport(loaded.kc);
  const f = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name: 'bulk', remotePort: 8080, localPort: 0 }, { parseHttp: mode === 'http' });
  process.stdout.write(`${JSON.stringify({ port: await f.start() })}\n`);
  createInterface({ input: process.stdin }).on('line', () => {
    f.refresh();
    process.stdout.write(`${JSON.stringify({ ...f.stats, dialer: { ...f.dialer?.counts, protocol: f.dialer?.protocol, fallback: f.dialer?.fallback } })}\n`);
  });
  process.on('SIGTERM', () => { void f.stop().then(() => { transport.close(); process.exit(0); }); });
}

async function proxyProcess(kubeconfig: string, http: boolean): Promise<Proxy> {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--proxy', kubeconfig, http ? 'http' : 'bytes'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! });
  const next = () => new Promise<string>((resolve, reject) => { lines.once('line', resolve); proc.once('exit', (c) => reject(new Error(`proxy exited ${c}`))); });
  const { port } = JSON.parse(await next()) as { port: number };
  return { proc, port, stats: async () => { proc.stdin!.write('stats\n'); return JSON.parse(await next()); } };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, def: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) || def : def; };
  const mb = flag('--mb', 50);
  const requests = flag('--requests', 500);
  const rounds = flag('--rounds', 3);
  const command = `node dist/test/bench/pf-proxy.js --mb ${mb} --requests ${requests} --rounds ${rounds}`;
  console.log(`$ ${command}`);
  const loadStart = os.loadavg()[0]!;
  let bulk: BulkSim | undefined;
  let pf: ChildProcess | undefined;
  const proxies: Proxy[] = [];
  try {
    bulk = await startBulkSim();
    const forward = await kubectlPortForward(bulk);
    pf = forward.proc;
    const withHttp = await proxyProcess(bulk.kubeconfig, true);
    const bytesOnly = await proxyProcess(bulk.kubeconfig, false);
    proxies.push(withHttp, bytesOnly);
    const ports = { kubectl: forward.port, http: withHttp.port, bytes: bytesOnly.port };
    const runs: Record<keyof typeof ports, Figures[]> = { kubectl: [], http: [], bytes: [] };
    // One measure at a time across the three forwards, taking turns with a different one first
    // each round, so drift of the machine spreads evenly and no measure runs in another's wake.
    const parts: Record<keyof typeof ports, Array<Partial<Figures>>> = { kubectl: [], http: [], bytes: [] };
    for (const phase of PHASES) {
      for (let r = 0; r < rounds; r++) {
        const order = (['kubectl', 'http', 'bytes'] as const).map((_, i, a) => a[(i + r) % a.length]!);
        for (const name of order) {
          const got = await measure(phase, ports[name], mb, requests);
          parts[name][r] = { ...parts[name][r], ...got, errors: (parts[name][r]?.errors ?? 0) + (got.errors ?? 0) };
          console.log(`${phase} round ${r + 1} ${name}: ${JSON.stringify(got, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
        }
      }
    }
    for (const name of ['kubectl', 'http', 'bytes'] as const) runs[name].push(...(parts[name] as Figures[]));
    await new Promise((res) => setTimeout(res, 1200));
    const st = await withHttp.stats();
    const k = medianFigures(runs.kubectl), h = medianFigures(runs.http), b = medianFigures(runs.bytes);
    const perRound = 4 + requests * 4 + Math.max(50, Math.round(requests / 5)) + requests + 1;
    const ratio = (a: number, c: number) => `${(a / c).toFixed(2)}×`;
    // The same ratio taken within each round (the forwards measured one after another) and the
    // median of those: drift of the machine's load between rounds cancels out.
    const paired = (key: keyof Figures) => ratio(median(runs.http.map((r, i) => r[key] / runs.kubectl[i]![key])), 1);
    const rounds1 = (key: keyof Figures) => runs.http.map((r, i) => (r[key] / runs.kubectl[i]![key]).toFixed(2)).join(', ');

    const row = (name: string, r: Figures) =>
      `| ${name} | ${r.mbps.toFixed(1)} MB/s | ${r.keptRps.toFixed(0)} req/s, p99 ${r.keptP99.toFixed(1)} ms | p50 ${r.seqP50.toFixed(1)} ms, mean ${r.seqMean.toFixed(1)} ms, p99 ${r.seqP99.toFixed(1)} ms | p50 ${r.concP50.toFixed(1)} ms, p99 ${r.concP99.toFixed(1)} ms, ${r.concRps.toFixed(0)} req/s | ${r.errors} |`;
    const report = [
      '# Metering port-forward proxy (HTTP parsing on and off) vs kubectl port-forward',
      '',
      `Command: \`${command}\` (after \`npm run build\`), ${new Date().toISOString()}.`,
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, kubectl 1.32; ` +
        `load average at the start ${loadStart.toFixed(1)} (other work on the machine lowers the figures).`,
      '',
      'Same embedded cluster, same pod, same run; the sim, kubectl, each kai-tui proxy and the clients each',
      'in their own process. Both kubectl and the proxy speak SPDY/3.1 and keep one connection to the API',
      'server for all local connections, a stream pair each (kubectl 1.32 tunnels it in a WebSocket, the',
      'proxy upgrades a POST: src/kube/spdy/session.ts); the proxy counts every byte and, with HTTP',
      'parsing on, reads every request and answer.',
      `Medians of ${rounds} rounds per measure: one measure at a time, the three forwards taking turns (a different one first each round).`,
      '',
      `| Forward | One connection, ${mb} MB | 50 keep-alive connections, ${requests * 4} requests | Per-connection latency: one client, a new connection per request, ${Math.max(50, Math.round(requests / 5))} requests | 50 concurrent clients, a new connection each, ${requests} requests | errors |`,
      '|---|---|---|---|---|---|',
      row('kubectl port-forward', k),
      row('kai-tui proxy, HTTP parsing on', h),
      row('kai-tui proxy, bytes only', b),
      '',
      '| Ratio (kai-tui with HTTP parsing / kubectl) | of the medians | median of the rounds\' ratios (each round) |',
      '|---|---|---|',
      `| Throughput, one connection (target ≥ 0.9×) | ${ratio(h.mbps, k.mbps)} | ${paired('mbps')} (${rounds1('mbps')}) |`,
      `| Keep-alive requests per second | ${ratio(h.keptRps, k.keptRps)} | ${paired('keptRps')} (${rounds1('keptRps')}) |`,
      `| Per-connection latency, p50 (target ≤ 1.3×) | ${ratio(h.seqP50, k.seqP50)} (overhead ${(h.seqP50 - k.seqP50).toFixed(1)} ms a connection) | ${paired('seqP50')} (${rounds1('seqP50')}) |`,
      `| 50 concurrent new connections, p50 | ${ratio(h.concP50, k.concP50)} | ${paired('concP50')} (${rounds1('concP50')}) |`,
      `| HTTP parsing on / off: throughput, keep-alive req/s | ${ratio(h.mbps, b.mbps)}, ${ratio(h.keptRps, b.keptRps)} | |`,
      '',
      `Proxy counters (HTTP parsing on) after the run: ${st.total} connections over ${st.dialer?.protocol === 'spdy' ? `${st.dialer.sessions} SPDY connection(s) to the API server, ${st.dialer.pairs} stream pairs` : `WebSockets (${st.dialer?.fallback ?? 'SPDY off'})`}; ${st.closed} closed, ${st.reset} reset, ${st.timedOut} timed out, ` +
        `${st.errors} errors; ${st.http.requests} requests recorded of ${perRound * rounds} sent, status mix ${JSON.stringify(st.http.status)}, ` +
        `latency p50 ${st.http.latencyMs?.p50.toFixed(1)} ms / p99 ${st.http.latencyMs?.p99.toFixed(1)} ms as the proxy saw it.`,
      '',
    ].join('\n');
    fs.mkdirSync(join(process.cwd(), 'test/bench/reports'), { recursive: true });
    fs.writeFileSync(join(process.cwd(), 'test/bench/reports/pf-proxy.md'), report);
    console.log(report);
  } finally {
    pf?.kill();
    for (const p of proxies) p.proc.kill('SIGTERM');
    bulk?.proc.kill('SIGTERM');
  }
}

if (process.argv.includes('--proxy')) void serveProxy();
else main().catch((e) => {
  console.error(`pf-proxy bench failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
