/**
 * Admission as kube-apiserver's ResourceQuota and ServiceAccount plugins do it, seen through the
 * real kubectl after applying plain YAML: pods over a quota or without the requests/limits it
 * tracks are refused (403), the ReplicaSet reports FailedCreate events and a ReplicaFailure
 * condition with the apiserver's message, the quota's status.used is kept; a pod template naming
 * a missing ServiceAccount fails the same way until the ServiceAccount exists.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const YAML = `
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: team}
spec:
  hard: {pods: "5", requests.cpu: "1", limits.memory: 1Gi}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {cpu: 200m}, limits: {memory: 400Mi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: bare, namespace: team}
spec:
  replicas: 1
  selector: {matchLabels: {app: bare}}
  template:
    metadata: {labels: {app: bare}}
    spec:
      containers: [{name: main, image: nginx:1.27}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: builder, namespace: team}
spec:
  replicas: 1
  selector: {matchLabels: {app: builder}}
  template:
    metadata: {labels: {app: builder}}
    spec:
      serviceAccountName: builder
      containers: [{name: main, image: nginx:1.27, resources: {requests: {cpu: 10m}, limits: {memory: 10Mi}}}]
`;

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

test('ResourceQuota and ServiceAccount admission: FailedCreate with the real messages; quota usage tracked', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  const applied = await c.kubectl(['apply', '-f', '-'], { input: YAML });
  t.is(applied.code, 0, applied.stderr);
  const failureOf = async (app: string): Promise<string | undefined> => {
    const rs = JSON.parse((await c.kubectl(['get', 'rs', '-n', 'team', '-l', `app=${app}`, '-o', 'json'])).stdout).items[0];
    return rs?.status?.conditions?.find((x: J) => x.type === 'ReplicaFailure' && x.reason === 'FailedCreate')?.message;
  };
  const until = async <T>(f: () => Promise<T | undefined>): Promise<T | undefined> => {
    for (let i = 0; i < 100; i++) {
      const v = await f();
      if (v) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
    return undefined;
  };

  t.regex(await until(() => failureOf('web')) ?? '', /^pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: limits\.memory=400Mi, used: limits\.memory=800Mi, limited: limits\.memory=1Gi$/);
  t.regex(await until(() => failureOf('bare')) ?? '', /^pods "bare-[a-z0-9]+-[a-z0-9]{5}" is forbidden: failed quota: compute: must specify limits\.memory for: main; requests\.cpu for: main$/);
  t.regex(await until(() => failureOf('builder')) ?? '', /^pods "builder-[a-z0-9]+-[a-z0-9]{5}" is forbidden: error looking up service account team\/builder: serviceaccount "builder" not found$/);

  // The Deployment carries its new ReplicaSet's ReplicaFailure, as `kubectl describe deploy` shows.
  const deployFailure = await until(async () => {
    const d = JSON.parse((await c.kubectl(['get', 'deploy', 'web', '-n', 'team', '-o', 'json'])).stdout);
    return d.status?.conditions?.find((x: J) => x.type === 'ReplicaFailure');
  });
  t.like(deployFailure, { status: 'True', reason: 'FailedCreate' });
  t.regex(deployFailure?.message ?? '', /is forbidden: exceeded quota: compute/);
  t.regex((await c.kubectl(['describe', 'deploy', 'web', '-n', 'team'])).stdout, /ReplicaFailure\s+True\s+FailedCreate/);

  const events = (await c.kubectl(['get', 'events', '-n', 'team', '--field-selector', 'reason=FailedCreate', '-o', 'json'])).stdout;
  t.regex(events, /Error creating: pods \\"web-[a-z0-9]+-[a-z0-9]{5}\\" is forbidden: exceeded quota: compute/);
  const pods = JSON.parse((await c.kubectl(['get', 'pods', '-n', 'team', '-o', 'json'])).stdout).items as J[];
  t.is(pods.length, 2, 'two web pods fit in 1Gi of limits.memory, not three');

  const quota = await until(async () => {
    const q = JSON.parse((await c.kubectl(['get', 'quota', 'compute', '-n', 'team', '-o', 'json'])).stdout);
    return q.status?.used?.pods === '2' ? q : undefined;
  });
  t.deepEqual(quota?.status, { hard: { 'limits.memory': '1Gi', pods: '5', 'requests.cpu': '1' }, used: { 'limits.memory': '800Mi', pods: '2', 'requests.cpu': '400m' } });
  const describe = await c.kubectl(['describe', 'quota', 'compute', '-n', 'team']);
  t.regex(describe.stdout, /limits\.memory\s+800Mi\s+1Gi/);
  t.regex(describe.stdout, /requests\.cpu\s+400m\s+1/);

  // Direct creates get the 403 too.
  const direct = await c.kubectl(['run', 'extra', '-n', 'team', '--image', 'nginx:1.27']);
  t.regex(direct.stderr, /Error from server \(Forbidden\): pods "extra" is forbidden: failed quota: compute: must specify limits\.memory for: extra; requests\.cpu for: extra/);

  // The ServiceAccount appears: the ReplicaSet's retries succeed and the condition goes.
  t.is((await c.kubectl(['create', 'serviceaccount', 'builder', '-n', 'team'])).code, 0);
  t.truthy(await until(async () => {
    const p = JSON.parse((await c.kubectl(['get', 'pods', '-n', 'team', '-l', 'app=builder', '-o', 'json'])).stdout).items;
    return p.length === 1 && !(await failureOf('builder')) ? true : undefined;
  }), 'the builder pod is created once its ServiceAccount exists');
});
