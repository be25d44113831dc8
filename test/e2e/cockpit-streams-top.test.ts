/**
 * Top: the metrics poller against the embedded cluster (percentages of allocatable and limits,
 * history growing with each poll), and a cluster without metrics-server → one clear line in
 * the cockpit.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { apply, running, waitPods } from './kubectl-streams-helpers.js';
import { launchCockpit } from './cockpit-helpers.js';
import { loadKubeConfig } from '../../src/kube/kubeconfig.js';
import { Transport } from '../../src/kube/transport.js';
import { MetricsPoller, parseCpu, parseMemory } from '../../src/kube/metrics.js';
import type { KubeObject } from '../../src/kube/types.js';

test('metrics poller: nodes against allocatable, pods against limits, history per poll', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  await apply(t, c, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: capped}
spec:
  replicas: 1
  selector: {matchLabels: {app: capped}}
  template:
    metadata: {labels: {app: capped}}
    spec: {containers: [{name: app, image: nginx:1.27, resources: {limits: {cpu: 500m, memory: 256Mi}}}]}
`);
  const [pod] = await waitPods(c, 'app=capped', running);
  const transport = new Transport(loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!.kc);
  t.teardown(() => transport.close());
  const nodes = (await transport.json<{ items: KubeObject[] }>('/api/v1/nodes')).items;
  const poller = new MetricsPoller(transport, {
    node: (n) => nodes.find((x) => x.metadata.name === n),
    pod: (ns, n) => (ns === 'default' && n === pod!.metadata.name ? (pod as unknown as KubeObject) : undefined),
  }, 'default', 1000);
  let s = await poller.poll();
  for (let i = 0; i < 100 && !s.pods.some((p) => p.name === pod!.metadata.name); i++) {
    await new Promise((r) => setTimeout(r, 200));
    s = await poller.poll();
  }
  t.is(s.problem, undefined);
  t.true(s.nodes.length >= 1);
  t.true(s.nodes.every((n) => n.cpuMilli > 0 && n.cpuPct !== undefined && n.memPct !== undefined));
  const p = s.pods.find((x) => x.name === pod!.metadata.name)!;
  t.truthy(p);
  t.is(p.cpuPct, (p.cpuMilli / 500) * 100);
  t.is(p.memPct, (p.memBytes / (256 * 1024 * 1024)) * 100);
  const before = p.cpuHistory.length;
  s = await poller.poll();
  t.is(s.pods.find((x) => x.name === pod!.metadata.name)!.cpuHistory.length, before + 1);

  t.is(parseCpu('250m'), 250);
  t.is(parseCpu('2'), 2000);
  t.is(parseCpu('1500000n'), 1.5);
  t.is(parseMemory('128Mi'), 128 * 1024 * 1024);
  t.is(parseMemory('1G'), 1e9);
});

test('a cluster without metrics-server: the top view says so in one line', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'default'], { width: 150, height: 40 });
  await tm.waitFor(/pods\(default\)/, 30_000);
  // Discovery must have answered before the check is meaningful.
  await tm.waitFor(/API ●/, 30_000);
  tm.keys('M');
  const s = await tm.waitFor(/metrics API not available: metrics-server is not installed/, 20_000);
  t.is(s.match(/metrics API not available/g)!.length, 1);
});
