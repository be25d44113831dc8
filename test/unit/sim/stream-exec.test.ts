import test from 'ava';
import { startHarness } from './stream-harness.js';

test('kubectl exec: output and exit codes 0, 1, 127', async (t) => {
  const h = await startHarness(t);
  h.addPod('box', { spec: { nodeName: 'node-1', containers: [{ name: 'box', image: 'busybox:1.36' }] } });
  const ok = await h.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo hello; echo oops >&2']);
  t.is(ok.code, 0, ok.stderr);
  t.is(ok.stdout, 'hello\n');
  t.is(ok.stderr, 'oops\n');
  const one = await h.kubectl(['exec', 'box', '--', 'sh', '-c', 'exit 1']);
  t.is(one.code, 1);
  t.regex(one.stderr, /command terminated with exit code 1/);
  const nf = await h.kubectl(['exec', 'box', '--', 'sh', '-c', 'nosuchcmd']);
  t.is(nf.code, 127);
  t.regex(nf.stderr, /sh: nosuchcmd: not found/);
  const direct = await h.kubectl(['exec', 'box', '--', 'nosuchbinary']);
  t.is(direct.code, 1);
  t.regex(direct.stderr, /executable file not found in \$PATH/);
});

test('kubectl exec -i: stdin is piped to the command', async (t) => {
  const h = await startHarness(t);
  h.addPod('box', { spec: { nodeName: 'node-1', containers: [{ name: 'box', image: 'busybox:1.36' }] } });
  const r = await h.kubectl(['exec', '-i', 'box', '--', 'cat'], { input: 'hi there\nsecond line\n' });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'hi there\nsecond line\n');
  const w = await h.kubectl(['exec', '-i', 'box', '--', 'wc', '-l'], { input: 'a\nb\nc\n' });
  t.is(w.stdout.trim(), '3');
  const s = await h.kubectl(['exec', '-i', 'box', '--', 'sh'], { input: 'cd /etc\npwd\nexit 5\n' });
  t.is(s.stdout, '/etc\n');
  t.is(s.code, 5);
});

test('exec into a missing container or a pod that is not running fails like a real cluster', async (t) => {
  const h = await startHarness(t);
  h.addPod('box');
  const r = await h.kubectl(['exec', 'box', '-c', 'nope', '--', 'ls']);
  t.not(r.code, 0);
  t.regex(r.stderr, /container nope is not valid for pod box|container nope not found/);
  h.addPod('waiting', { status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } });
  const w = await h.kubectl(['exec', 'waiting', '--', 'ls']);
  t.not(w.code, 0);
  t.regex(w.stderr, /container not found|unable to upgrade connection/);
});

test('the SPDY fallback for exec carries stdin, output and the exit code', async (t) => {
  const h = await startHarness(t);
  h.addPod('box', { spec: { nodeName: 'node-1', containers: [{ name: 'box', image: 'busybox:1.36' }] } });
  const env = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
  const r = await h.kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'cat; echo err >&2; exit 3'], { input: 'via spdy\n', env });
  t.is(r.stdout, 'via spdy\n');
  t.is(r.stderr.split('\n')[0], 'err');
  t.is(r.code, 3);
});

test('kubectl cp both ways goes through tar in the emulated shell', async (t) => {
  const fs = await import('node:fs');
  const { join } = await import('node:path');
  const h = await startHarness(t);
  h.addPod('box', { spec: { nodeName: 'node-1', containers: [{ name: 'box', image: 'busybox:1.36' }] } });
  const local = join(h.dir, 'os-release');
  const down = await h.kubectl(['cp', 'box:/etc/os-release', local]);
  t.is(down.code, 0, down.stderr);
  t.regex(fs.readFileSync(local, 'utf8'), /^NAME="Alpine Linux"/);
  const up = join(h.dir, 'notes.txt');
  fs.writeFileSync(up, 'uploaded — with UTF-8\nline 2\n');
  const r = await h.kubectl(['cp', up, 'box:/tmp/notes.txt']);
  t.is(r.code, 0, r.stderr);
  t.is((await h.kubectl(['exec', 'box', '--', 'cat', '/tmp/notes.txt'])).stdout, 'uploaded — with UTF-8\nline 2\n');
});
