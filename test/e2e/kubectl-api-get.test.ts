import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { seed } from './kubectl-api-fixtures.js';

const lines = (s: string) => s.trim().split('\n');
const cols = (line: string) => line.trim().split(/\s{2,}/);

test('get pods -A and -o wide show kubectl columns with real STATUS and RESTARTS', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const all = await c.kubectl(['get', 'pods', '-A']);
  t.is(all.code, 0, all.stderr);
  const rows = lines(all.stdout);
  t.deepEqual(cols(rows[0]!), ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  const byName = new Map(rows.slice(1).map((r) => [cols(r)[1], cols(r)]));
  t.deepEqual(byName.get('frontend-1')!.slice(0, 5), ['shop', 'frontend-1', '1/1', 'Running', '0']);
  t.deepEqual(byName.get('jokes-1')!.slice(0, 4), ['shop', 'jokes-1', '0/1', 'CrashLoopBackOff']);
  t.regex(byName.get('jokes-1')![4]!, /^4 \(\d+s ago\)$/);
  t.deepEqual(byName.get('migrate-1')!.slice(0, 4), ['default', 'migrate-1', '0/1', 'Completed']);

  const wide = await c.kubectl(['get', 'pods', '-n', 'shop', '-o', 'wide']);
  t.is(wide.code, 0, wide.stderr);
  t.deepEqual(cols(lines(wide.stdout)[0]!), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
  t.regex(wide.stdout, /api-1\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.1\.7\s+node-b\s+<none>\s+<none>/);
});

test('get -l, --field-selector (spec.nodeName, status.phase) and -o yaml', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const l = await c.kubectl(['get', 'pods', '-A', '-l', 'tier in (backend),app!=api', '-o', 'name']);
  t.is(l.code, 0, l.stderr);
  t.deepEqual(lines(l.stdout), ['pod/jokes-1']);
  const f = await c.kubectl(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node-a,status.phase!=Succeeded', '-o', 'name']);
  t.is(f.code, 0, f.stderr);
  t.deepEqual(lines(f.stdout), ['pod/frontend-1']);
  const y = await c.kubectl(['get', 'pod', 'frontend-1', '-n', 'shop', '-o', 'yaml']);
  t.is(y.code, 0, y.stderr);
  t.regex(y.stdout, /^apiVersion: v1\nkind: Pod\n/);
  t.regex(y.stdout, /restartPolicy: Always/);
  t.regex(y.stdout, /serviceAccountName: default/);
  t.regex(y.stdout, /imagePullPolicy: IfNotPresent/);
  const bad = await c.kubectl(['get', 'pods', '--field-selector', 'spec.bogus=1']);
  t.not(bad.code, 0);
  t.regex(bad.stderr, /field label not supported: spec\.bogus/);
});

test('get all, nodes, events by involvedObject, api-resources', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const all = await c.kubectl(['get', 'all', '-n', 'shop']);
  t.is(all.code, 0, all.stderr);
  t.regex(all.stdout, /pod\/frontend-1/);
  t.regex(all.stdout, /service\/frontend\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP/);
  t.regex(all.stdout, /deployment\.apps\/frontend\s+0\/1/);

  const nodes = await c.kubectl(['get', 'nodes', '-o', 'wide']);
  t.is(nodes.code, 0, nodes.stderr);
  t.regex(nodes.stdout, /node-a\s+Ready\s+worker\s+\S+\s+v1\.32\.0\s+10\.0\.0\.1/);

  const ev = await c.kubectl(['get', 'events', '-n', 'shop', '--field-selector', 'involvedObject.name=jokes-1']);
  t.is(ev.code, 0, ev.stderr);
  t.regex(ev.stdout, /Warning\s+BackOff\s+pod\/jokes-1\s+Back-off restarting/);
  t.is(lines(ev.stdout).length, 2, 'the repeated event is counted, not duplicated');
  const evNew = await c.kubectl(['get', 'events.v1.events.k8s.io', '-n', 'shop', '-o', 'jsonpath={.items[0].regarding.name} {.items[0].series.count}']);
  t.is(evNew.code, 0, evNew.stderr);
  t.is(evNew.stdout, 'jokes-1 2');

  const ar = await c.kubectl(['api-resources']);
  t.is(ar.code, 0, ar.stderr);
  t.regex(ar.stdout, /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
  t.regex(ar.stdout, /horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler/);
});

test('describe pod, deployment and node', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const p = await c.kubectl(['describe', 'pod', 'jokes-1', '-n', 'shop']);
  t.is(p.code, 0, p.stderr);
  t.regex(p.stdout, /Node:\s+node-b\/10\.0\.0\.1/);
  t.regex(p.stdout, /Reason:\s+CrashLoopBackOff/);
  t.regex(p.stdout, /Restart Count:\s+4/);
  t.regex(p.stdout, /Warning\s+BackOff\s+\S+ \(x2 over \S+\)\s+kubelet\s+Back-off restarting/);
  const d = await c.kubectl(['describe', 'deploy', 'frontend', '-n', 'shop']);
  t.is(d.code, 0, d.stderr);
  t.regex(d.stdout, /RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
  const n = await c.kubectl(['describe', 'node', 'node-a']);
  t.is(n.code, 0, n.stderr);
  t.regex(n.stdout, /shop\s+frontend-1/);
});
