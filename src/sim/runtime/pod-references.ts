/**
 * What a pod refers to that must exist before its containers can run, checked as the kubelet does and
 * worded as it words them: volumes from ConfigMaps/Secrets (FailedMount), env from Secret/ConfigMap keys
 * (CreateContainerConfigError), and the registries its image pull secrets hold credentials for.
 */
import type { GroupResource, KObj } from '../types.js';
import { GR } from '../controllers/util.js';

/** A read of the store (no copy). */
export type Peek = (gr: GroupResource, ns: string | undefined, name: string) => KObj | undefined;

export function missingVolume(peek: Peek, pod: KObj): string | undefined {
  const ns = pod.metadata.namespace;
  for (const v of (pod.spec?.volumes ?? []) as KObj[]) {
    if (v.configMap?.name && !v.configMap.optional && !peek(GR.configmaps, ns, v.configMap.name)) {
      return `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found`;
    }
    if (v.secret?.secretName && !v.secret.optional && !peek(GR.secrets, ns, v.secret.secretName)) {
      return `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found`;
    }
  }
  return undefined;
}

/** Registries the pod's imagePullSecrets (and its ServiceAccount's) hold credentials for. */
export function pullSecretHosts(peek: Peek, pod: KObj): string[] {
  const ns = pod.metadata.namespace;
  const names = ((pod.spec?.imagePullSecrets ?? []) as KObj[]).map((r) => r.name as string);
  const sa = peek(GR.serviceaccounts, ns, pod.spec?.serviceAccountName ?? 'default');
  for (const r of (sa?.imagePullSecrets ?? []) as KObj[]) names.push(r.name);
  const hosts: string[] = [];
  for (const name of names) {
    const secret = peek(GR.secrets, ns, name);
    const raw = secret?.data?.['.dockerconfigjson'] ?? secret?.data?.['.dockercfg'];
    if (!raw) continue;
    try {
      const cfg = JSON.parse(Buffer.from(String(raw), 'base64').toString('utf8')) as { auths?: Record<string, unknown> } & Record<string, unknown>;
      hosts.push(...Object.keys(cfg.auths ?? cfg));
    } catch { /* a broken secret gives no credentials */ }
  }
  return hosts;
}

/** Why the container's config cannot be built (env from a missing Secret/ConfigMap or key), as kubelet words it. */
export function configError(peek: Peek, ns: string, container: KObj): string | undefined {
  const refs: Array<{ kind: 'Secret' | 'ConfigMap'; name: string; key?: string; optional?: boolean }> = [];
  for (const e of (container.env ?? []) as KObj[]) {
    const s = e.valueFrom?.secretKeyRef;
    const m = e.valueFrom?.configMapKeyRef;
    if (s?.name) refs.push({ kind: 'Secret', name: s.name, key: s.key, optional: s.optional });
    if (m?.name) refs.push({ kind: 'ConfigMap', name: m.name, key: m.key, optional: m.optional });
  }
  for (const f of (container.envFrom ?? []) as KObj[]) {
    if (f.secretRef?.name) refs.push({ kind: 'Secret', name: f.secretRef.name, optional: f.secretRef.optional });
    if (f.configMapRef?.name) refs.push({ kind: 'ConfigMap', name: f.configMapRef.name, optional: f.configMapRef.optional });
  }
  for (const r of refs) {
    if (r.optional) continue;
    const o = peek(r.kind === 'Secret' ? GR.secrets : GR.configmaps, ns, r.name);
    if (!o) return `${r.kind === 'Secret' ? 'secret' : 'configmap'} "${r.name}" not found`;
    if (r.key && !(r.key in (o.data ?? {})) && !(r.key in (o.stringData ?? {})) && !(r.key in (o.binaryData ?? {}))) {
      return `couldn't find key ${r.key} in ${r.kind} ${ns}/${r.name}`;
    }
  }
  return undefined;
}
