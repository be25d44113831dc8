/**
 * Shared by the port-forward benchmarks (portforward.ts, pf-proxy.ts): the embedded cluster in a
 * child process with a pod "bulk" (GET /bytes/N → N bytes, anything else → 3 bytes), a real
 * `kubectl port-forward` to it, and the HTTP load that measures a forward.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MB = 1024 * 1024;

export interface BulkSim { proc: ChildProcess; kubeconfig: string; dir: string }

/** Runs in the child process (`node dist/test/bench/portforward.js --child`). */
export async function serveBulkSim(): Promise<void> {
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

/** Starts the bulk sim in its own process, so the client load does not share its event loop. */
export async function startBulkSim(): Promise<BulkSim> {
  const script = join(fileURLToPath(new URL('.', import.meta.url)), 'portforward.js');
  const proc = spawn(process.execPath, [script, '--child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ kubeconfig: string; dir: string }>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(JSON.parse(buf.slice(0, i)));
    });
    proc.on('exit', (code) => reject(new Error(`sim exited ${code}`)));
  });
  return { proc, ...ready };
}

/** The real `kubectl port-forward pod/bulk :8080`; resolves with the local port it chose. */
export async function kubectlPortForward(sim: BulkSim): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn('kubectl', ['--kubeconfig', sim.kubeconfig, 'port-forward', 'pod/bulk', ':8080'], {
    env: { ...process.env, KUBECACHEDIR: join(sim.dir, 'cache') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`kubectl port-forward exited ${code}`)));
  });
  return { proc, port };
}

export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function get(port: number, path: string, agent: http.Agent | false = false): Promise<{ ms: number; bytes: number; status: number }> {
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

/** 50 concurrent clients sending `total` GET /ping requests, kept alive or a connection each. */
export async function latency(port: number, total: number, keepAlive = false): Promise<{ p50: number; p99: number; errors: number; rps: number }> {
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
