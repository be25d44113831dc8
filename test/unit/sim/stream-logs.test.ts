import test from 'ava';
import { startHarness, type Harness } from './stream-harness.js';

const key = { namespace: 'default', pod: 'app', container: 'app' };

async function withLogs(t: import('ava').ExecutionContext): Promise<Harness> {
  const h = await startHarness(t);
  h.addPod('app');
  const old = new Date(Date.now() - 3_600_000);
  h.runtime.current.set('default/app/app', [
    { time: old, line: 'boot line' },
    ...Array.from({ length: 5 }, (_, i) => ({ time: new Date(), line: `line ${i + 1}` })),
  ]);
  h.runtime.previous.set('default/app/app', [{ time: old, line: 'panic: previous instance died' }]);
  return h;
}

test('kubectl logs with --tail, --since, --timestamps, --limit-bytes, --previous', async (t) => {
  const h = await withLogs(t);
  t.is((await h.kubectl(['logs', 'app'])).stdout, 'boot line\nline 1\nline 2\nline 3\nline 4\nline 5\n');
  t.is((await h.kubectl(['logs', 'app', '--tail=2'])).stdout, 'line 4\nline 5\n');
  t.is((await h.kubectl(['logs', 'app', '--since=10m'])).stdout.split('\n').length, 6);
  t.is((await h.kubectl(['logs', 'app', `--since-time=${new Date(Date.now() - 60_000).toISOString()}`])).stdout.split('\n')[0], 'line 1');
  t.regex((await h.kubectl(['logs', 'app', '--timestamps', '--tail=1'])).stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line 5\n$/);
  t.is((await h.kubectl(['logs', 'app', '--limit-bytes=7'])).stdout, 'boot li');
  t.is((await h.kubectl(['logs', 'app', '--previous'])).stdout, 'panic: previous instance died\n');
  t.is((await h.kubectl(['logs', 'app', '-c', 'app', '--tail=1'])).stdout, 'line 5\n');
});

test('kubectl logs -f receives new lines and ends when the container stops', async (t) => {
  const h = await withLogs(t);
  const p = h.kubectl(['logs', '-f', 'app', '--tail=1']);
  // Wait until kubectl's request is following (no fixed sleep: machines are slow under load).
  for (let i = 0; i < 300 && !(h.runtime.followers.get('default/app/app')?.size); i++) await new Promise((r) => setTimeout(r, 50));
  h.runtime.appendLog(key, 'fresh line A');
  h.runtime.appendLog(key, 'fresh line B');
  await new Promise((r) => setTimeout(r, 300));
  h.runtime.terminate(key);
  const r = await p;
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'line 5\nfresh line A\nfresh line B\n');
});

test('log errors are the real Status messages', async (t) => {
  const h = await startHarness(t);
  h.addPod('two', { spec: { nodeName: 'node-1', containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } });
  h.addPod('fresh');
  h.addPod('creating', { status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } });
  const direct = await fetchStatus(h, '/api/v1/namespaces/default/pods/two/log');
  t.is(direct.code, 400);
  t.is(direct.message, 'a container name must be specified for pod two, choose one of: [a b]');
  const prev = await h.kubectl(['logs', 'fresh', '--previous']);
  t.regex(prev.stderr, /previous terminated container "app" in pod "fresh" not found/);
  const waiting = await h.kubectl(['logs', 'creating']);
  t.regex(waiting.stderr, /container "app" in pod "creating" is waiting to start: ContainerCreating/);
  const missing = await h.kubectl(['logs', 'nope']);
  t.regex(missing.stderr, /pods "nope" not found/);
});

async function fetchStatus(h: Harness, path: string): Promise<{ code: number; message: string }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    https.get(`${h.url}${path}`, { rejectUnauthorized: false }, (res) => {
      let b = '';
      res.on('data', (d) => (b += d));
      res.on('end', () => resolve(JSON.parse(b)));
    }).on('error', reject);
  });
}
