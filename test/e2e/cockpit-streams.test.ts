/**
 * Logs, port-forward and top in the real cockpit (bin/kai-tui in tmux) against the embedded
 * cluster: `l` on a pod shows its log lines (and new ones as requests arrive), `p` asks for the
 * previous instance; `shift-f` forwards the pod, the pane shows the local port, and bytes sent
 * through it with HTTP move the counters on screen; `shift-m` shows node and pod gauges.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { apply, httpGet, running, waitPods, WEB_YAML } from './kubectl-streams-helpers.js';
import { command, filter, launchCockpit } from './cockpit-helpers.js';

test('cockpit: l shows a pod\'s log, shift-f forwards it and the meters move, shift-m shows top', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML + `---
apiVersion: v1
kind: Pod
metadata: {name: waiter}
spec: {nodeSelector: {disk: none-such}, containers: [{name: app, image: busybox, ports: [{containerPort: 80}]}]}
`);
  const [pod] = await waitPods(c, 'app=web', running);
  const name = pod!.metadata.name!;
  const { tm, home } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'default'], { width: 150, height: 45 });
  await tm.waitFor(new RegExp(`${name}\\s+1/1\\s+Running`), 60_000);
  await filter(tm, name);
  await tm.waitFor((s) => s.includes(name) && !s.split('\n').some((l) => /web-\S+\s+1\/1/.test(l) && !l.includes(name)));

  // Logs: the container's lines appear in the pane.
  tm.keys('l');
  await tm.waitFor((s) => s.includes(`logs: default/${name}`) && /ready for start up/.test(s), 20_000);
  // The previous instance does not exist: one clear line from the server.
  tm.keys('p');
  await tm.waitFor(/previous terminated container "web" in pod/, 20_000);
  tm.keys('p');
  await tm.waitFor(/following/, 20_000);

  // Port-forward: the pane shows the local port; HTTP through it moves the byte counters.
  tm.keys('Escape');
  await tm.waitGone(`logs: default/${name}`);
  tm.keys('F');
  // It asks which port: the container's port 80 is offered, with a free unprivileged local port.
  const dialog = await tm.waitFor((x) => /port-forward default\/pod\//.test(x) && /▸ 80\/TCP — container web/.test(x) && /local port on 127\.0\.0\.1: 80\d\d/.test(x), 20_000);
  tm.keys('Enter');
  const s = await tm.waitFor(/127\.0\.0\.1:(\d+) → default\/pod\//, 30_000);
  const port = Number(/127\.0\.0\.1:(\d+) → default\/pod\//.exec(s)![1]);
  t.true(port > 0);
  t.regex(s, /in 0 B\s+out 0 B\s+conns 0 open \/ 0 total/);
  const res = await httpGet(port, '/through-kai-tui');
  t.true(res.status > 0);
  const after = await tm.waitFor((x) => /conns 0 open \/ 1 total/.test(x) && /in \d+(\.\d+)? (B|KiB)\s+out \d+/.test(x) && !/in 0 B/.test(x), 20_000);
  t.regex(after, /errors 0/);
  // Remembered for the next session.
  const file = join(home, 'config', 'forwards.json');
  t.true(existsSync(file));
  t.regex(readFileSync(file, 'utf8'), new RegExp(`"name": "${name}"`));
  // x stops it.
  tm.keys('x');
  await tm.waitFor(/no forwards/, 10_000);

  // Top: the node and the web pods with their gauges.
  tm.keys('Escape');
  tm.keys('M');
  const top = await tm.waitFor((x) => /top: \d+ nodes/.test(x) && /\d+m\s+\[/.test(x) && x.includes(name), 30_000);
  t.regex(top, /CPU % of allocatable/);

  // :pf from the command line: a service, any local port.
  tm.keys('Escape');
  await tm.waitGone(/top: \d+ nodes/);
  await command(tm, 'pf svc/web :80');
  const svc = await tm.waitFor(/127\.0\.0\.1:(\d+) → default\/svc\/web:80/, 30_000);
  const svcPort = Number(/127\.0\.0\.1:(\d+) → default\/svc\/web:80/.exec(svc)![1]);
  t.is((await httpGet(svcPort, '/')).status, 200);
  await tm.waitFor(/conns 0 open \/ 1 total/, 20_000);

  // A pod that is not Running: one clear message, no forward.
  tm.keys('Escape');
  await tm.waitGone(/port-forwards:/);
  // The filter prompt starts with the current filter: clear it first.
  tm.keys('/');
  await new Promise((r) => setTimeout(r, 150));
  tm.keys('C-u');
  tm.type('waiter');
  await tm.waitFor((x) => x.includes('/waiter'), 5_000);
  tm.keys('Enter');
  await tm.waitFor(/waiter\s+0\/1\s+Pending/, 20_000);
  tm.keys('F');
  await tm.waitFor(/cannot port-forward: pod waiter is Pending, not Running/, 20_000);
});

test('cockpit: remembered forwards are offered at start and r restores them', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, WEB_YAML);
  await waitPods(c, 'app=web', running);
  const cfg = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(cfg, { recursive: true, force: true }));
  writeFileSync(join(cfg, 'forwards.json'), JSON.stringify({ forwards: [
    { context: 'kai-demo', namespace: 'default', kind: 'service', name: 'web', remotePort: 80, localPort: 0 },
    { context: 'other', namespace: 'default', kind: 'service', name: 'elsewhere', remotePort: 80, localPort: 0 },
  ] }));
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'default'], { width: 150, height: 40, env: { KAI_TUI_CONFIG_DIR: cfg } });
  await tm.waitFor(/1 remembered port-forward \(shift-p, r restores\)/, 30_000);
  tm.keys('P');
  await tm.waitFor(/remembered from an earlier session \(r restores\): svc\/web 0:80/, 10_000);
  tm.keys('r');
  const s = await tm.waitFor(/127\.0\.0\.1:(\d+) → default\/svc\/web:80/, 30_000);
  const port = Number(/127\.0\.0\.1:(\d+) → default\/svc\/web:80/.exec(s)![1]);
  t.is((await httpGet(port, '/')).status, 200);
  // The other context's entry is kept in the file.
  t.regex(readFileSync(join(cfg, 'forwards.json'), 'utf8'), /elsewhere/);
});
