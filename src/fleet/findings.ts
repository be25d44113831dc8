/**
 * A context's top findings from the triage analyzers (src/triage), run over what the fleet
 * watches there (nodes and pods): root causes first, as `kai-tui diagnose` ranks them.
 */
import type { KubeObject } from '../kube/types.js';
import { analyze } from '../triage/diagnose.js';
import { Snapshot } from '../triage/snapshot.js';
import type { Finding } from './summary.js';

export function triageFindings(objects: { nodes: Iterable<KubeObject>; pods: Iterable<KubeObject> }, limit = 3): Finding[] {
  const found = analyze(new Snapshot({ objects: { nodes: objects.nodes, pods: objects.pods } }));
  return found.filter((f) => f.object.kind !== 'Analyzer').slice(0, limit).map((f) => ({
    severity: f.severity === 'critical' || f.severity === 'high' ? 'error' : 'warning',
    title: f.category,
    object: [f.object.kind.toLowerCase(), f.object.namespace, f.object.name].filter(Boolean).join('/'),
    summary: f.summary,
    source: 'triage',
  }));
}
