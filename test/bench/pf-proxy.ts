/**
 * Benchmark of the cockpit's metering port-forward proxy (client-node WebSocket per
 * connection) against `kubectl port-forward` (SPDY) on the same pod of the same embedded
 * cluster, in the same run:
 *   - throughput of one connection for an N MB transfer,
 *   - p50/p99 latency of 50 concurrent clients, a new connection per request,
 *   - that the proxy's byte counters match what the client received.
 * The sim runs in a child process (test/bench/portforward.js --child: a pod "bulk" answering
 * GET /bytes/N with N bytes and /ping with 3 bytes).
 *
 *   npm run build && node dist/test/bench/pf-proxy.js [--mb 50] [--requests 500]
 *
 * Writes test/bench/reports/pf-proxy.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';
import { Transport } from '../../src/kube/transport.js';
import { MeteredForward } from '../../src/kube/portforward.js';

const MB = 1024 * 1024;

function get(port: number, path: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ ms: performance.now() - t0, bytes, status: res.statusCode ?? 0 }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function latency(port: number, total: number): Promise<{ p50: number; p99: number; errors: number; rps: number }> {
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < total) {
      next++;
      try {
        const r = await get(port, '/ping');
        if (r.status !== 200) errors++;
        times.push(r.ms);
      } catch {
        errors++;
      }
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p99: pct(times, 99), errors, rps: times.length / secs };
}

async function measure(port: number, mb: number, requests: number) {
  await get(port, '/warmup');
  const big = await get(port, `/bytes/${mb * MB}`);
  if (big.bytes !== mb * MB) throw new Error(`short transfer: ${big.bytes} bytes`);
  const lat = await latency(port, requests);
  return { mbps: big.bytes / MB / (big.ms / 1000), secs: big.ms / 1000, lat };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mb = Number(args[args.indexOf('--mb') + 1] || 50) || 50;
  const requests = Number(args[args.indexOf('--requests') + 1] || 500) || 500;
  const command = `node dist/test/bench/pf-proxy.js --mb ${mb} --requests ${requests}`;
  console.log(`$ ${command}`);
  const loadStart = os.loadavg()[0]!;
  const childScript = join(fileURLToPath(new URL('.', import.meta.url)), 'portforward.js');
  const sim = spawn(process.execPath, [childScript, '--child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pf: ChildProcess | undefined;
  let fwd: MeteredForward | undefined;
  let transport: Transport | undefined;
  try {
    const ready = await new Promise<{ kubeconfig: string; dir: string }>((resolve, reject) => {
      let buf = '';
      sim.stdout!.on('data', (d) => {
        buf += d;
        const i = buf.indexOf('\n');
        if (i >= 0) resolve(JSON.parse(buf.slice(0, i)));
      });
      sim.on('exit', (code) => reject(new Error(`sim exited ${code}`)));
    });
    // kubectl port-forward
    pf = spawn('kubectl', ['--kubeconfig', ready.kubeconfig, 'port-forward', 'pod/bulk', ':8080'], {
      env: { ...process.env, KUBECACHEDIR: join(ready.dir, 'cache') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kport = await new Promise<number>((resolve, reject) => {
      let out = '';
      pf!.stdout!.on('data', (d) => {
        out += d;
        const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      pf!.on('exit', (code) => reject(new Error(`kubectl port-forward exited ${code}`)));
    });
    const k = await measure(kport, mb, requests);

    // kai-tui's metering proxy
    const loaded = loadKubeConfig({ kubeconfig: ready.kubeconfig }, {})!;
    transport = new Transport(loaded.kc);
    fwd = new MeteredForward(loaded.kc, transport, { namespace: 'default', kind: 'pod', name: 'bulk', remotePort: 8080, localPort: 0 });
    const pport = await fwd.start();
    const p = await measure(pport, mb, requests);
    await new Promise((r) => setTimeout(r, 300));
    const st = fwd.stats;

    const row = (name: string, r: typeof k) =>
      `| ${name} | ${r.mbps.toFixed(1)} MB/s (${r.secs.toFixed(2)} s) | p50 ${r.lat.p50.toFixed(1)} ms, p99 ${r.lat.p99.toFixed(1)} ms, ${r.lat.rps.toFixed(0)} req/s, ${r.lat.errors} errors |`;
    const report = [
      '# Metering port-forward proxy vs kubectl port-forward',
      '',
      `Command: \`${command}\` (after \`npm run build\`), ${new Date().toISOString()}.`,
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, kubectl 1.32; ` +
        `load average at the start ${loadStart.toFixed(1)} (other work on the machine lowers the figures).`,
      '',
      'Same embedded cluster (its own process), same pod. kubectl speaks SPDY and keeps one',
      'connection to the API server for all local connections; the proxy opens one client-node',
      'WebSocket (v4.channel.k8s.io) per local connection and counts every byte.',
      '',
      `| Forward | One connection, ${mb} MB | 50 concurrent clients, ${requests} requests, a new connection each |`,
      '|---|---|---|',
      row('kubectl port-forward', k),
      row('kai-tui metering proxy', p),
      '',
      `Proxy counters after the run: in ${st.bytesIn} B, out ${st.bytesOut} B, ${st.total} connections, ${st.errors} errors, ` +
        `mean time to first byte ${st.meanLatencyMs?.toFixed(1)} ms.`,
      '',
    ].join('\n');
    fs.mkdirSync(join(process.cwd(), 'test/bench/reports'), { recursive: true });
    fs.writeFileSync(join(process.cwd(), 'test/bench/reports/pf-proxy.md'), report);
    console.log(report);
  } finally {
    pf?.kill();
    await fwd?.stop();
    transport?.close();
    sim.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(`pf-proxy bench failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
