/**
 * Benchmark of `kubectl port-forward` through the embedded cluster:
 *   - throughput of one forward for a 100 MB transfer (MB/s),
 *   - p50/p99 request latency with 50 concurrent connections (kept alive, and one per request),
 *   - the server's RSS while streaming.
 * The sim runs in a child process (this file with --child) so the client load does not share
 * its event loop; its pod "bulk" answers GET /bytes/N with N bytes from a loopback server.
 *
 *   npm run build && node dist/test/bench/portforward.js [--mb 100] [--requests 2000]
 *
 * Writes test/bench/reports/portforward.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { get, kubectlPortForward, latency, MB, serveBulkSim, startBulkSim } from './pf-support.js';
import type { ChildProcess } from 'node:child_process';

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mb = Number(args[args.indexOf('--mb') + 1] || 100) || 100;
  const requests = Number(args[args.indexOf('--requests') + 1] || 2000) || 2000;
  const command = `node dist/test/bench/portforward.js --mb ${mb} --requests ${requests}`;
  console.log(`$ ${command}`);
  const loadStart = os.loadavg()[0]!;
  const bulk = await startBulkSim();
  const sim = bulk.proc;
  let pf: ChildProcess | undefined;
  try {
    const rssIdle = rssMb(sim.pid!);
    const forward = await kubectlPortForward(bulk);
    pf = forward.proc;
    const port = forward.port;
    await get(port, '/warmup', false);

    let rssPeak = 0;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMb(sim.pid!)); }, 100);
    const big = await get(port, `/bytes/${mb * MB}`, false);
    clearInterval(sampler);
    const mbps = big.bytes / MB / (big.ms / 1000);
    if (big.bytes !== mb * MB) throw new Error(`short transfer: ${big.bytes} bytes`);

    const kept = await latency(port, requests, true);
    const fresh = await latency(port, Math.min(requests, 1000), false);
    const rssAfter = rssMb(sim.pid!);

    const rows = [
      `| Throughput, one forward, ${mb} MB | ${mbps.toFixed(1)} MB/s (${(big.ms / 1000).toFixed(2)} s) |`,
      `| Latency, 50 concurrent keep-alive connections, ${requests} requests | p50 ${kept.p50.toFixed(1)} ms, p99 ${kept.p99.toFixed(1)} ms, ${kept.rps.toFixed(0)} req/s, ${kept.errors} errors |`,
      `| Latency, 50 concurrent, a new connection per request, ${Math.min(requests, 1000)} requests | p50 ${fresh.p50.toFixed(1)} ms, p99 ${fresh.p99.toFixed(1)} ms, ${fresh.rps.toFixed(0)} req/s, ${fresh.errors} errors |`,
      `| Server RSS: idle / peak while streaming / after | ${rssIdle.toFixed(0)} / ${rssPeak.toFixed(0)} / ${rssAfter.toFixed(0)} MB |`,
    ];
    const report = [
      '# Port-forward benchmark',
      '',
      `Command: \`${command}\` (after \`npm run build\`), ${new Date().toISOString()}.`,
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, kubectl 1.32 (real binary); ` +
        `load average at the start ${loadStart.toFixed(1)} (other work on the machine lowers the figures).`,
      '',
      'The embedded cluster runs in its own process; `kubectl port-forward pod/bulk :8080` relays',
      "to a loopback server answering `GET /bytes/N` with N bytes and `/ping` with 3 bytes. kubectl",
      'speaks SPDY/3.1 inside a WebSocket; each local connection is a pair of SPDY streams.',
      '',
      '| Measure | Result |',
      '|---|---|',
      ...rows,
      '',
    ].join('\n');
    fs.mkdirSync(join(process.cwd(), 'test/bench/reports'), { recursive: true });
    fs.writeFileSync(join(process.cwd(), 'test/bench/reports/portforward.md'), report);
    console.log(report);
  } finally {
    pf?.kill();
    sim.kill('SIGTERM');
  }
}

if (process.argv.includes('--child')) void serveBulkSim();
else main().catch((e) => {
  console.error(`portforward bench failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
