import type { KubeObject } from '../../kube/types.js';
import { refKey, type Finding } from '../types.js';
import { eventLines, podRef, short, type Analyzer } from './common.js';

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export const nodeUnhealthy: Analyzer = {
  category: 'node-unhealthy',
  explain: 'A node is NotReady/Unknown (the kubelet stopped posting status: its pods are evicted after their toleration and replaced elsewhere) '
    + 'or reports MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable (its NoSchedule taint keeps new pods away; the kubelet may evict). '
    + 'Evicted and stuck-Terminating pods on the node are listed as symptoms. Fix the node (free disk, restart the kubelet, replace it) or drain it.',
  analyze(s) {
    const out: Finding[] = [];
    for (const node of s.all('nodes')) {
      const conds = (node.status?.conditions ?? []) as KubeObject[];
      const ready = conds.find((c) => c.type === 'Ready');
      const bad = conds.filter((c) => PRESSURE.includes(c.type) && c.status === 'True');
      const notReady = ready && ready.status !== 'True';
      if (!notReady && !bad.length) continue;
      const ref = { kind: 'Node', name: node.metadata.name };
      const onNode = s.all('pods').filter((p) => p.spec?.nodeName === node.metadata.name && (p.metadata.deletionTimestamp || p.status?.reason === 'Evicted'));
      const what = notReady ? `NotReady (Ready=${ready!.status}${ready!.reason ? `, ${ready!.reason}` : ''})` : bad.map((c) => c.type).join(', ');
      out.push({
        category: 'node-unhealthy', severity: notReady ? 'critical' : 'high', object: ref,
        summary: `node ${node.metadata.name} is ${what}`,
        evidence: [
          ...(notReady ? [`condition Ready=${ready!.status}: ${short(ready!.message)}`] : []),
          ...bad.map((c) => `condition ${c.type}=True (${c.reason ?? ''}): ${short(c.message)}`),
          ...((node.spec?.taints ?? []) as KubeObject[]).map((t) => `taint ${t.key}:${t.effect}`),
          ...(node.spec?.unschedulable ? ['node is cordoned'] : []),
          ...eventLines(s, 'Node', undefined, node.metadata.name, /.*/, 2),
        ],
        symptoms: [], since: (notReady ? ready : bad[0])?.lastTransitionTime,
        covers: [refKey(ref), ...onNode.map((p) => refKey(podRef(p)))],
      });
    }
    return out;
  },
};
