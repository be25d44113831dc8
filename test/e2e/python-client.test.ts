/**
 * The official Python client (Debian's python3-kubernetes, installed by .ci/run) against the
 * embedded cluster: watch=True streams, remainingItemCount is unset with a selector, exec with
 * stdin (sent as WebSocket text frames) returns the exit code.
 */
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestSim } from '../support/sim.js';

const PY = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../test/e2e/python/client.py', import.meta.url));
const available = (() => { try { execFileSync(PY, ['-c', 'import kubernetes'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const maybe = available ? test : test.skip;

/** Runs the client in a child process (the embedded cluster serves from this one, so never spawnSync). */
function py(kubeconfig: string, ns: string, ...checks: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PY, [SCRIPT, kubeconfig, ns, ...checks], { timeout: 60_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`python client failed (${code}): ${err.slice(-1500)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

maybe('watch=True streams events; remainingItemCount is unset with a selector', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty' });
  await c.kubectl(['create', 'namespace', 'py']);
  for (const n of ['a', 'b', 'c']) await c.kubectl(['create', 'configmap', n, '-n', 'py', '--from-literal=k=v']);
  await c.kubectl(['label', 'configmap', 'a', 'b', 'team=x', '-n', 'py']);
  const r = await py(c.kubeconfig, 'py', 'watch', 'remaining');
  t.deepEqual(r.watch, [['ADDED', 'a'], ['ADDED', 'b']]);
  t.deepEqual(r.remaining, [null, 3, true]); // 4 ConfigMaps with kube-root-ca.crt
});

maybe('exec with stdin returns the output and the exit code', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  await c.kubectl(['create', 'namespace', 'py']);
  await c.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '8', memory: '16Gi', pods: '100' }, allocatable: { cpu: '8', memory: '16Gi', pods: '100' } } }) });
  await c.kubectl(['run', 'box', '-n', 'py', '--image', 'busybox:1.36', '--', 'sleep', '3600']);
  await c.kubectl(['wait', '--for=condition=Ready', 'pod/box', '-n', 'py', '--timeout=30s']);
  const r = await py(c.kubeconfig, 'py', 'exec');
  t.deepEqual(r.exec, ['got:hello\n', 3]);
});
