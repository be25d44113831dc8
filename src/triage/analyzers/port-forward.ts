/**
 * Trouble a port-forward of the cockpit measured (5xx bursts, resets, timeouts, slow first bytes — the
 * proxy's issues, src/kube/forward-issues.ts) as findings on the workload behind the forward. Ranked last:
 * when the pods behind it crash, are OOM-killed or the Service has no endpoints, that is the root cause and
 * the forward's trouble is listed beneath it as a symptom.
 */
import type { Snapshot } from '../snapshot.js';
import { refKey, type Finding, type ForwardSignal, type ObjectRef } from '../types.js';
import { plural, short, type Analyzer } from './common.js';

function objectOf(s: Snapshot, f: ForwardSignal): { object: ObjectRef; dependsOn: string[] } {
  const pod = f.pod ? s.get('pods', f.namespace, f.pod) : undefined;
  const svc: ObjectRef | undefined = f.kind === 'service' ? { kind: 'Service', namespace: f.namespace, name: f.name } : undefined;
  const podRef: ObjectRef | undefined = f.pod ? { kind: 'Pod', namespace: f.namespace, name: f.pod } : undefined;
  const workload = pod ? s.workloadOf(pod) : undefined;
  // The object a person would look at: the workload serving the traffic, else what was forwarded.
  const object = workload ?? svc ?? podRef ?? { kind: 'Pod', namespace: f.namespace, name: f.name };
  const dependsOn = [workload, podRef, svc].filter((r): r is ObjectRef => Boolean(r)).map(refKey);
  return { object, dependsOn };
}

export const portForward: Analyzer = {
  category: 'port-forward',
  explain: 'What a port-forward opened in the cockpit measured: bursts of 5xx answers, connections reset, requests or streams '
    + 'that timed out, answers slow to start (thresholds in docs/port-forward.md). The finding names the workload serving the '
    + 'forwarded port. When the same pods have a fault of their own (crash loop, OOM kill, no endpoints…), that fault is the '
    + 'root cause and this is listed as its symptom. Only the cockpit sees forwards: `kai-tui diagnose` does not report this.',
  analyze(s) {
    const out: Finding[] = [];
    for (const f of s.forwards) {
      const active = f.issues.filter((i) => i.active);
      if (!active.length) continue;
      const { object, dependsOn } = objectOf(s, f);
      const errors = active.filter((i) => i.severity === 'error').length;
      out.push({
        category: 'port-forward',
        severity: errors ? 'high' : 'medium',
        object,
        summary: `through port-forward ${f.label}: ${short(active[0]!.message, 120)}${active.length > 1 ? ` (+${plural(active.length - 1, 'more issue')})` : ''}`,
        evidence: active.flatMap((i) => [`port-forward ${f.label}: ${short(i.message)} (since ${i.firstSeen})`, ...(i.context ? [`  ${short(i.context)}`] : [])]).slice(0, 12),
        symptoms: [],
        covers: [`PortForward/${f.namespace}/${f.label}`],
        dependsOn,
        since: active.map((i) => i.firstSeen).sort()[0],
      });
    }
    return out;
  },
};
