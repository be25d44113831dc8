import test from 'ava';
import { LineEditor } from '../../../src/sim/shell/line-editor.js';
import { ShellRunner } from '../../../src/sim/shell/runner.js';
import { StreamInput, startSession, ExecNotFound } from '../../../src/sim/shell/session.js';
import { buildWorld } from '../../../src/sim/shell/world.js';
import { makeCtx, runningPod } from './stream-harness.js';

function spec(argv: string[], image = 'busybox') {
  const pod = runningPod('p', 'default', [{ name: 'c', image, command: argv }]);
  return { pod, container: pod.spec.containers[0], argv, env: {} };
}

test('runner: sh -c "echo start; sleep 5; exit 1" logs start and exits 1 after the (scaled) sleep', async (t) => {
  const h = makeCtx(1000);
  t.teardown(h.stop);
  const r = new ShellRunner(h.ctx);
  let out = '';
  const cmd = r.run(spec(['sh', '-c', 'echo start; sleep 5; exit 1']), { stdout: (s) => (out += s), stderr: (s) => (out += s) });
  t.is(await cmd.exit, 1);
  t.is(out, 'start\n');
  t.is(await r.run(spec(['echo', 'done']), { stdout: () => {}, stderr: () => {} }).exit, 0);
});

test('runner: unknown executables throw ENOENT; kill ends sleep infinity and daemons', async (t) => {
  const h = makeCtx(1000);
  t.teardown(h.stop);
  const r = new ShellRunner(h.ctx);
  const io = { stdout: () => {}, stderr: () => {} };
  const err = t.throws(() => r.run(spec(['slep', '1']), io));
  t.is((err as NodeJS.ErrnoException).code, 'ENOENT');
  const s = r.run(spec(['sleep', 'infinity']), io);
  s.kill('SIGTERM');
  t.is(await s.exit, 143);
  let log = '';
  const d = r.run(spec(['nginx', '-g', 'daemon off;'], 'nginx:1.27'), { stdout: (x) => (log += x), stderr: () => {} });
  d.kill('SIGKILL');
  t.is(await d.exit, 137);
  t.regex(log, /ready for start up/);
});

test('runner: an exec probe shares the running container\'s files', async (t) => {
  const h = makeCtx(1000);
  t.teardown(h.stop);
  const r = new ShellRunner(h.ctx);
  const io = { stdout: () => {}, stderr: () => {} };
  const main = r.run(spec(['sh', '-c', 'echo ok > /tmp/healthy; sleep infinity']), io);
  await new Promise((res) => setTimeout(res, 50));
  const probe = spec(['sh', '-c', 'echo ok > /tmp/healthy; sleep infinity']);
  probe.argv = ['cat', '/tmp/healthy'];
  t.is(await r.run(probe, io).exit, 0);
  probe.argv = ['cat', '/tmp/missing'];
  t.is(await r.run(probe, io).exit, 1);
  main.kill('SIGKILL');
  t.is(await main.exit, 137);
});

test('line editor: insert, cursor moves, backspace, Ctrl-U, history', (t) => {
  const lines: string[] = [];
  let screen = '';
  const ed = new LineEditor((s) => (screen += s), { line: (l) => lines.push(l), interrupt: () => lines.push('^C'), eof: () => lines.push('EOF'), clear: () => {} });
  ed.start('$ ');
  ed.feed('echo helo\x1b[D\x1b[Dl\r');
  ed.feed('junk\x15echo ok\r');
  ed.feed('abc\x7f\x7fz\r');
  ed.feed('\x1b[A\x1b[A\r');
  ed.feed('partial\x03');
  ed.feed('\x04');
  t.deepEqual(lines, ['echo hello', 'echo ok', 'az', 'echo ok', '^C', 'EOF']);
  t.true(screen.startsWith('$ '));
});

test('interactive session: prompt, output, Ctrl-C interrupts sleep, exit N', async (t) => {
  const h = makeCtx(1);
  t.teardown(h.stop);
  const pod = runningPod('p', 'default', [{ name: 'c', image: 'busybox' }]);
  const world = buildWorld(h.ctx, pod, 'c');
  const stdin = new StreamInput();
  let out = '';
  const s = startSession({ world, argv: ['sh'], tty: true, stdin, out: (x) => (out += x), err: (x) => (out += x), signal: new AbortController().signal });
  stdin.push('echo hi there\r');
  await new Promise((r) => setTimeout(r, 20));
  t.true(out.includes('/ # echo hi there\r\nhi there\r\n/ # '));
  stdin.push('sleep 100\r');
  await new Promise((r) => setTimeout(r, 20));
  stdin.push('\x03');
  await new Promise((r) => setTimeout(r, 20));
  stdin.push('echo $?\r');
  await new Promise((r) => setTimeout(r, 20));
  t.true(out.includes('^C\r\n'));
  t.true(out.includes('130\r\n'));
  stdin.push('exit 7\r');
  t.is(await s.exit, 7);
});

test('sessions refuse executables that do not exist', (t) => {
  const h = makeCtx(1);
  t.teardown(h.stop);
  const world = buildWorld(h.ctx, runningPod('p'), 'app');
  t.throws(() => startSession({ world, argv: ['nope'], tty: false, out: () => {}, err: () => {}, signal: new AbortController().signal }), { instanceOf: ExecNotFound });
});

test('interactive session: Tab completes commands and paths', async (t) => {
  const h = makeCtx(1);
  t.teardown(h.stop);
  const world = buildWorld(h.ctx, runningPod('p', 'default', [{ name: 'c', image: 'busybox' }]), 'c');
  const stdin = new StreamInput();
  let out = '';
  const s = startSession({ world, argv: ['sh'], tty: true, stdin, out: (x) => (out += x), err: (x) => (out += x), signal: new AbortController().signal });
  stdin.push('hostn\t\r');
  await new Promise((r) => setTimeout(r, 20));
  t.true(out.includes('\r\np\r\n'), out);
  stdin.push('cat /etc/os-rel\t\r');
  await new Promise((r) => setTimeout(r, 20));
  t.true(out.includes('NAME="Alpine Linux"'));
  stdin.push('exit\r');
  t.is(await s.exit, 0);
});

test('kill <pid> from another exec ends that session with 143', async (t) => {
  const h = makeCtx(1);
  t.teardown(h.stop);
  const world = buildWorld(h.ctx, runningPod('p', 'default', [{ name: 'c', image: 'busybox' }]), 'c');
  const signal = new AbortController().signal;
  const a = startSession({ world, argv: ['sleep', '1000'], tty: false, out: () => {}, err: () => {}, signal });
  let out = '';
  const b = startSession({ world, argv: ['sh', '-c', "kill $(ps | grep ' sleep 1000$' | awk '{print $1}')"], tty: false, out: (x) => (out += x), err: (x) => (out += x), signal });
  t.is(await b.exit, 0, out);
  t.is(await a.exit, 143);
});
