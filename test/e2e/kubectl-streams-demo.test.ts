/**
 * The demo cluster as `kai-tui sim serve` runs it (its own process), seen through the real
 * kubectl: the crash-looping jokes-api's --previous logs, moving `top` numbers (the OOM pod's
 * memory climbs), the jokes service's real HTTP 500s through port-forward, and curl from a pod.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { kubectl } from '../support/sim.js';
import { httpGet } from './kubectl-streams-helpers.js';

async function serve(t: import('ava').ExecutionContext) {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'kai-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, ['bin/kai-tui', 'sim', 'serve', '--kubeconfig', kubeconfig, '--scenario', 'demo', '--time-scale', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (/^ready /m.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`sim serve exited ${code}`)));
  });
  const k = (args: string[], timeoutMs?: number) => kubectl(args, { kubeconfig, cacheDir: join(dir, 'cache'), timeoutMs });
  return { dir, kubeconfig, k };
}

async function poll<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
}

test('demo cluster through kai-tui sim serve: --previous, top, port-forward to jokes, curl between services', async (t) => {
  const { k, kubeconfig, dir } = await serve(t);

  const pods = await poll(() => k(['get', 'pods', '-n', 'jokes', '-l', 'app=jokes-api', '-o', 'jsonpath={.items[0].metadata.name} {.items[0].status.containerStatuses[0].restartCount}']), (r) => Number(r.stdout.split(' ')[1]) >= 1);
  const [apiPod] = pods.stdout.split(' ');
  const prev = await k(['logs', '-n', 'jokes', apiPod!, '--previous']);
  t.is(prev.code, 0, prev.stderr);
  t.regex(prev.stdout, /goroutine|panic|Traceback|Exception/);

  // The OOM pod restarts now and then: wait until it is running to read its memory.
  const mem = (s: string) => Number(/jokes-cache-\S+\s+\S+\s+\d+m\s+(\d+)Mi/.exec(s)?.[1] ?? 0);
  const top1 = await poll(() => k(['top', 'pods', '-A', '--containers']), (r) => mem(r.stdout) > 0);
  t.is(top1.code, 0, top1.stderr);
  t.regex(top1.stdout, /jokes\s+jokes-cache-\S+\s+\S+\s+\d+m\s+\d+Mi/);
  const top2 = await poll(() => k(['top', 'pods', '-A', '--containers']), (r) => mem(r.stdout) > 0 && mem(r.stdout) !== mem(top1.stdout));
  t.not(mem(top2.stdout), mem(top1.stdout), 'the OOM pod\'s memory moves');
  const nodes = await k(['top', 'nodes']);
  t.regex(nodes.stdout, /kai-node-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);

  const pf = spawn('kubectl', ['--kubeconfig', kubeconfig, '-n', 'jokes', 'port-forward', 'svc/jokes', ':80'], { env: { ...process.env, KUBECACHEDIR: join(dir, 'cache') } });
  t.teardown(() => { pf.kill(); });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    pf.stdout.on('data', (d) => {
      out += d;
      const m = /127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    pf.on('exit', (code) => reject(new Error(`port-forward exited ${code}`)));
  });
  const answers = await Promise.all(Array.from({ length: 40 }, () => httpGet(port, '/joke')));
  t.true(answers.some((a) => a.status === 200 && /"joke"/.test(a.body)));
  t.true(answers.some((a) => a.status === 500), 'the jokes service answers some requests with HTTP 500');

  const front = await k(['get', 'pods', '-n', 'shop', '-l', 'app=frontend', '-o', 'jsonpath={.items[0].metadata.name}']);
  const curl = await k(['exec', '-n', 'shop', front.stdout, '--', 'sh', '-c', 'curl -s http://api:8080/api/products']);
  t.is(curl.code, 0, curl.stderr);
  t.regex(curl.stdout, /"items"/);
});
