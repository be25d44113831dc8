import test from 'ava';
import type { KubeObject } from '../../../src/kube/types.js';
import { viewFor } from '../../../src/ui/columns/index.js';
import { humanDuration } from '../../../src/ui/columns/format.js';
import { podSummary, podHealth } from '../../../src/ui/columns/pods.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const row = (resource: string, o: KubeObject, group = '') => {
  const v = viewFor({ resource, group });
  return Object.fromEntries(v.columns.map((c) => [c.name, c.value(o, { now: NOW })]));
};

function pod(name: string, status: object, spec: object = { containers: [{ name: 'app' }] }, meta: object = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', creationTimestamp: ago(600), ...meta }, spec: { nodeName: 'node-1', ...spec }, status };
}

test('HumanDuration matches kubectl', (t) => {
  t.is(humanDuration(5_000), '5s');
  t.is(humanDuration(119_000), '119s');
  t.is(humanDuration(125_000), '2m5s');
  t.is(humanDuration(600_000), '10m');
  t.is(humanDuration(3 * 3600_000 + 5 * 60_000), '3h5m');
  t.is(humanDuration(30 * 3600_000), '30h');
  t.is(humanDuration(50 * 3600_000), '2d2h');
  t.is(humanDuration(400 * 86400_000), '400d');
  t.is(humanDuration(-5000), '<invalid>');
});

test('running pod row', (t) => {
  const p = pod('web-1', {
    phase: 'Running', podIP: '10.244.0.5',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: ago(500) } } }],
  });
  t.deepEqual(row('pods', p), { NAME: 'web-1', READY: '1/1', STATUS: 'Running', RESTARTS: '0', AGE: '10m', IP: '10.244.0.5', NODE: 'node-1' });
  t.is(podHealth(p), 'ok');
});

test('crash-looping pod shows CrashLoopBackOff and restarts with the last restart age', (t) => {
  const p = pod('api-0', {
    phase: 'Running', podIP: '10.244.0.6',
    containerStatuses: [{
      name: 'app', ready: false, restartCount: 7,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(90) } },
    }],
  });
  const r = row('pods', p);
  t.is(r.STATUS, 'CrashLoopBackOff');
  t.is(r.READY, '0/1');
  t.is(r.RESTARTS, '7 (90s ago)');
  t.is(podHealth(p), 'error');
});

test('image pull failure, pending, OOMKilled, init and completed pods', (t) => {
  const pull = pod('img', { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] });
  t.is(podSummary(pull).status, 'ImagePullBackOff');
  t.is(row('pods', pull).IP, '<none>');

  const pending = pod('pend', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }, { containers: [{ name: 'a' }, { name: 'b' }] });
  t.is(podSummary(pending).status, 'Pending');
  t.is(row('pods', { ...pending, spec: { containers: [{ name: 'a' }, { name: 'b' }] } }).NODE, '<none>');
  t.is(podHealth(pending), 'warn');

  const oom = pod('oom', { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 1, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] });
  t.is(podSummary(oom).status, 'OOMKilled');

  const exit = pod('exit', { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] });
  t.is(podSummary(exit).status, 'ExitCode:3');

  const init = pod('init', {
    phase: 'Pending',
    initContainerStatuses: [{ name: 'setup', ready: false, restartCount: 0, state: { running: {} } }],
    containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  }, { initContainers: [{ name: 'setup' }], containers: [{ name: 'app' }] });
  t.is(podSummary(init).status, 'Init:0/1');

  const initFail = pod('initfail', {
    phase: 'Pending',
    initContainerStatuses: [{ name: 'setup', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
  }, { initContainers: [{ name: 'setup' }], containers: [{ name: 'app' }] });
  t.is(podSummary(initFail).status, 'Init:CrashLoopBackOff');
  t.is(podSummary(initFail).restarts, 2);

  const done = pod('job-x', { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  t.is(podSummary(done).status, 'Completed');
  t.is(podHealth(done), 'muted');
});

test('sidecar init containers count toward READY', (t) => {
  const p = pod('side', {
    phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
    initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: {} } }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
  }, { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] });
  const s = podSummary(p);
  t.is(`${s.ready}/${s.total}`, '2/2');
  t.is(s.status, 'Running');
  t.is(s.restarts, 1);
});

test('terminating pod', (t) => {
  const p = pod('bye', { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] }, undefined, { deletionTimestamp: ago(1) });
  t.is(podSummary(p).status, 'Terminating');
});

test('deployment, replicaset, service, node, event, secret, job rows', (t) => {
  t.deepEqual(row('deployments', { metadata: { name: 'web', creationTimestamp: ago(3600) }, spec: { replicas: 3 }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }, 'apps'),
    { NAME: 'web', READY: '2/3', 'UP-TO-DATE': '3', AVAILABLE: '2', AGE: '60m' });
  t.deepEqual(row('replicasets', { metadata: { name: 'web-abc', creationTimestamp: ago(60) }, spec: { replicas: 3 }, status: { replicas: 3, readyReplicas: 1 } }, 'apps'),
    { NAME: 'web-abc', DESIRED: '3', CURRENT: '3', READY: '1', AGE: '60s' });
  t.deepEqual(row('services', { metadata: { name: 'web', creationTimestamp: ago(60) }, spec: { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } }),
    { NAME: 'web', TYPE: 'NodePort', 'CLUSTER-IP': '10.96.0.10', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80:30080/TCP,53/UDP', AGE: '60s' });
  t.deepEqual(row('nodes', { metadata: { name: 'n1', creationTimestamp: ago(86400 * 3), labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0' } } }),
    { NAME: 'n1', STATUS: 'Ready,SchedulingDisabled', ROLES: 'control-plane', AGE: '3d', VERSION: 'v1.32.0' });
  t.deepEqual(row('events', { metadata: { name: 'e1', creationTimestamp: ago(30) }, type: 'Warning', reason: 'BackOff', lastTimestamp: ago(20), involvedObject: { kind: 'Pod', name: 'api-0' }, count: 7, message: 'Back-off restarting failed container' }),
    { 'LAST SEEN': '20s', TYPE: 'Warning', REASON: 'BackOff', OBJECT: 'pod/api-0', COUNT: '7', MESSAGE: 'Back-off restarting failed container' });
  t.deepEqual(row('secrets', { metadata: { name: 's', creationTimestamp: ago(5) }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }),
    { NAME: 's', TYPE: 'kubernetes.io/tls', DATA: '2', AGE: '5s' });
  t.deepEqual(row('jobs', { metadata: { name: 'j', creationTimestamp: ago(100) }, spec: { completions: 3 }, status: { succeeded: 3, startTime: ago(100), completionTime: ago(40), conditions: [{ type: 'Complete', status: 'True' }] } }, 'batch'),
    { NAME: 'j', STATUS: 'Complete', COMPLETIONS: '3/3', DURATION: '60s', AGE: '100s' });
});

test('CRDs and unknown kinds get NAME AGE; all namespaces prepends NAMESPACE', (t) => {
  t.deepEqual(viewFor({ resource: 'widgets', group: 'example.com' }).columns.map((c) => c.name), ['NAME', 'AGE']);
  t.deepEqual(viewFor({ resource: 'pods', group: 'example.com' }).columns.map((c) => c.name), ['NAME', 'AGE']);
  t.deepEqual(viewFor({ resource: 'pods', group: '' }, true).columns.map((c) => c.name), ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
});
