/**
 * Test helpers for the embedded cluster. The whole API:
 *
 *   const c = await startTestSim(t, { scenario: 'empty' });   // in-process sim on 127.0.0.1:0
 *   c.sim          → RunningSim (url, token, ctx with store/api, requestLog, stop)
 *   c.kubeconfig   → path of a temp kubeconfig file for it (context "kai-demo")
 *   c.cacheDir     → a fresh KUBECACHEDIR (kubectl caches discovery for 6 h otherwise)
 *   c.dir          → the test's temp dir
 *   await c.kubectl(['get', 'pods', '-A'], { input?, timeoutMs? }) → { stdout, stderr, code }
 *
 * Everything is torn down by t.teardown. `kubectl(args, opts)` is also exported on its own
 * for a kubeconfig of your choice. The real kubectl on PATH is used (a dispatcher that picks
 * kubectl.1.32 after asking /version).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { startSim, type RunningSim, type SimOptions } from '../../src/sim/index.js';

export interface KubectlResult { stdout: string; stderr: string; code: number }
export interface KubectlOptions { kubeconfig: string; cacheDir: string; input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; /** Another kubectl binary (the version matrix); default: `kubectl` on PATH. */ bin?: string }

/** Runs the real kubectl with --kubeconfig and KUBECACHEDIR; kills it after timeoutMs (default 30 s). */
export function kubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = spawn(opts.bin ?? 'kubectl', ['--kubeconfig', opts.kubeconfig, ...args], {
      env: { ...process.env, ...opts.env, KUBECACHEDIR: opts.cacheDir, KUBECONFIG: opts.kubeconfig },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[kubectl killed after ${opts.timeoutMs ?? 30_000} ms]`;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ stdout, stderr: `${stderr}${e.message}`, code: 127 });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? 137 });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export interface TestSim {
  sim: RunningSim;
  kubeconfig: string;
  cacheDir: string;
  dir: string;
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
}

export async function startTestSim(t: ExecutionContext, opts: SimOptions = {}): Promise<TestSim> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  const sim = await startSim({ scenario: 'empty', ...opts, port: 0, host: '127.0.0.1' });
  const kubeconfig = join(dir, 'kubeconfig');
  const cacheDir = join(dir, 'kube-cache');
  sim.writeKubeconfig(kubeconfig);
  t.teardown(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    sim, kubeconfig, cacheDir, dir,
    kubectl: (args, o = {}) => kubectl(args, { kubeconfig, cacheDir, ...o }),
  };
}
