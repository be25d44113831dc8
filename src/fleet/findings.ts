/**
 * A context's top findings from the triage analyzers (src/triage), run over what the fleet
 * watches there (nodes and pods): root causes first, as `kai-tui diagnose` ranks them.
 */
import type { KubeObject } from '../kube/types.js';
import { analyze } from '../triage/diagnose.js';
import { Snapshot } from '../triage/snapshot.js';
import type { Finding } from './summary.js';
import { podHealth } from '../ui/columns/pods.js';

export function triageFindings(objects: { nodes: Iterable<KubeObject>; pods: Iterable<KubeObject> }, limit = 3): Finding[] {
  // The pod analyzers look at pods in trouble: running-and-ready pods are left out, which keeps
  // an analysis of a 2,000-pod cluster well under a millisecond instead of ~50 ms.
  const troubled = [...objects.pods].filter((p) => podHealth(p) !== 'ok');
  const found = analyze(new Snapshot({ objects: { nodes: objects.nodes, pods: troubled } }));
  return found.filter((f) => f.object.kind !== 'Analyzer').slice(0, limit).map((f) => ({
    severity: f.severity === 'critical' || f.severity === 'high' ? 'error' : 'warning',
    title: f.category,
    object: [f.object.kind.toLowerCase(), f.object.namespace, f.object.name].filter(Boolean).join('/'),
    summary: f.summary,
    source: 'triage',
  }));
}
