import type { KubeObject } from '../../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import { byWorkload, containers, eventLines, isTerminating, share, sevAll, short, type Analyzer, type PodHit } from './common.js';

/** ConfigMaps/Secrets (and keys) the pod spec needs that do not exist. */
export function missingRefs(s: Snapshot, ns: string | undefined, spec: KubeObject | undefined): string[] {
  if (!spec) return [];
  const out: string[] = [];
  const cm = (name: string, key?: string, optional?: boolean) => {
    if (optional || !s.has('configmaps')) return;
    const o = s.get('configmaps', ns, name);
    if (!o) out.push(`ConfigMap ${name}`);
    else if (key && !(key in (o.data ?? {})) && !(key in (o.binaryData ?? {}))) out.push(`key ${key} in ConfigMap ${name}`);
  };
  const sec = (name: string, key?: string, optional?: boolean) => {
    if (optional || !s.has('secrets')) return;
    const o = s.get('secrets', ns, name);
    if (!o) out.push(`Secret ${name}`);
    else if (key && !(key in (o.data ?? {})) && !(key in (o.stringData ?? {}))) out.push(`key ${key} in Secret ${name}`);
  };
  for (const v of (spec.volumes ?? []) as KubeObject[]) {
    if (v.configMap?.name) cm(v.configMap.name, undefined, v.configMap.optional);
    if (v.secret?.secretName) sec(v.secret.secretName, undefined, v.secret.optional);
    for (const src of (v.projected?.sources ?? []) as KubeObject[]) {
      if (src.configMap?.name && src.configMap.name !== 'kube-root-ca.crt') cm(src.configMap.name, undefined, src.configMap.optional);
      if (src.secret?.name) sec(src.secret.name, undefined, src.secret.optional);
    }
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as KubeObject[]) {
    for (const e of (c.envFrom ?? []) as KubeObject[]) {
      if (e.configMapRef?.name) cm(e.configMapRef.name, undefined, e.configMapRef.optional);
      if (e.secretRef?.name) sec(e.secretRef.name, undefined, e.secretRef.optional);
    }
    for (const e of (c.env ?? []) as KubeObject[]) {
      const r = e.valueFrom;
      if (r?.configMapKeyRef?.name) cm(r.configMapKeyRef.name, r.configMapKeyRef.key, r.configMapKeyRef.optional);
      if (r?.secretKeyRef?.name) sec(r.secretKeyRef.name, r.secretKeyRef.key, r.secretKeyRef.optional);
    }
  }
  return [...new Set(out)];
}

export const missingConfig: Analyzer = {
  category: 'missing-config',
  explain: 'A pod cannot start because a ConfigMap or Secret it mounts or reads into env (or a key in one) does not exist: ContainerCreating '
    + 'with FailedMount events, or CreateContainerConfigError. The rule reads the pod spec against the cached ConfigMaps/Secrets and names the '
    + 'missing object; the workload is named as the object to fix (correct the reference, or create the ConfigMap/Secret it expects).',
  analyze(s) {
    const hits: PodHit[] = [];
    for (const pod of s.troubledPods()) {
      if (isTerminating(pod) || pod.status?.phase !== 'Pending') continue;
      const stuck = containers(pod).find((c) => /^(CreateContainerConfigError|ContainerCreating|PodInitializing)$/.test(c.status?.state?.waiting?.reason ?? '') || !c.status);
      if (!stuck) continue;
      const missing = missingRefs(s, pod.metadata.namespace, pod.spec);
      const mount = eventLines(s, 'Pod', pod.metadata.namespace, pod.metadata.name, /^(FailedMount|Failed)$/, 1).filter((l) => /not found|couldn't find key/i.test(l));
      const waitMsg = stuck.status?.state?.waiting?.reason === 'CreateContainerConfigError' ? stuck.status.state.waiting.message : undefined;
      if (!missing.length && !mount.length && !waitMsg) continue;
      hits.push({ pod, since: pod.metadata.creationTimestamp, evidence: [
        ...(missing.length ? [`missing: ${missing.join(', ')}`] : []),
        `pod ${pod.metadata.name} container ${stuck.name}: ${stuck.status?.state?.waiting?.reason ?? 'not started'}${waitMsg ? `: ${short(waitMsg)}` : ''}`,
        ...mount,
      ] });
    }
    return byWorkload(s, 'missing-config', hits, (w, hs, total) => {
      const m = hs.map((h) => h.evidence[0]!).find((e) => e.startsWith('missing: '))?.slice(9);
      return {
        severity: sevAll(hs.length, total, 'critical', 'high'),
        summary: `${w.kind} ${w.name} cannot start: ${m ? `${m} not found` : 'a ConfigMap/Secret it needs is missing'} (${share(hs.length, total)})`,
        related: m ? m.split(', ').map((x) => x.replace(/^key \S+ in /, '')).map((x) => ({ kind: x.split(' ')[0]!, namespace: w.namespace, name: x.split(' ')[1]! })) : undefined,
      };
    });
  },
};
