/**
 * Bodies on demand in the forwards pane (tmux, demo cluster): by default a request's view says bodies are
 * counted, not kept; after `B` the next request's JSON body and its answer are shown, indented, with the
 * password redacted.
 */
import { execFile } from 'node:child_process';
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { running, waitPods } from './kubectl-streams-helpers.js';
import { command, launchCockpit } from './cockpit-helpers.js';

const post = (port: number, body: string) => new Promise<string>((resolve, reject) => execFile('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST',
  '-H', 'Content-Type: application/json', '--data', body, `http://127.0.0.1:${port}/fail`], (err, out) => (err ? reject(err) : resolve(out))));

test('forwards pane: B keeps the next bodies; the request view shows them indented with secrets redacted', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  await waitPods(c, 'app=jokes-web', running, 60_000, 'jokes');
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'jokes'], { width: 170, height: 50 });
  await tm.waitFor(/jokes-web-\S+\s+1\/1\s+Running/, 60_000);
  await command(tm, 'pf svc/jokes :80');
  const s = await tm.waitFor(/127\.0\.0\.1:(\d+) → jokes\/svc\/jokes:80/, 30_000);
  const port = Number(/127\.0\.0\.1:(\d+) → jokes\/svc\/jokes:80/.exec(s)![1]);
  const secret = '{"user":"ann","password":"hunter2-very-secret"}';

  // Off by default: counted, not kept.
  t.is(await post(port, secret), '500');
  await tm.waitFor(/1 requests/, 20_000);
  tm.keys('Tab');
  await tm.waitFor(/▶\s+\d\d:\d\d:\d\d\.\d+ POST/, 5_000);
  tm.keys('Enter');
  let v = await tm.waitFor(/POST \/fail → 500/, 10_000);
  t.regex(v, /bodies are counted, not kept \(B in the forwards list keeps the next ones\)/);
  t.notRegex(v, /request body/);
  tm.keys('Escape');
  await tm.waitGone(/POST \/fail → 500/, 5_000);
  tm.keys('Tab');
  await tm.waitFor(/B:keep bodies/, 5_000);

  // On: the next exchange's bodies, JSON indented, the password redacted.
  tm.keys('B');
  await tm.waitFor(/keeping the first 4 KiB of each body/, 5_000);
  t.is(await post(port, secret), '500');
  await tm.waitFor(/2 requests/, 20_000);
  tm.keys('Tab');
  await tm.waitFor(/▶\s+\d\d:\d\d:\d\d\.\d+ POST/, 5_000);
  tm.keys('Enter');
  v = await tm.waitFor((x) => /POST \/fail → 500/.test(x) && /response body/.test(x), 10_000);
  t.regex(v, /request body \(47 B, secrets redacted\)/);
  t.regex(v, /"user": "ann"/);
  t.regex(v, /"password": "«secret-1»"/);
  t.false(v.includes('hunter2'), 'the password is never on screen');
  t.regex(v, /"error": "internal error: asked to fail"/);
});
