/**
 * The real bin/kai-tui in tmux against the embedded cluster: statuses, live changes through
 * kubectl, filter, sort, describe, YAML, help, resize.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { command, filter, FIXTURE, launchCockpit, rowOf } from './cockpit-helpers.js';

test('pods show with kubectl statuses and follow kubectl deletes/creates; filter, sort, describe, yaml, help, resize', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  const applied = await c.kubectl(['apply', '-f', '-'], { input: FIXTURE });
  t.is(applied.code, 0, applied.stderr);
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'demo']);

  // Statuses as kubectl prints them.
  let screen = await tm.waitFor((s) => /CrashLoopBackOff/.test(s) && /ImagePullBackOff|ErrImagePull/.test(s) && /Pending/.test(s) && /web-\S+\s+1\/1\s+Running/.test(s), 30_000);
  t.regex(rowOf(screen, 'crasher'), /0\/1\s+CrashLoopBackOff/);
  t.regex(rowOf(screen, 'waiter'), /0\/1\s+Pending/);
  t.regex(screen, /ns demo/);
  await tm.waitFor(/API ●/);

  // A pod deleted through kubectl disappears; a new one appears.
  t.is((await c.kubectl(['delete', 'pod', 'puller', '-n', 'demo', '--wait=false'])).code, 0);
  await tm.waitFor((s) => rowOf(s, 'puller') === '', 15_000);
  const fresh = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: freshling, namespace: demo}\nspec: {containers: [{name: app, image: nginx:1.25}]}\n' });
  t.is(fresh.code, 0, fresh.stderr);
  await tm.waitFor((s) => /freshling\s+1\/1\s+Running/.test(s), 20_000);

  // Filter: text, label selector, inverse; esc clears.
  await filter(tm, 'web');
  screen = await tm.waitFor((s) => rowOf(s, 'crasher') === '' && /\/web/.test(s));
  t.regex(screen, /web-\S+\s+1\/1\s+Running/);
  tm.keys('Escape');
  await tm.waitFor((s) => rowOf(s, 'crasher') !== '');
  await filter(tm, '-l app=crasher');
  screen = await tm.waitFor((s) => rowOf(s, 'freshling') === '' && rowOf(s, 'crasher') !== '');
  t.is(rowOf(screen, 'waiter'), '');
  tm.keys('Escape');
  await tm.waitFor((s) => rowOf(s, 'freshling') !== '');
  await filter(tm, '!web');
  screen = await tm.waitFor((s) => !/web-\S+\s+1\/1/.test(s) && rowOf(s, 'crasher') !== '');
  tm.keys('Escape');

  // Sort: first `o` sorts by NAME (shown with an arrow), the next by READY…, shift-o reverses.
  tm.keys('o');
  screen = await tm.waitFor(/NAME↓/);
  const order = (s: string) => ['crasher', 'freshling', 'waiter'].map((n) => s.indexOf(`${n} `));
  const asc = order(screen);
  t.true(asc[0]! < asc[1]! && asc[1]! < asc[2]!, screen);
  tm.keys('O');
  screen = await tm.waitFor(/NAME↑/);
  const desc = order(screen);
  t.true(desc[0]! > desc[1]! && desc[1]! > desc[2]!, screen);
  tm.keys('o', 'o', 'o');
  await tm.waitFor(/RESTARTS↑/);

  // Describe and YAML of the selected object.
  await filter(tm, 'crasher');
  await tm.waitFor((s) => /\/crasher/.test(s) && rowOf(s, 'crasher') !== '' && rowOf(s, 'freshling') === '');
  tm.keys('d');
  screen = await tm.waitFor(/describe: pod\/crasher/);
  t.regex(screen, /Containers:/);
  t.regex(screen, /Restart Count:/);
  tm.keys('Escape');
  await tm.waitGone(/describe: pod/);
  tm.keys('y');
  screen = await tm.waitFor(/yaml: pod\/crasher/);
  t.regex(screen, /apiVersion: v1/);
  t.regex(screen, /kind: Pod/);
  tm.keys('Escape');
  await tm.waitGone(/yaml: pod/);

  // Help lists the bindings of the active keymap.
  tm.keys('?');
  screen = await tm.waitFor((s) => /help — keymap default/.test(s) && /ctrl-d\s+delete the selected/.test(s));
  t.regex(screen, /ctrl-d\s+delete the selected/);
  tm.keys('Escape');
  await tm.waitGone(/help — keymap/);

  // Resize: small and large terminals render the table and the status bar.
  tm.resize(80, 24);
  screen = await tm.waitFor((s) => s.split('\n').length >= 24 && /NAME\s+READY\s+STATUS/.test(s) && /ctx kai-demo/.test(s));
  t.true(screen.split('\n').every((l) => [...l].length <= 80), screen);
  tm.resize(200, 60);
  screen = await tm.waitFor((s) => /IP\s+NODE/.test(s) && /ctx kai-demo/.test(s.split('\n').slice(-3).join('\n')));

  // Quit: the terminal is restored and the process exits 0.
  tm.keys('C-c');
  await tm.waitFor(/\[exit 0\]/, 10_000);
});
