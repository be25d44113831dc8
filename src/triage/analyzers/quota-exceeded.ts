import type { KubeObject } from '../../kube/types.js';
import { parseCpu, parseMemory } from '../../kube/metrics.js';
import { refKey, type Finding, type ObjectRef } from '../types.js';
import { short, type Analyzer } from './common.js';

function amount(resource: string, v: unknown): number {
  if (/cpu/.test(resource)) return parseCpu(v as string);
  if (/memory|storage/.test(resource)) return parseMemory(v as string);
  return Number(v);
}

const CREATORS: Array<[string, string]> = [['ReplicaSet', 'replicasets'], ['StatefulSet', 'statefulsets'], ['DaemonSet', 'daemonsets'], ['Job', 'jobs']];

export const quotaExceeded: Analyzer = {
  category: 'quota-exceeded',
  explain: 'A ResourceQuota is used up: the controllers\' pod creations are refused ("exceeded quota" in FailedCreate events) and workloads run '
    + 'short of replicas. The rule names the quota and lists the workloads it blocks; raise the quota or lower the workloads\' requests. A quota '
    + 'at 100% with nothing blocked yet is reported as low severity.',
  analyze(s) {
    const out: Finding[] = [];
    const blocked = new Map<string, { ref: ObjectRef; msg: string }[]>();
    for (const [kind, key] of CREATORS) {
      for (const o of s.all(key)) {
        const ev = s.warnings(kind, o.metadata.namespace, o.metadata.name, /^FailedCreate$/).filter((e) => /exceeded quota/.test(e.message ?? '')).at(-1);
        if (!ev) continue;
        const q = /exceeded quota: ([^,\s]+)/.exec(ev.message)?.[1] ?? '?';
        const k = `${o.metadata.namespace}/${q}`;
        const ref = s.workloadOf(o, kind);
        (blocked.get(k) ?? blocked.set(k, []).get(k)!).push({ ref, msg: ev.message });
      }
    }
    for (const q of s.all('resourcequotas')) {
      const hard = (q.status?.hard ?? q.spec?.hard ?? {}) as Record<string, string>;
      const used = (q.status?.used ?? {}) as Record<string, string>;
      const full = Object.keys(hard).filter((r) => used[r] !== undefined && amount(r, used[r]) >= amount(r, hard[r]));
      const b = blocked.get(`${q.metadata.namespace}/${q.metadata.name}`) ?? [];
      blocked.delete(`${q.metadata.namespace}/${q.metadata.name}`);
      if (!full.length && !b.length) continue;
      const ref = { kind: 'ResourceQuota', namespace: q.metadata.namespace, name: q.metadata.name };
      out.push({
        category: 'quota-exceeded', severity: b.length ? 'high' : 'low', object: ref,
        summary: b.length ? `ResourceQuota ${q.metadata.name} is exhausted: ${b.map((x) => `${x.ref.kind} ${x.ref.name}`).join(', ')} cannot create pods`
          : `ResourceQuota ${q.metadata.name} is at its limit for ${full.join(', ')}`,
        evidence: [...Object.keys(hard).map((r) => `${r}: used ${used[r] ?? '?'} of ${hard[r]}`), ...b.slice(0, 2).map((x) => `event FailedCreate on ${x.ref.kind} ${x.ref.name}: ${short(x.msg)}`)],
        symptoms: [], covers: [refKey(ref), ...b.map((x) => refKey(x.ref))], related: b.map((x) => x.ref),
      });
    }
    // Quota refusals whose quota object we cannot see: name the workload.
    for (const list of blocked.values()) {
      for (const x of list) {
        out.push({ category: 'quota-exceeded', severity: 'high', object: x.ref, summary: `${x.ref.kind} ${x.ref.name} cannot create pods: quota exceeded`, evidence: [`event FailedCreate: ${short(x.msg)}`], symptoms: [], covers: [refKey(x.ref)] });
      }
    }
    return out;
  },
};
