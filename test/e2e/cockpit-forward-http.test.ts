/**
 * HTTP through a forward in the real cockpit (bin/kai-tui in tmux) against the demo cluster:
 * `:pf svc/jokes` forwards the jokes service; curl traffic (200s, and the documented /fail and
 * /unavailable paths) shows up as request counts, the status mix, latency percentiles, the
 * last requests (enter shows one's headers, Authorization redacted) and a 5xx burst issue;
 * `b` runs a load check that ends with a histogram, saved per target, and a second run is
 * compared side by side with the first.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { running, waitPods } from './kubectl-streams-helpers.js';
import { BIN, command, launchCockpit } from './cockpit-helpers.js';

function forwards(home: string, args: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, 'forwards', ...args], { env: { ...process.env, HOME: home, KAI_TUI_CONFIG_DIR: join(home, 'config') } }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(stdout)));
  });
}

function curl(port: number, path: string, headers: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...headers.flatMap((h) => ['-H', h]), `http://127.0.0.1:${port}${path}`], (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

test('cockpit: a forward to the jokes service shows requests, status mix, latency, headers, a 5xx burst and a load check', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  await waitPods(c, 'app=jokes-web', running, 60_000, 'jokes');
  const { tm, home } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'jokes'], { width: 170, height: 50 });
  await tm.waitFor(/jokes-web-\S+\s+1\/1\s+Running/, 60_000);
  await command(tm, 'pf svc/jokes :80');
  const s = await tm.waitFor(/127\.0\.0\.1:(\d+) → jokes\/svc\/jokes:80/, 30_000);
  const port = Number(/127\.0\.0\.1:(\d+) → jokes\/svc\/jokes:80/.exec(s)![1]);

  const codes: string[] = [];
  for (let i = 0; i < 4; i++) codes.push(await curl(port, '/healthz', ['Authorization: Bearer very-secret']));
  for (let i = 0; i < 4; i++) codes.push(await curl(port, '/fail'));
  for (let i = 0; i < 2; i++) codes.push(await curl(port, '/unavailable'));
  t.deepEqual(codes, ['200', '200', '200', '200', '500', '500', '500', '500', '503', '503']);
  const shown = await tm.waitFor((x) => /10 requests\s+2xx 4\s+3xx 0\s+4xx 0\s+5xx 6/.test(x) && /latency p50 [\d.]+ m?s\s+p95 [\d.]+ m?s\s+p99 [\d.]+ m?s/.test(x), 20_000);
  t.regex(shown, /ended: 10 closed\s+0 reset\s+0 timed out/);
  t.regex(shown, /✖ 5xx burst: 6 of 10 answers were 5xx in 10 s \(last: 503 GET \/unavailable\)/);
  // The last requests, newest first.
  t.regex(shown, /GET\s+\/unavailable\s+503/);
  t.regex(shown, /GET\s+\/healthz\s+200/);

  // tab into the list, down to the oldest /healthz, enter: its headers, the token redacted.
  tm.keys('Tab');
  await tm.waitFor(/tab: back to the forwards/, 5_000);
  for (let i = 0; i < 9; i++) tm.keys('j');
  await new Promise((r) => setTimeout(r, 300));
  tm.keys('Enter');
  const detail = await tm.waitFor(/GET \/healthz → 200 OK/, 10_000);
  t.regex(detail, /request headers/);
  t.regex(detail, /Authorization: \[redacted\]/);
  t.regex(detail, /User-Agent: curl\//);
  t.regex(detail, /Content-Type: text\/plain/);
  t.false(detail.includes('very-secret'));
  tm.keys('Escape');
  await tm.waitGone(/request headers/, 5_000);
  tm.keys('Tab');

  // The load check: the form with its defaults, then the result with a histogram.
  tm.keys('b');
  const form = await tm.waitFor(/load check → 127\.0\.0\.1:\d+/, 5_000);
  t.regex(form, /requests\s+200/);
  t.regex(form, /concurrency\s+10/);
  t.regex(form, /method\s+GET/);
  tm.keys('Enter');
  const result = await tm.waitFor(/latency histogram:/, 60_000);
  t.regex(result, /this run: GET \/ — /);
  t.regex(result, /200\/200 answered, concurrency 10/);
  t.regex(result, /throughput [\d.]+ req\/s, errors 0/);
  t.regex(result, /status 2xx \d+\s+3xx 0\s+4xx 0\s+5xx \d+/);
  t.regex(result, /\[\s+\d+\] ■/);
  const file = join(home, 'config', 'load-checks', 'kai-demo_jokes_service_jokes_80.json');
  t.true(existsSync(file));
  t.is(JSON.parse(readFileSync(file, 'utf8')).runs.length, 1);

  // Again, with 100 requests: side by side with the first.
  tm.keys('b');
  await tm.waitFor(/requests\s+200/, 5_000);
  tm.keys('C-u');
  tm.type('100');
  await tm.waitFor(/requests\s+100/, 5_000);
  tm.keys('Enter');
  const compared = await tm.waitFor(/compared with the previous run:/, 60_000);
  t.regex(compared, /this run: GET \/ .*\| previous run: GET \/ /);
  t.regex(compared, /100\/100 answered.*\| 200\/200 answered/);
  t.regex(compared, /throughput [\d.]+ → [\d.]+ req\/s/);
  t.is(JSON.parse(readFileSync(file, 'utf8')).runs.length, 2);

  // Back in the pane, the load check's requests went through the forward too.
  tm.keys('Escape');
  await tm.waitFor(/310 requests/, 20_000);

  // kai-tui forwards, headless: this cockpit runs it, with its last load check.
  const listed = await forwards(home);
  t.regex(listed, /^CONTEXT\s+NAMESPACE\s+TARGET\s+LOCAL\s+STATE\s+LAST LOAD CHECK$/m);
  t.regex(listed, new RegExp(`kai-demo\\s+jokes\\s+svc/jokes:80\\s+127\\.0\\.0\\.1:${port}\\s+running \\(kai-tui pid \\d+, since [\\d-]+ [\\d:]+Z\\)\\s+[\\d.]+ req/s, p99 [\\d.]+ ms, 0 errors, \\d+ 5xx`));
  const json = JSON.parse(await forwards(home, ['--json', '--context', 'kai-demo'])) as Array<{ state: string; pid?: number }>;
  t.is(json.length, 1);
  t.is(json[0]!.state, 'running');
  t.is(await forwards(home, ['--context', 'elsewhere']), 'no port-forwards remembered for context elsewhere (start one in the cockpit: shift-f, or :pf svc/NAME LOCAL:REMOTE)\n');
  // After the cockpit quits, the forward is only remembered.
  tm.keys('Escape');
  await tm.waitGone(/port-forwards:/, 5_000);
  tm.keys('C-c');
  for (let i = 0; i < 50 && /running/.test(await forwards(home)); i++) await new Promise((r) => setTimeout(r, 200));
  t.regex(await forwards(home), /svc\/jokes:80\s+127\.0\.0\.1:\d+\s+remembered \(cockpit: shift-p, r\)/);
});
