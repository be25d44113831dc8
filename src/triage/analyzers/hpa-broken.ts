import type { KubeObject } from '../../kube/types.js';
import { refKey, type Finding, type ObjectRef } from '../types.js';
import { short, type Analyzer } from './common.js';
import { KIND_KEYS } from '../snapshot.js';

export const hpaBroken: Analyzer = {
  category: 'hpa-broken',
  explain: 'A HorizontalPodAutoscaler cannot scale: its scaleTargetRef names a workload that does not exist (AbleToScale=False, FailedGetScale), '
    + 'or it cannot read its metric (ScalingActive=False, e.g. FailedGetResourceMetric). A Utilization target on a container without a resource '
    + 'request can never be computed: then the workload\'s pod template (the missing request) is the object to fix.',
  analyze(s) {
    const out: Finding[] = [];
    for (const hpa of s.all('horizontalpodautoscalers')) {
      const ns = hpa.metadata.namespace;
      const t = hpa.spec?.scaleTargetRef ?? {};
      const href = { kind: 'HorizontalPodAutoscaler', namespace: ns, name: hpa.metadata.name };
      const key = KIND_KEYS[t.kind];
      const target = key ? s.get(key, ns, t.name) : undefined;
      const conds = (hpa.status?.conditions ?? []) as KubeObject[];
      const bad = conds.filter((c) => (c.type === 'AbleToScale' || c.type === 'ScalingActive') && c.status === 'False');
      const evidence = bad.map((c) => `condition ${c.type}=False (${c.reason}): ${short(c.message)}`);
      let object: ObjectRef = href;
      let summary: string | undefined;
      if (key && s.has(key) && !target) summary = `HPA ${hpa.metadata.name} targets ${t.kind} ${t.name}, which does not exist`;
      else if (target) {
        const util = ((hpa.spec?.metrics ?? []) as KubeObject[]).filter((m) => m.type === 'Resource' && m.resource?.target?.type === 'Utilization').map((m) => m.resource.name as string);
        const tpl = (t.kind === 'Pod' ? target.spec : target.spec?.template?.spec) ?? {};
        const missing = util.flatMap((r) => ((tpl.containers ?? []) as KubeObject[]).filter((c) => !c.resources?.requests?.[r]).map((c) => `${r} request in container ${c.name}`));
        if (missing.length) {
          object = { kind: t.kind, namespace: ns, name: t.name };
          summary = `HPA ${hpa.metadata.name} cannot compute utilization: ${t.kind} ${t.name} has no ${missing[0]}`;
          evidence.unshift(`metrics: ${util.map((r) => `${r} Utilization`).join(', ')}; missing ${missing.join(', ')}`);
        } else if (bad.length) summary = `HPA ${hpa.metadata.name} cannot scale: ${bad[0]!.reason}`;
      } else if (bad.length) summary = `HPA ${hpa.metadata.name} cannot scale: ${bad[0]!.reason}`;
      if (!summary) continue;
      out.push({
        category: 'hpa-broken', severity: 'medium', object, summary, evidence, symptoms: [],
        covers: [refKey(object), refKey(href)], related: object === href ? undefined : [href], since: bad[0]?.lastTransitionTime,
      });
    }
    return out;
  },
};
