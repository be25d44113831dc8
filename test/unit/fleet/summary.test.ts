import test from 'ava';
import type { KubeObject } from '../../../src/kube/types.js';
import { countNodes, countPods, findingsText, nodeUsage, statusFindings } from '../../../src/fleet/summary.js';
import { renderFleetTable } from '../../../src/fleet/render.js';
import { triageFindings } from '../../../src/fleet/findings.js';

const node = (name: string, ready: boolean, extra: Record<string, string> = {}): KubeObject => ({
  metadata: { name },
  status: {
    allocatable: { cpu: '4', memory: '16Gi' },
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }, ...Object.entries(extra).map(([type, status]) => ({ type, status }))],
  },
});
const pod = (name: string, state: 'running' | 'crash' | 'pending' | 'done', ns = 'apps'): KubeObject => ({
  metadata: { name, namespace: ns, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-rs`, uid: 'u', controller: true }] },
  spec: { containers: [{ name: 'app', image: 'x' }] },
  status: state === 'running' ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] }
    : state === 'crash' ? { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date().toISOString() } } }] }
    : state === 'pending' ? { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient memory.' }] }
    : { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
});

test('counts: nodes ready of all, pods by health as the table colours them', (t) => {
  t.deepEqual(countNodes([node('a', true), node('b', false), node('c', true)]), { total: 3, ready: 2 });
  t.deepEqual(countPods([pod('a', 'running'), pod('b', 'crash'), pod('c', 'pending'), pod('d', 'done'), pod('e', 'running')]), { total: 5, healthy: 2, warning: 1, failing: 1, completed: 1 });
});

test('node usage against allocatable, only for nodes that report metrics; none without allocatable', (t) => {
  const nodes = new Map([['a', node('a', true)], ['b', node('b', true)]]);
  t.deepEqual(nodeUsage([{ metadata: { name: 'a' }, usage: { cpu: '1', memory: '4Gi' } }, { metadata: { name: 'b' }, usage: { cpu: '1000m', memory: '4Gi' } }], nodes),
    { cpuPct: 25, memPct: 25, cpuMilli: 2000, memBytes: 8 * 1024 ** 3 });
  t.is(nodeUsage([{ metadata: { name: 'zz' }, usage: { cpu: '1' } }], nodes), undefined);
});

test('findings: status fallback worst first; triage names the root cause per context', (t) => {
  const nodes = [node('n1', true, { DiskPressure: 'True' }), node('n2', false)];
  const pods = [pod('ok', 'running'), pod('crashy', 'crash'), pod('waiting', 'pending')];
  const s = statusFindings(nodes, pods, 5);
  t.deepEqual(s.map((f) => `${f.severity} ${f.title} ${f.object}`), [
    'error node NotReady node/n2', 'error CrashLoopBackOff pod/apps/crashy', 'warning node DiskPressure node/n1', 'warning Pending pod/apps/waiting',
  ]);
  t.is(findingsText(s.slice(1, 2)), 'CrashLoopBackOff apps/crashy');
  const tr = triageFindings({ nodes, pods }, 10);
  t.true(tr.length > 0);
  t.true(tr.every((f) => f.source === 'triage' && typeof f.summary === 'string'));
  t.true(tr.some((f) => f.title === 'crashloop' || /crashy/.test(f.object)), JSON.stringify(tr));
  t.true(tr.some((f) => f.title === 'node-unhealthy'), JSON.stringify(tr));
});

test('the text table: one line per context, the unreachable one says why', (t) => {
  const out = renderFleetTable([
    { context: 'a', cluster: 'a', server: 'https://x', state: 'ok', latencyMs: 5, version: 'v1.31.4', nodes: { total: 2, ready: 2 }, pods: { total: 3, healthy: 2, warning: 0, failing: 1, completed: 0 }, usage: { cpuPct: 5, memPct: 7, cpuMilli: 400, memBytes: 1024 ** 3 }, findings: [] },
    { context: 'b', cluster: 'b', server: 'https://y', state: 'unreachable', message: 'cannot reach https://y: connect ECONNREFUSED', findings: [] },
  ]).split('\n');
  t.regex(out[0]!, /^CONTEXT\s+STATE\s+LATENCY\s+VERSION\s+NODES\s+PODS\s+CPU\s+MEM\s+FINDINGS$/);
  t.regex(out[1]!, /^a\s+ok\s+5ms\s+v1\.31\.4\s+2\/2\s+3 \(2 ok, 1 failing\)\s+5% \(400m\)\s+7% \(1024Mi\)$/);
  t.regex(out[2]!, /^b\s+unreachable: cannot reach https:\/\/y: connect ECONNREFUSED$/);
});
