/**
 * k9s users' habits: enter on a pod opens its containers, `/` opens empty with the last filter
 * one ↑ away, an invalid label selector says why, events carry a COUNT column.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { command, launchCockpit } from './cockpit-helpers.js';

test('enter on a pod lists its containers; / opens empty, ↑ recalls the filter; a bad selector says why', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'shop'], { width: 200, height: 45 });
  await tm.waitFor(/postgres-0/, 30_000);
  await new Promise((r) => setTimeout(r, 2000));

  // Filter to one pod, then enter: its containers with image and state.
  tm.keys('/');
  await new Promise((r) => setTimeout(r, 150));
  tm.type('postgres');
  await tm.waitFor(/\/postgres/);
  tm.keys('Enter');
  await tm.waitFor((s) => /postgres-0/.test(s) && !/frontend-/.test(s.split('\n').slice(0, 25).join('\n')));
  tm.keys('Enter');
  let screen = await tm.waitFor(/containers: shop\/postgres-0/);
  t.regex(screen, /NAME\s+INIT\s+IMAGE\s+READY\s+STATE\s+RESTARTS/);
  t.regex(screen, /postgres\s+\S*postgres:\S+\s+(true|false)\s+\w+/);
  tm.keys('Escape');
  await tm.waitGone(/containers: shop/);

  // `/` opens empty (the old filter is not appended to); ↑ brings it back.
  tm.keys('/');
  screen = await tm.waitFor((s) => /^\/█?\s*$/m.test(s));
  tm.keys('Up');
  await tm.waitFor((s) => /^\/postgres█?\s*$/m.test(s));
  tm.keys('C-u');
  tm.type('-l app in (');
  tm.keys('Enter');
  await tm.waitFor(/'app in \(': the list of values is not closed with '\)'/);

  // Events of the namespace carry how many times each happened.
  await command(tm, 'events');
  screen = await tm.waitFor(/COUNT/);
  t.regex(screen, /LAST SEEN.*TYPE.*REASON.*OBJECT.*COUNT.*MESSAGE/);
});
