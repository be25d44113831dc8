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
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';

const MB = 1024 * 1024;

async function child(): Promise<void> {
  const { startSim } = await import('../../src/sim/index.js');
  const sim = await startSim({ scenario: 'empty', timeScale: 10 });
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'kai-'));
  const kubeconfig = join(dir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const bulk = http.createServer((req, res) => {
    const m = /^\/bytes\/(\d+)$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 3 });
      res.end('ok\n');
      return;
    }
    let left = Number(m[1]);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': left });
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((r) => bulk.listen(0, '127.0.0.1', r));
  const bulkPort = (bulk.address() as import('node:net').AddressInfo).port;
  const rt = sim.ctx.runtime!;
  const orig = rt.portFor.bind(rt);
  // The bench pod's container port is served by this process's bulk server.
  rt.portFor = (ns, pod, port) => (ns === 'default' && pod === 'bulk' && port === 8080 ? bulkPort : orig(ns, pod, port));
  sim.ctx.api.create({ group: '', resource: 'pods' }, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bulk', namespace: 'default' },
    spec: { containers: [{ name: 'bulk', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
  });
  for (let i = 0; i < 200; i++) {
    const p = sim.ctx.api.get({ group: '', resource: 'pods' }, 'default', 'bulk');
    if (p?.status?.phase === 'Running') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write(`${JSON.stringify({ kubeconfig, dir })}\n`);
  process.on('SIGTERM', async () => {
    bulk.close();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function get(port: number, path: string, agent: http.Agent | false): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ ms: performance.now() - t0, bytes, status: res.statusCode ?? 0 }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function latency(port: number, total: number, keepAlive: boolean): Promise<{ p50: number; p99: number; errors: number; rps: number }> {
  const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: 50 }) : false;
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < total) {
      next++;
      try {
        const r = await get(port, '/ping', agent);
        if (r.status !== 200) errors++;
        times.push(r.ms);
      } catch {
        errors++;
      }
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  if (agent) agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p99: pct(times, 99), errors, rps: times.length / secs };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mb = Number(args[args.indexOf('--mb') + 1] || 100) || 100;
  const requests = Number(args[args.indexOf('--requests') + 1] || 2000) || 2000;
  const command = `node dist/test/bench/portforward.js --mb ${mb} --requests ${requests}`;
  console.log(`$ ${command}`);
  const loadStart = os.loadavg()[0]!;
  const sim = spawn(process.execPath, [process.argv[1]!, '--child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ kubeconfig: string; dir: string }>((resolve, reject) => {
    let buf = '';
    sim.stdout!.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(JSON.parse(buf.slice(0, i)));
    });
    sim.on('exit', (code) => reject(new Error(`sim exited ${code}`)));
  });
  let pf: ChildProcess | undefined;
  try {
    const rssIdle = rssMb(sim.pid!);
    pf = spawn('kubectl', ['--kubeconfig', ready.kubeconfig, 'port-forward', 'pod/bulk', ':8080'], {
      env: { ...process.env, KUBECACHEDIR: join(ready.dir, 'cache') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      pf!.stdout!.on('data', (d) => {
        out += d;
        const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      pf!.on('exit', (code) => reject(new Error(`kubectl port-forward exited ${code}`)));
    });
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

if (process.argv.includes('--child')) void child();
else main().catch((e) => {
  console.error(`portforward bench failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
