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
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';
import { Transport } from '../../src/kube/transport.js';
import { MeteredForward } from '../../src/kube/portforward.js';
import { get, kubectlPortForward, latency, MB, startBulkSim, type BulkSim } from './pf-support.js';

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
  let bulk: BulkSim | undefined;
  let pf: ChildProcess | undefined;
  let fwd: MeteredForward | undefined;
  let transport: Transport | undefined;
  try {
    bulk = await startBulkSim();
    const ready = bulk;
    // kubectl port-forward
    const forward = await kubectlPortForward(bulk);
    pf = forward.proc;
    const kport = forward.port;
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
    bulk?.proc.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(`pf-proxy bench failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
