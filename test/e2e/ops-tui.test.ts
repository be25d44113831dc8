/**
 * The operations pipeline in the real cockpit (tmux): delete a pod from the table (preview,
 * double confirm for destructive, the row disappears); scale a deployment from the palette and
 * watch the rollout verdict; undo it; the history view lists all three.
 */
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { filter, launchCockpit, rowOf } from './cockpit-helpers.js';
import type { Tmux } from '../support/tmux.js';

const FIX = `
apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ops, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
---
apiVersion: v1
kind: Pod
metadata: {name: lonely, namespace: ops, labels: {app: lonely}}
spec: {containers: [{name: app, image: nginx:1.25}]}
`;

/** The pipeline plugs into the cockpit shortly after it starts: open the palette once it is there. */
async function openPalette(tm: Tmux): Promise<void> {
  for (let i = 0; i < 30; i++) {
    tm.keys(':');
    try {
      await tm.waitFor(/tab:complete/, 1500);
      return;
    } catch {
      tm.keys('Escape'); // the cockpit's own command line opened: the pipeline was not installed yet
    }
  }
  throw new Error('the command palette never opened');
}

test('delete from the table, scale from the palette, undo, history', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  const applied = await c.kubectl(['apply', '-f', '-'], { input: FIX });
  t.is(applied.code, 0, applied.stderr);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'ops'], { width: 150, height: 45 });
  await tm.waitFor((s) => /lonely\s+1\/1\s+Running/.test(s) && /web-\S+\s+1\/1\s+Running/.test(s), 60_000);
  await openPalette(tm);
  tm.keys('Escape');
  // Let the palette close first: ESC followed at once by `/` reads as alt-/ in a terminal.
  await tm.waitFor((s) => !/tab:complete/.test(s), 10_000);
  await new Promise((r) => setTimeout(r, 200));

  // Delete the selected pod: the preview shows the exact request, the dry-run and the class.
  await filter(tm, 'lonely');
  await tm.waitFor((s) => !/web-\S+\s+1\/1/.test(s) && rowOf(s, 'lonely') !== '', 30_000);
  tm.keys('C-d');
  let screen = await tm.waitFor(/dry-run: OK/, 30_000);
  t.regex(screen, /Plan: delete pods\/lonely -n ops\s+\[destructive\]/);
  t.regex(screen, /DELETE \/api\/v1\/namespaces\/ops\/pods\/lonely/);
  tm.keys('y');
  await tm.waitFor(/press the confirm key again/, 30_000);
  t.is((await c.kubectl(['get', 'pod', 'lonely', '-n', 'ops'])).code, 0, 'one key must not execute a destructive plan');
  tm.keys('y');
  screen = await tm.waitFor(/verified: pods\/lonely is gone/, 20_000);
  t.regex(screen, /✓ done: 1 succeeded of 1 step \(journal #1/);
  tm.keys('Escape');
  tm.keys('Escape');
  await tm.waitFor((s) => rowOf(s, 'lonely') === '' && /web-\S+\s+1\/1\s+Running/.test(s), 15_000);

  // Scale from the palette; the result pane shows the rollout verdict.
  await openPalette(tm);
  tm.type('scale deploy/web --replicas=4');
  tm.keys('Enter');
  screen = await tm.waitFor(/dry-run: OK/, 30_000);
  t.regex(screen, /\[mutating\] scale deployments\/web to 4 replicas/);
  t.regex(screen, /-\s+replicas: 2/);
  t.regex(screen, /\+\s+replicas: 4/);
  t.regex(screen, /impact: scale-up 2 → 4 starts 2 pods/);
  tm.keys('y');
  screen = await tm.waitFor(/verified: deployment "web" successfully rolled out \(4\/4 available\)/, 30_000);
  t.regex(screen, /journal #2/);
  t.is(JSON.parse((await c.kubectl(['get', 'deploy', 'web', '-n', 'ops', '-o', 'json'])).stdout).spec.replicas, 4);

  // Undo it from the result pane: the inverse plan is previewed, then confirmed.
  tm.keys('u');
  screen = await tm.waitFor(/scale deployments\/web back to 2 replicas/, 15_000);
  t.regex(screen, /Plan: undo #2/);
  tm.keys('y');
  await tm.waitFor(/verified: deployment "web" successfully rolled out \(2\/2 available\)/, 30_000);
  t.is(JSON.parse((await c.kubectl(['get', 'deploy', 'web', '-n', 'ops', '-o', 'json'])).stdout).spec.replicas, 2);
  tm.keys('Escape');

  // Marked rows: one plan with a step per row; rejecting it runs nothing.
  tm.keys('/');
  tm.type('web');
  tm.keys('Enter');
  await tm.waitFor((s) => (s.match(/web-\S+\s+1\/1\s+Running/g) ?? []).length === 2, 30_000);
  tm.keys('Space', 'j', 'Space', 'C-d');
  screen = await tm.waitFor(/Plan: delete pods web-\S+ web-\S+ -n ops\s+\[destructive\]\s+2 steps/, 30_000);
  tm.keys('n');
  await tm.waitFor((s) => !/Plan: delete pods web-/.test(s), 30_000);
  t.is(JSON.parse((await c.kubectl(['get', 'pods', '-n', 'ops', '-l', 'app=web', '-o', 'json'])).stdout).items.length, 2);
  tm.keys('Escape');

  // The history view lists every operation with its outcome.
  tm.keys('H');
  screen = await tm.waitFor(/#3 .*succeeded .*undo #2/, 30_000);
  t.regex(screen, /#2 .*succeeded .*scale deploy\/web --replicas=4 +\(undone by #3\)/);
  t.regex(screen, /#1 .*succeeded .*delete pods\/lonely/);
  tm.keys('Escape');
});

test('edit key: $EDITOR runs on the live YAML (screen suspended), the result is previewed as a replace step', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  const applied = await c.kubectl(['apply', '-f', '-'], { input: FIX });
  t.is(applied.code, 0, applied.stderr);
  const editor = join(c.dir, 'editor.sh');
  writeFileSync(editor, '#!/bin/sh\nsed -i "s/^  replicas: 2$/  replicas: 3/" "$1"\n', { mode: 0o755 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'ops'], { width: 150, height: 45, env: { EDITOR: editor, VISUAL: undefined, KUBE_EDITOR: undefined } });
  await tm.waitFor((s) => /web-\S+\s+1\/1\s+Running/.test(s), 60_000);
  await openPalette(tm);
  tm.type('deploy');
  tm.keys('Enter');
  // The title shows as soon as the view opens; `e` needs the row (listed a moment later).
  await tm.waitFor((s) => /deployments\(ops\)/.test(s) && /\bweb\s+2\/2\s+2\s+2\b/.test(s), 30_000);
  tm.keys('e');
  let screen = await tm.waitFor(/dry-run: OK/, 30_000);
  t.regex(screen, /\[mutating\] replace deployments\/web with the edited YAML/);
  t.regex(screen, /PUT \/apis\/apps\/v1\/namespaces\/ops\/deployments\/web/);
  t.regex(screen, /-\s+replicas: 2/);
  t.regex(screen, /\+\s+replicas: 3/);
  tm.keys('y');
  screen = await tm.waitFor(/verified: deployment "web" successfully rolled out \(3\/3 available\)/, 30_000);
  t.is(JSON.parse((await c.kubectl(['get', 'deploy', 'web', '-n', 'ops', '-o', 'json'])).stdout).spec.replicas, 3);
});
