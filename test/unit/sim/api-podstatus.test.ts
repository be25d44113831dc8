import test from 'ava';
import { podCells } from '../../../src/sim/api/podstatus.js';
import { humanDuration } from '../../../src/sim/api/humanize.js';
import type { KObj } from '../../../src/sim/types.js';

const pod = (status: Record<string, unknown>, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObj =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...meta }, spec: { containers: [{ name: 'a' }], ...spec }, status });

test('STATUS as kubectl prints it', (t) => {
  t.is(podCells(pod({ phase: 'Pending' })).status, 'Pending');
  t.is(podCells(pod({ phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] })).status, 'Running');
  t.is(podCells(pod({ phase: 'Running', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 3 }] })).status, 'CrashLoopBackOff');
  t.is(podCells(pod({ phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] })).status, 'OOMKilled');
  t.is(podCells(pod({ phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] })).status, 'ExitCode:2');
  t.is(podCells(pod({ phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, signal: 9 } } }] })).status, 'Signal:9');
  t.is(podCells(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { reason: 'Completed', exitCode: 0 } } }] })).status, 'Completed');
  t.is(podCells(pod({ phase: 'Failed', reason: 'Evicted' })).status, 'Evicted');
  t.is(podCells(pod({ phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] }, {}, { deletionTimestamp: '2024-01-01T00:00:00Z' })).status, 'Terminating');
  t.is(podCells(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] })).status, 'SchedulingGated');
});

test('init containers: Init:X/Y, Init:reason, Init:ExitCode and sidecars', (t) => {
  const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
  t.is(podCells(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] }, spec)).status, 'Init:1/2');
  t.is(podCells(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'ImagePullBackOff' } } }] }, spec)).status, 'Init:ImagePullBackOff');
  t.is(podCells(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 3 } } }] }, spec)).status, 'Init:ExitCode:3');
  t.is(podCells(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'PodInitializing' } } }] }, spec)).status, 'Init:0/2');
  const sidecar = { initContainers: [{ name: 's', restartPolicy: 'Always' }] };
  const c = podCells(pod({
    phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [{ name: 's', started: true, ready: true, restartCount: 1, state: { running: {} } }],
    containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }],
  }, sidecar));
  t.is(c.ready, '2/2');
  t.is(c.status, 'Running');
  t.is(c.restarts, '1');
});

test('READY and RESTARTS with the last restart age', (t) => {
  const now = Date.parse('2024-01-01T00:10:00Z');
  const c = podCells(pod({
    phase: 'Running',
    containerStatuses: [
      { name: 'a', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: '2024-01-01T00:09:30Z' } } },
      { name: 'b', ready: false, restartCount: 1, state: { running: {} }, lastState: { terminated: { finishedAt: '2024-01-01T00:05:00Z' } } },
    ],
  }, { containers: [{ name: 'a' }, { name: 'b' }] }), now);
  t.is(c.ready, '1/2');
  t.is(c.restarts, '3 (30s ago)');
});

test('human durations match apimachinery', (t) => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
  t.is(humanDuration(-3 * s), '<invalid>');
  t.is(humanDuration(-1 * s), '0s');
  t.is(humanDuration(119 * s), '119s');
  t.is(humanDuration(2 * m + 5 * s), '2m5s');
  t.is(humanDuration(10 * m), '10m');
  t.is(humanDuration(179 * m), '179m');
  t.is(humanDuration(3 * h + 20 * m), '3h20m');
  t.is(humanDuration(9 * h), '9h');
  t.is(humanDuration(3 * d + 4 * h), '3d4h');
  t.is(humanDuration(30 * d), '30d');
  t.is(humanDuration(800 * d), '2y70d');
  t.is(humanDuration(3000 * d), '8y');
});
