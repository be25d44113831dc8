import type { KubeObject } from '../../kube/types.js';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../../kube/metrics.js';
import type { Snapshot } from '../snapshot.js';
import { byWorkload, eventLines, isTerminating, share, sevAll, short, type Analyzer, type PodHit } from './common.js';

/** Claims this pod mounts that are not Bound (then the claim is the root cause, not scheduling). */
export function pendingClaims(s: Snapshot, pod: KubeObject): string[] {
  const out: string[] = [];
  for (const v of (pod.spec?.volumes ?? []) as KubeObject[]) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const pvc = s.get('persistentvolumeclaims', pod.metadata.namespace, name);
    if (!pvc || pvc.status?.phase !== 'Bound') out.push(name);
  }
  return out;
}

function requests(pod: KubeObject): { cpu: number; mem: number } {
  let cpu = 0, mem = 0;
  for (const c of (pod.spec?.containers ?? []) as KubeObject[]) {
    cpu += parseCpu(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
    mem += parseMemory(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
  }
  return { cpu, mem };
}

/** Goes past "Insufficient memory": compares the request with the biggest node. */
function rootOf(s: Snapshot, pod: KubeObject, message: string): string | undefined {
  const nodes = s.all('nodes');
  if (!nodes.length) return undefined;
  const r = requests(pod);
  const maxMem = Math.max(...nodes.map((n) => parseMemory(n.status?.allocatable?.memory)));
  const maxCpu = Math.max(...nodes.map((n) => parseCpu(n.status?.allocatable?.cpu)));
  if (/Insufficient memory/.test(message) && r.mem > maxMem) return `requests ${formatMemory(r.mem)} memory; the largest node has ${formatMemory(maxMem)} allocatable — no node can ever fit it`;
  if (/Insufficient cpu/.test(message) && r.cpu > maxCpu) return `requests ${formatCpu(r.cpu)} CPU; the largest node has ${formatCpu(maxCpu)} allocatable — no node can ever fit it`;
  if (/Insufficient (memory|cpu)/.test(message)) return 'the nodes are full: free capacity (scale the node pool) or lower the requests';
  if (/didn't match Pod's node affinity\/selector|node affinity/.test(message)) return `nodeSelector/affinity ${JSON.stringify(pod.spec?.nodeSelector ?? {})} matches no schedulable node`;
  if (/untolerated taint/.test(message)) return 'every fitting node has a taint the pod does not tolerate';
  return undefined;
}

export const unschedulable: Analyzer = {
  category: 'unschedulable',
  explain: 'Pods stay Pending because the scheduler finds no node (PodScheduled=False, reason Unschedulable; the FailedScheduling event '
    + 'says why per node). The rule compares the pod\'s requests with the largest node so "Insufficient memory" becomes "asks for more than any node has". '
    + 'A Pending pod waiting on an unbound claim is `pvc-pending` on the claim instead. A Service with no endpoints because of this is listed as a symptom.',
  analyze(s) {
    const hits: PodHit[] = [];
    for (const pod of s.troubledPods()) {
      if (isTerminating(pod) || pod.status?.phase !== 'Pending' || pod.spec?.nodeName) continue;
      const cond = (pod.status?.conditions ?? []).find((c: KubeObject) => c.type === 'PodScheduled' && c.status === 'False');
      if (!cond || cond.reason !== 'Unschedulable') continue;
      const root = rootOf(s, pod, cond.message ?? '');
      hits.push({ pod, since: cond.lastTransitionTime ?? pod.metadata.creationTimestamp, evidence: [
        ...(root ? [`root cause: ${root}`] : []),
        `pod ${pod.metadata.name}: Pending, ${short(cond.message)}`,
        ...eventLines(s, 'Pod', pod.metadata.namespace, pod.metadata.name, /^FailedScheduling$/, 1),
      ] });
    }
    return byWorkload(s, 'unschedulable', hits, (w, hs, total) => {
      const root = hs[0]!.evidence[0]!.startsWith('root cause: ') ? hs[0]!.evidence[0]!.slice(12).split(' — ')[0] : undefined;
      return { severity: sevAll(hs.length, total, 'high', 'medium'), summary: `${w.kind} ${w.name} cannot be scheduled (${share(hs.length, total)})${root ? `: ${root}` : ''}` };
    });
  },
};
