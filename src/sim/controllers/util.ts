/** Small helpers shared by the controllers: selectors, owner references, names, pod readiness. */
import { createHash, randomInt } from 'node:crypto';
import type { GroupResource, KObj, OwnerReference } from '../types.js';

export const GR = {
  pods: { group: '', resource: 'pods' },
  nodes: { group: '', resource: 'nodes' },
  namespaces: { group: '', resource: 'namespaces' },
  services: { group: '', resource: 'services' },
  endpoints: { group: '', resource: 'endpoints' },
  events: { group: '', resource: 'events' },
  pvcs: { group: '', resource: 'persistentvolumeclaims' },
  serviceaccounts: { group: '', resource: 'serviceaccounts' },
  configmaps: { group: '', resource: 'configmaps' },
  secrets: { group: '', resource: 'secrets' },
  endpointslices: { group: 'discovery.k8s.io', resource: 'endpointslices' },
  deployments: { group: 'apps', resource: 'deployments' },
  replicasets: { group: 'apps', resource: 'replicasets' },
  statefulsets: { group: 'apps', resource: 'statefulsets' },
  daemonsets: { group: 'apps', resource: 'daemonsets' },
  controllerrevisions: { group: 'apps', resource: 'controllerrevisions' },
  jobs: { group: 'batch', resource: 'jobs' },
  cronjobs: { group: 'batch', resource: 'cronjobs' },
  hpas: { group: 'autoscaling', resource: 'horizontalpodautoscalers' },
  pdbs: { group: 'policy', resource: 'poddisruptionbudgets' },
} satisfies Record<string, GroupResource>;

export const nowIso = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
/** Like apimachinery's rand.String: consonants and digits that cannot spell words. */
export function randSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** A stable short hash of a pod template, spelled with the same alphabet as the real pod-template-hash. */
export function templateHash(template: unknown, collisionCount = 0): string {
  const h = createHash('sha256').update(JSON.stringify(template ?? {})).update(String(collisionCount)).digest();
  let s = '';
  for (let i = 0; i < 10; i++) s += ALNUM[h[i]! % ALNUM.length];
  return s;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** metav1.LabelSelector semantics: an empty selector matches everything, a missing one nothing. */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(l[e.key]!)) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(l[e.key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A plain map selector (Service.spec.selector): empty/missing matches nothing. */
export function mapSelectorMatches(sel: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel || Object.keys(sel).length === 0) return false;
  const l = labels ?? {};
  return Object.entries(sel).every(([k, v]) => l[k] === v);
}

/** The label-selector string form, as Scale.status.selector and kubectl show it. */
export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export function ownerRef(owner: KObj, blockOwnerDeletion = true): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion };
}

export function controllerOf(o: KObj): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export const isTerminating = (o: KObj): boolean => !!o.metadata.deletionTimestamp;

export function podCondition(pod: KObj, type: string): KObj | undefined {
  return (pod.status?.conditions as KObj[] | undefined)?.find((c) => c.type === type);
}

export function isPodReady(pod: KObj): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds (what "available" means for workloads). */
export function isPodAvailable(pod: KObj, minReadySeconds: number, now = Date.now()): boolean {
  if (!isPodReady(pod) || isTerminating(pod)) return false;
  if (!minReadySeconds) return true;
  const c = podCondition(pod, 'Ready');
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
  return now - t >= minReadySeconds * 1000;
}

export const isPodActive = (pod: KObj): boolean =>
  !isTerminating(pod) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** A pod built from a template, as the real controllers do (labels/annotations copied, owner set). */
export function podFromTemplate(template: KObj, owner: KObj, name: { name?: string; generateName?: string }, extraLabels: Record<string, string> = {}): KObj {
  const t = structuredClone(template ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...name,
      namespace: owner.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), ...extraLabels },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec: t.spec ?? { containers: [] },
  };
}

/** Resolves maxSurge/maxUnavailable (int or "25%") against a replica count. */
export function intOrPercent(v: number | string | undefined, total: number, def: string, roundUp: boolean): number {
  const x = v ?? def;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) return Number(x) || 0;
  const f = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(f) : Math.floor(f);
}

/** Parses a CPU quantity into millicores. */
export function parseCpu(q: string | number | undefined): number {
  if (q === undefined || q === null || q === '') return 0;
  const s = String(q);
  if (s.endsWith('m')) return Number(s.slice(0, -1)) || 0;
  return Math.round((Number(s) || 0) * 1000);
}

const MEM_SUFFIX: Record<string, number> = {
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5,
  k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, m: 1e-3,
};
/** Parses a memory quantity into bytes. */
export function parseMemory(q: string | number | undefined): number {
  if (q === undefined || q === null || q === '') return 0;
  const m = /^([0-9.]+)(e\d+)?([A-Za-z]*)$/.exec(String(q));
  if (!m) return 0;
  const base = Number(m[1] + (m[2] ?? ''));
  return Math.round(base * (m[3] ? MEM_SUFFIX[m[3]] ?? 1 : 1));
}

export function formatMemory(bytes: number): string {
  if (bytes % 1024 ** 3 === 0 && bytes >= 1024 ** 3) return `${bytes / 1024 ** 3}Gi`;
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}Mi`;
  return `${Math.round(bytes / 1024)}Ki`;
}

/** Sum of container requests (cpu milli, memory bytes) of a pod; init containers count at their max. */
export function podRequests(pod: KObj): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of (pod.spec?.containers ?? []) as KObj[]) {
    cpu += parseCpu(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
    memory += parseMemory(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
  }
  for (const c of (pod.spec?.initContainers ?? []) as KObj[]) {
    cpu = Math.max(cpu, parseCpu(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu));
    memory = Math.max(memory, parseMemory(c.resources?.requests?.memory ?? c.resources?.limits?.memory));
  }
  return { cpu, memory };
}

/** Parses durations like "5s", "2m", "1h30m", "500ms" into milliseconds. */
export function parseDuration(s: string | undefined, def: number): number {
  if (!s) return def;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let found = false;
  for (const m of s.matchAll(re)) {
    found = true;
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
  }
  if (!found && /^\d+$/.test(s)) return Number(s) * 1000;
  return found ? total : def;
}

export function setCondition(conds: KObj[], c: { type: string; status: string; reason?: string; message?: string }, now = nowIso(), withUpdateTime = false): KObj[] {
  const out = conds.filter((x) => x.type !== c.type);
  const prev = conds.find((x) => x.type === c.type);
  const same = prev && prev.status === c.status;
  const sameAll = same && prev.reason === c.reason && prev.message === c.message;
  const next: KObj = {
    type: c.type,
    status: c.status,
    ...(withUpdateTime ? { lastUpdateTime: sameAll ? prev.lastUpdateTime ?? now : now } : {}),
    lastTransitionTime: same ? prev.lastTransitionTime ?? now : now,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
  } as unknown as KObj;
  const idx = conds.findIndex((x) => x.type === c.type);
  if (idx >= 0) out.splice(idx, 0, next);
  else out.push(next);
  return out;
}

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
