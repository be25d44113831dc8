/**
 * The scheduler's harder rules, applied as plain YAML with kubectl and read back as a real
 * cluster shows them: an extended resource no node has, required pod anti-affinity by hostname
 * (one replica per node: the fourth of four stays Pending), required pod affinity to pods that
 * do not exist, and the anti-affinity of a pod already placed.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const YAML = `apiVersion: v1
kind: Pod
metadata: {name: trainer, namespace: default}
spec:
  containers:
  - name: t
    image: nginx:1.27
    resources: {limits: {nvidia.com/gpu: 1}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: spread, namespace: default}
spec:
  replicas: 4
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: spread}}
            topologyKey: kubernetes.io/hostname
      containers: [{name: c, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: follower, namespace: default}
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: leader}}
        topologyKey: kubernetes.io/hostname
  containers: [{name: c, image: nginx:1.27}]
`;

test('extended resources, pod anti-affinity and affinity: Pending with the real FailedScheduling messages', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  const r = await c.kubectl(['apply', '-f', '-'], { input: YAML });
  t.is(r.code, 0, r.stderr);
  const events = async () => (await c.kubectl(['get', 'events', '-n', 'default', '--field-selector', 'reason=FailedScheduling', '-o', 'custom-columns=OBJ:.involvedObject.name,MSG:.message', '--no-headers'])).stdout;
  let ev = '';
  for (let i = 0; i < 60; i++) {
    ev = await events();
    if (/trainer/.test(ev) && /spread-/.test(ev) && /follower/.test(ev)) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  t.regex(ev, /trainer\s+0\/3 nodes are available: 3 Insufficient nvidia\.com\/gpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\./);
  t.regex(ev, /spread-\S+\s+0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\./);
  t.regex(ev, /follower\s+0\/3 nodes are available: 3 node\(s\) didn't match pod affinity rules\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\./);
  // Three of the four replicas run, one per node.
  const pods = JSON.parse((await c.kubectl(['get', 'pods', '-l', 'app=spread', '-o', 'json'])).stdout).items as Array<{ spec: { nodeName?: string }; status: { phase: string } }>;
  const nodes = pods.map((p) => p.spec.nodeName).filter(Boolean);
  t.is(nodes.length, 3);
  t.is(new Set(nodes).size, 3, 'never two on one node');
  // A leader appears: the follower goes to its node.
  t.is((await c.kubectl(['run', 'leader', '--image=nginx:1.27', '--labels=app=leader'])).code, 0);
  let follower: { spec: { nodeName?: string } } | undefined;
  let leader: { spec: { nodeName?: string } } | undefined;
  for (let i = 0; i < 60 && !follower?.spec.nodeName; i++) {
    await new Promise((res) => setTimeout(res, 250));
    follower = JSON.parse((await c.kubectl(['get', 'pod', 'follower', '-o', 'json'])).stdout);
    leader = JSON.parse((await c.kubectl(['get', 'pod', 'leader', '-o', 'json'])).stdout);
  }
  t.truthy(follower?.spec.nodeName);
  t.is(follower?.spec.nodeName, leader?.spec.nodeName);
  // A pod the spread replicas' anti-affinity selects cannot join them on any node.
  t.is((await c.kubectl(['run', 'intruder', '--image=nginx:1.27', '--labels=app=spread'])).code, 0);
  for (let i = 0; i < 60 && !/intruder/.test(ev); i++) { await new Promise((res) => setTimeout(res, 250)); ev = await events(); }
  t.regex(ev, /intruder\s+0\/3 nodes are available: 3 node\(s\) didn't satisfy existing pods anti-affinity rules\./);
});
