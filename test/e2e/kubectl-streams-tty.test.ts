/**
 * Interactive `kubectl exec -it … -- sh` in a real terminal (tmux): prompt, output, line
 * editing, history, Ctrl-C, resize and Ctrl-D. Each test has its own tmux server.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { apply, waitPods } from './kubectl-streams-helpers.js';

const run = promisify(execFile);

async function until(fn: () => Promise<string>, pred: (s: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = await fn();
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
}

test('kubectl exec -it sh: prompt, line editing, history, Ctrl-C, resize, Ctrl-D', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, `
apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  containers:
  - {name: shell, image: busybox:1.36, command: ["sleep", "infinity"]}
`);
  await waitPods(c, 'metadata.name!=x', (p) => p[0]?.status?.phase === 'Running');
  const sock = `kai-streams-${process.pid}-${Date.now()}`;
  const tmux = (...a: string[]) => run('tmux', ['-L', sock, ...a]);
  t.teardown(async () => { await tmux('kill-server').catch(() => {}); });
  const cmd = `env KUBECACHEDIR=${c.cacheDir} kubectl --kubeconfig ${c.kubeconfig} exec -it shell -- sh; echo "EXIT=$?"; sleep 60`;
  await tmux('new-session', '-d', '-x', '100', '-y', '30', cmd);
  const screen = async () => (await tmux('capture-pane', '-p')).stdout;
  const keys = (...k: string[]) => tmux('send-keys', ...k);

  await until(screen, (s) => /^\/ #/m.test(s), 'the prompt');
  await keys('echo hello-$((40+2))', 'Enter');
  await until(screen, (s) => /^hello-42$/m.test(s), 'command output');

  // Line editing: fix a typo in the middle of the line, and Ctrl-U discards a line.
  await keys('-l', 'echo helo world');
  await keys('Left', 'Left', 'Left', 'Left', 'Left', 'Left', 'Left');
  await keys('-l', 'l');
  await keys('Enter');
  await until(screen, (s) => /^hello world$/m.test(s), 'the edited line');
  await keys('-l', 'garbage here');
  await keys('C-u');
  await keys('-l', 'echo clean');
  await keys('Enter');
  await until(screen, (s) => /^clean$/m.test(s), 'Ctrl-U');
  await keys('Up', 'Enter');
  await until(screen, (s) => (s.match(/^clean$/gm) ?? []).length === 2, 'history');

  // Ctrl-C interrupts a running command and gives the prompt back.
  await keys('sleep 1000', 'Enter');
  await new Promise((r) => setTimeout(r, 300));
  await keys('C-c');
  await keys('echo after-$?', 'Enter');
  await until(screen, (s) => /^after-130$/m.test(s), 'Ctrl-C');

  // Resize reaches the shell.
  await keys('stty size', 'Enter');
  await until(screen, (s) => /^30 100$/m.test(s), 'the initial size');
  await tmux('resize-window', '-x', '90', '-y', '25');
  await new Promise((r) => setTimeout(r, 500));
  await keys('clear; stty size', 'Enter');
  await until(screen, (s) => /^25 90$/m.test(s), 'the new size');

  // Ctrl-D ends the shell; kubectl exits with its status.
  await keys('true', 'Enter');
  await keys('C-d');
  await until(screen, (s) => /^EXIT=0$/m.test(s), 'kubectl exiting');
  t.pass();
});

test('kubectl run -it … -- sh: an interactive PID 1 that kubectl attaches to; its exit code comes back', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  const sock = `kai-run-${process.pid}-${Date.now()}`;
  const tmux = (...a: string[]) => run('tmux', ['-L', sock, ...a]);
  t.teardown(async () => { await tmux('kill-server').catch(() => {}); });
  const cmd = `env KUBECACHEDIR=${c.cacheDir} kubectl --kubeconfig ${c.kubeconfig} run tmp --image=busybox:1.36 -it --restart=Never -- sh; echo "EXIT=$?"; sleep 60`;
  await tmux('new-session', '-d', '-x', '100', '-y', '30', cmd);
  const screen = async () => (await tmux('capture-pane', '-p')).stdout;
  await until(screen, (s) => /If you don't see a command prompt/.test(s), 'kubectl attaching', 20_000);
  await tmux('send-keys', 'echo in-pid-1 $(cat /proc/1/cmdline)', 'Enter');
  await until(screen, (s) => /^in-pid-1 sh$/m.test(s), 'output of PID 1');
  await tmux('send-keys', 'exit 4', 'Enter');
  await until(screen, (s) => /^EXIT=4$/m.test(s), 'the exit code');
  const logs = await c.kubectl(['logs', 'tmp']);
  t.regex(logs.stdout, /in-pid-1 sh/);
});
