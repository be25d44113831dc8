/**
 * A node under memory pressure evicts, as the kubelet does: a BestEffort pod using memory is
 * Failed with reason Evicted and the kubelet's message, an Evicted warning is recorded, its
 * ReplicaSet replaces it on another node; a Guaranteed pod stays.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

test('memory pressure: BestEffort pods evicted with the kubelet\'s reason and message, replaced elsewhere; Guaranteed stays', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  const node = (JSON.parse((await c.kubectl(['get', 'nodes', '-o', 'json'])).stdout).items[0].metadata.name) as string;
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: hungry, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: hungry}}
  template:
    metadata: {labels: {app: hungry}}
    spec:
      nodeSelector: {kubernetes.io/hostname: ${node}}
      containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: steady, namespace: default}
spec:
  nodeName: ${node}
  containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 100m, memory: 64Mi}}}]
`;
  t.is((await c.kubectl(['apply', '-f', '-'], { input: yaml })).code, 0);
  t.is((await c.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app=hungry', '--timeout=60s'])).code, 0);
  t.is((await c.kubectl(['annotate', 'node', node, 'sim.kai-tui.dev/node-condition=memory-pressure'])).code, 0);
  // The replacement cannot land on the pressured node (nodeSelector): the Deployment goes without, as on a real cluster.
  type P = { metadata: { name: string }; status: { phase: string; reason?: string; message?: string } };
  let evicted: P | undefined;
  for (let i = 0; i < 80 && !evicted; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const pods = JSON.parse((await c.kubectl(['get', 'pods', '-l', 'app=hungry', '-o', 'json'])).stdout).items as P[];
    evicted = pods.find((p) => p.status.reason === 'Evicted');
  }
  t.truthy(evicted, 'a BestEffort pod was evicted');
  t.is(evicted!.status.phase, 'Failed');
  t.regex(evicted!.status.message!, /^The node was low on resource: memory\. Threshold quantity: 100Mi, available: \d+Ki\. Container app was using \d+Mi, request is 0, has larger consumption of memory\. $/);
  const ev = (await c.kubectl(['get', 'events', '--field-selector', `reason=Evicted,involvedObject.name=${evicted!.metadata.name}`, '-o', 'custom-columns=T:.type,M:.message', '--no-headers'])).stdout;
  t.regex(ev, /Warning\s+The node was low on resource: memory/);
  const steady = JSON.parse((await c.kubectl(['get', 'pod', 'steady', '-o', 'json'])).stdout);
  t.is(steady.status.phase, 'Running', 'a Guaranteed pod within its requests stays');
});
