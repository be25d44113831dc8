import { refKey } from '../types.js';
import { byWorkload, short, type Analyzer, type PodHit } from './common.js';

export const evicted: Analyzer = {
  category: 'evicted',
  explain: 'Pods were evicted (phase Failed, reason Evicted) by the kubelet under node pressure, or deleted by the taint manager after their node '
    + 'became unreachable (TaintManagerEviction). When the node is still unhealthy the finding is a symptom of `node-unhealthy` on that node. '
    + 'Otherwise it names the workload: set requests that match real usage so it is not first in line, and clean up the Failed pods.',
  analyze(s) {
    const hits: PodHit[] = [];
    for (const pod of s.troubledPods()) {
      const evictedNow = pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
      const taint = pod.metadata.deletionTimestamp && s.events('Pod', pod.metadata.namespace, pod.metadata.name).some((e) => e.reason === 'TaintManagerEviction');
      if (!evictedNow && !taint) continue;
      hits.push({ pod, since: pod.status?.startTime, evidence: [
        `pod ${pod.metadata.name} on node ${pod.spec?.nodeName ?? '?'}: ${evictedNow ? `Evicted: ${short(pod.status?.message)}` : 'deleted by the taint manager (node unreachable), still Terminating'}`,
      ] });
    }
    const found = byWorkload(s, 'evicted', hits, (w, hs) => ({
      severity: 'medium', summary: `${w.kind} ${w.name}: ${hs.length} pod${hs.length === 1 ? '' : 's'} evicted from ${[...new Set(hs.map((h) => h.pod.spec?.nodeName ?? '?'))].join(', ')}`,
    }));
    // The nodes the pods were on: a node-unhealthy finding there is the root cause.
    for (const f of found) {
      const nodes = new Set(hits.filter((h) => f.covers?.includes(refKey({ kind: 'Pod', namespace: h.pod.metadata.namespace, name: h.pod.metadata.name }))).map((h) => h.pod.spec?.nodeName).filter(Boolean));
      f.dependsOn = [...nodes].map((n) => refKey({ kind: 'Node', name: n as string }));
    }
    return found;
  },
};
