/**
 * The real kubectl against node operations on the embedded cluster: cordon and drain move
 * workloads elsewhere; a node made NotReady by annotation shows as such, its pods are evicted
 * and replaced, and it heals when the annotation goes.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const deploy = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`;

test('drain moves pods off a node; a NotReady node gets its pods evicted and replaced, then heals', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 50 });
  const ok = async (args: string[], input?: string) => {
    const r = await c.kubectl(args, { input, timeoutMs: 30_000 });
    t.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const nodesOf = async () => (await ok(['get', 'pods', '-l', 'app=web', '--field-selector', 'status.phase=Running', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {end}'])).trim().split(/\s+/).filter(Boolean);
  await ok(['apply', '-f', '-'], deploy);
  await ok(['rollout', 'status', 'deployment/web', '--timeout=20s']);
  t.true((await nodesOf()).includes('kai-node-1'), String(await nodesOf()));

  t.regex(await ok(['drain', 'kai-node-1', '--ignore-daemonsets', '--timeout=25s']), /node\/kai-node-1 drained/);
  await ok(['rollout', 'status', 'deployment/web', '--timeout=20s']);
  t.false((await nodesOf()).includes('kai-node-1'));
  t.regex(await ok(['get', 'node', 'kai-node-1', '--no-headers']), /^kai-node-1\s+Ready,SchedulingDisabled\s/);
  await ok(['uncordon', 'kai-node-1']);

  const victim = (await nodesOf())[0]!;
  await ok(['annotate', 'node', victim, 'sim.kai-tui.dev/node-condition=not-ready']);
  let line = '';
  for (let i = 0; i < 60 && !/NotReady/.test(line); i++) {
    line = await ok(['get', 'node', victim, '--no-headers']);
    await new Promise((r) => setTimeout(r, 100));
  }
  t.regex(line, new RegExp(`^${victim}\\s+NotReady\\s`));
  // Evicted after the 300 s toleration (6 s at 50×) and replaced on the other nodes.
  let nodes: string[] = [];
  for (let i = 0; i < 100; i++) {
    nodes = await nodesOf();
    const terminating = (await ok(['get', 'pods', '-l', 'app=web', '--no-headers'])).includes('Terminating');
    if (terminating && nodes.filter((n) => n !== victim).length === 4) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  t.is(nodes.filter((n) => n !== victim).length, 4, `running on ${nodes}`);
  const desc = await ok(['describe', 'node', victim]);
  t.regex(desc, /Ready\s+Unknown\s.*NodeStatusUnknown\s+Kubelet stopped posting node status\./);
  t.regex(desc, /node\.kubernetes\.io\/unreachable:NoExecute/);

  await ok(['annotate', 'node', victim, 'sim.kai-tui.dev/node-condition-']);
  for (let i = 0; i < 60; i++) {
    const pods = await ok(['get', 'pods', '-l', 'app=web', '--no-headers']);
    if (!pods.includes('Terminating')) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  t.notRegex(await ok(['get', 'pods', '-l', 'app=web', '--no-headers']), /Terminating/);
  t.regex(await ok(['get', 'node', victim, '--no-headers']), new RegExp(`^${victim}\\s+Ready\\s`));
});
