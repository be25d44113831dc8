/**
 * The exec shell pane in the real cockpit against the embedded cluster: `s` on a pod runs the
 * user's `kubectl exec -it` in a pty; `s` on a deployment opens a Running pod's shell over
 * client-node's WebSocket exec (as without kubectl on PATH). The container's prompt, output and
 * exit code show in the pane; ctrl-] leaves; the cockpit keeps working.
 */
import test from 'ava';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { command, filter, launchCockpit, rowOf } from './cockpit-helpers.js';

const PODS = `
apiVersion: v1
kind: Namespace
metadata: {name: demo}
---
apiVersion: v1
kind: Pod
metadata: {name: toolbox, namespace: demo, annotations: {kubectl.kubernetes.io/default-container: main}}
spec: {containers: [{name: main, image: nginx:1.25}, {name: side, image: busybox}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: busybox}]}
`;

test('s on a pod: kubectl exec -it in a pty; prompt, hostname, ctrl-] and back, exit 3 shown; the cockpit keeps working', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  const applied = await c.kubectl(['apply', '-f', '-'], { input: PODS });
  t.is(applied.code, 0, applied.stderr);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'demo'], { env: { KUBECACHEDIR: join(c.dir, 'cockpit-kube-cache') } });
  await tm.waitFor((s) => /toolbox\s+2\/2\s+Running/.test(s), 30_000);
  await filter(tm, 'toolbox');
  await tm.waitFor((s) => /\/toolbox/.test(s) && rowOf(s, 'toolbox') !== '' && !/web-\S+\s+\d\/\d/.test(s));

  tm.keys('s');
  let s = await tm.waitFor(/root@toolbox:\/# /, 30_000);
  t.regex(s, /shell demo\/toolbox \(main\) .*kubectl exec \(pty\)/);
  t.regex(s, /ctrl-] leaves/);
  tm.type('hostname');
  tm.keys('Enter');
  s = await tm.waitFor((x) => /^\W*x?toolbox\s*x?\W*$/m.test(x) && (x.match(/root@toolbox:\/# /g) ?? []).length >= 2, 20_000);

  // ctrl-] leaves the shell (it keeps running); s on the pod comes back to the same session.
  tm.keys('C-]');
  await tm.waitGone(/root@toolbox:\/# /);
  await tm.waitFor((x) => rowOf(x, 'toolbox') !== '');
  tm.keys('s');
  s = await tm.waitFor(/root@toolbox:\/# hostname/, 20_000);

  // The pty and the emulator follow the terminal's size: 100×30 leaves 98×25 inside the pane (border, hint strip, status line).
  tm.resize(100, 30);
  await tm.waitFor((x) => x.split('\n').length <= 31 && /shell demo\/toolbox/.test(x));
  tm.type('stty size');
  tm.keys('Enter');
  await tm.waitFor(/^\W*x?25 98\s*x?\W*$/m, 20_000);

  // Keys go to the shell, ctrl-c included (it interrupts, the cockpit does not quit).
  tm.type('echo one two');
  tm.keys('C-c');
  await tm.waitFor((x) => /echo one two\^C/.test(x) || (x.match(/root@toolbox:\/# /g) ?? []).length >= 3, 20_000);
  tm.type('exit 3');
  tm.keys('Enter');
  s = await tm.waitFor(/shell exited with code 3/, 20_000);
  t.regex(s, /enter\/esc closes/);

  // Closing it brings the cockpit back, and the cockpit still answers keys.
  tm.keys('Enter');
  await tm.waitGone(/shell exited/);
  tm.keys('d');
  s = await tm.waitFor(/describe: pod\/toolbox/, 20_000);
  t.regex(s, /Containers:/);
});

test('s on a deployment: a Running pod over the WebSocket exec fallback; a pod with two containers asks which; a tree container row opens that container', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  const applied = await c.kubectl(['apply', '-f', '-'], { input: PODS.replace('annotations: {kubectl.kubernetes.io/default-container: main}', 'annotations: {}') });
  t.is(applied.code, 0, applied.stderr);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'demo'], { env: { KAI_TUI_SHELL_VIA: 'websocket' } });
  await tm.waitFor((s) => /web-\S+\s+1\/1\s+Running/.test(s) && /toolbox\s+2\/2\s+Running/.test(s), 30_000);

  await command(tm, 'deploy -n demo');
  await tm.waitFor((s) => /deployments\(demo\)/.test(s) && /web\s+1\/1/.test(s), 30_000);
  tm.keys('s');
  let s = await tm.waitFor(/shell demo\/web-\S+ \(web\).*WebSocket exec/, 30_000);
  s = await tm.waitFor(/\/ # /, 30_000);
  tm.type('hostname');
  tm.keys('Enter');
  s = await tm.waitFor((x) => /^\W*x?web-[a-z0-9]+-[a-z0-9]+\s*x?\W*$/m.test(x), 20_000);
  tm.type('exit 4');
  tm.keys('Enter');
  await tm.waitFor(/shell exited with code 4/, 20_000);
  tm.keys('Escape');
  await tm.waitGone(/shell exited/);

  // Two containers and no default-container annotation: the pane asks.
  await command(tm, 'pods -n demo');
  await filter(tm, 'toolbox');
  await tm.waitFor((x) => /\/toolbox/.test(x) && rowOf(x, 'toolbox') !== '' && !/web-\S+\s+\d\/\d/.test(x));
  tm.keys('s');
  s = await tm.waitFor(/choose a container/, 20_000);
  t.regex(s, /1\s+main/);
  t.regex(s, /2\s+side/);
  tm.keys('2');
  await tm.waitFor(/shell demo\/toolbox \(side\)/, 20_000);
  await tm.waitFor(/\/ # /, 30_000);

  // A container row of the ownership tree, clicked, then s: a shell in that container.
  tm.keys('C-]');
  s = await tm.waitFor((x) => /● container main/.test(x) && !/shell demo/.test(x), 20_000);
  const lines = s.split('\n');
  const y = lines.findIndex((l) => /● container main/.test(l)) + 1;
  const x = lines[y - 1]!.indexOf('container main') + 3;
  tm.type(`\u001b[<0;${x};${y}M`);
  await new Promise((r) => setTimeout(r, 100));
  tm.type(`\u001b[<0;${x};${y}m`);
  await tm.waitFor(/enter:open\/select/); // the tree has the focus
  tm.keys('s');
  await tm.waitFor(/shell demo\/toolbox \(main\)/, 20_000);
  await tm.waitFor(/root@toolbox:\/# /, 30_000);
});
