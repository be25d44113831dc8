import type { KubeObject } from '../../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import { refKey, type Finding } from '../types.js';
import { podRef, type Analyzer } from './common.js';

/** Ready addresses in a Service's Endpoints (undefined when there is no Endpoints object yet). */
export function readyAddresses(s: Snapshot, svc: KubeObject): number | undefined {
  const ep = s.get('endpoints', svc.metadata.namespace, svc.metadata.name);
  if (!ep) return undefined;
  return ((ep.subsets ?? []) as KubeObject[]).reduce((n, ss) => n + (ss.addresses?.length ?? 0), 0);
}

/** Workloads whose pod labels share the selector's keys but not its values ("did you mean"). */
function nearMisses(s: Snapshot, svc: KubeObject): string[] {
  const sel = svc.spec.selector as Record<string, string>;
  const seen = new Set<string>();
  for (const p of s.inNamespace('pods', svc.metadata.namespace)) {
    const l = p.metadata.labels ?? {};
    if (Object.keys(sel).some((k) => k in l)) seen.add(Object.keys(sel).map((k) => `${k}=${l[k] ?? '∅'}`).join(','));
  }
  return [...seen].slice(0, 4);
}

export const noEndpoints: Analyzer = {
  category: 'no-endpoints',
  explain: 'A Service with a selector has no ready endpoints, so connections to it fail. When its selector matches no pod at all, the Service '
    + '(its selector) or a workload that was never deployed is the fault. When it selects pods that are not ready, those pods\' own fault '
    + '(crash loop, unschedulable, failing probe …) is the root cause and this finding is listed beneath it as a symptom.',
  analyze(s) {
    const out: Finding[] = [];
    for (const svc of s.all('services')) {
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      if (!sel || !Object.keys(sel).length || svc.spec?.type === 'ExternalName') continue;
      const ready = readyAddresses(s, svc);
      if (ready === undefined || ready > 0) continue;
      const ref = { kind: 'Service', namespace: svc.metadata.namespace, name: svc.metadata.name };
      const selStr = Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
      const pods = s.podsForService(svc).filter((p) => !p.metadata.deletionTimestamp);
      if (!pods.length) {
        const near = nearMisses(s, svc);
        // A workload whose template matches but that has no pods (refused by admission, scaled to 0) is the root cause.
        const templated = (['deployments', 'statefulsets', 'daemonsets'] as const).flatMap((key) => s.inNamespace(key, svc.metadata.namespace)
          .filter((o) => Object.entries(sel).every(([k, v]) => o.spec?.template?.metadata?.labels?.[k] === v))
          .map((o) => ({ kind: String(o.kind ?? ({ deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet' } as const)[key]), namespace: o.metadata.namespace, name: o.metadata.name, replicas: o.spec?.replicas })));
        out.push({
          category: 'no-endpoints', severity: 'high', object: ref,
          summary: `Service ${svc.metadata.name} has no endpoints: its selector ${selStr} matches no pod`,
          evidence: [`selector ${selStr}; 0 pods in ${svc.metadata.namespace} match`, ...(near.length ? [`pods there are labelled ${near.join('; ')}`] : []),
            ...templated.map((w) => `${w.kind} ${w.name} (replicas ${w.replicas ?? 1}) has matching template labels but no pods`)],
          symptoms: [], covers: [refKey(ref)], dependsOn: templated.map((w) => refKey({ kind: w.kind, namespace: w.namespace, name: w.name })),
        });
        continue;
      }
      const workloads = [...new Map(pods.map((p) => { const w = s.workloadOf(p); return [refKey(w), w]; })).values()];
      out.push({
        category: 'no-endpoints', severity: 'high', object: ref,
        summary: `Service ${svc.metadata.name} has no ready endpoints: ${pods.length} selected pod${pods.length === 1 ? ' is' : 's are'} not ready`,
        evidence: [`selector ${selStr} matches ${pods.map((p) => `${p.metadata.name} (${p.status?.phase ?? '?'})`).slice(0, 4).join(', ')}`],
        symptoms: [], covers: [refKey(ref)],
        dependsOn: [...pods.map((p) => refKey(podRef(p))), ...workloads.map(refKey)],
        related: workloads,
      });
    }
    return out;
  },
};
