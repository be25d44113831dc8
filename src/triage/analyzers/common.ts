/** Helpers shared by the analyzers: container states, grouping pods under their workload, text. */
import type { KubeObject } from '../../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import { refKey, type Category, type Finding, type ObjectRef, type Severity } from '../types.js';

export interface Analyzer {
  category: Category;
  /** The rule in plain words: what it looks at, why it names that object, what usually fixes it. */
  explain: string;
  analyze(s: Snapshot): Finding[];
}

export interface ContainerState {
  name: string;
  init: boolean;
  status?: KubeObject;
  spec?: KubeObject;
}

/** Init containers first, then app containers, each with its status (when the kubelet reported one). */
export function containers(pod: KubeObject): ContainerState[] {
  const out: ContainerState[] = [];
  const st = (list: KubeObject[] | undefined, name: string) => list?.find((c) => c.name === name);
  for (const c of (pod.spec?.initContainers ?? []) as KubeObject[]) out.push({ name: c.name, init: true, spec: c, status: st(pod.status?.initContainerStatuses, c.name) });
  for (const c of (pod.spec?.containers ?? []) as KubeObject[]) out.push({ name: c.name, init: false, spec: c, status: st(pod.status?.containerStatuses, c.name) });
  return out;
}

export function podRef(p: KubeObject): ObjectRef {
  return { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name };
}

export const isTerminating = (p: KubeObject): boolean => Boolean(p.metadata.deletionTimestamp);

/** Pods of the analysed namespace (all when no namespace was given). */
export function pods(s: Snapshot): KubeObject[] {
  return s.all('pods');
}

export interface PodHit { pod: KubeObject; evidence: string[]; since?: string }

/**
 * Groups per-pod hits under the workload a person would edit, one finding per workload.
 * `summary` gets the workload, how many of its pods are hit and how many it has.
 */
export function byWorkload(
  s: Snapshot, category: Category, hits: PodHit[],
  make: (w: ObjectRef, hits: PodHit[], total: number) => { severity: Severity; summary: string; evidence?: string[]; related?: ObjectRef[] },
): Finding[] {
  const groups = new Map<string, { ref: ObjectRef; hits: PodHit[] }>();
  for (const h of hits) {
    const ref = s.workloadOf(h.pod);
    const k = refKey(ref);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ref, hits: [] }));
    g.hits.push(h);
  }
  const out: Finding[] = [];
  for (const { ref, hits: hs } of groups.values()) {
    const total = ref.kind === 'Pod' ? 1 : Math.max(s.podsOfWorkload(ref).filter((p) => !isTerminating(p)).length, hs.length);
    const m = make(ref, hs, total);
    const evidence = [...(m.evidence ?? []), ...dedupe(hs.flatMap((h) => h.evidence))].slice(0, 12);
    const since = hs.map((h) => h.since).filter((x): x is string => Boolean(x)).sort()[0];
    out.push({
      category, severity: m.severity, object: ref, summary: m.summary, evidence, symptoms: [],
      covers: [refKey(ref), ...hs.map((h) => refKey(podRef(h.pod))), ...ownerChainKeys(s, hs[0]!.pod)],
      related: m.related, since,
    });
  }
  return out;
}

/** ReplicaSet/Job in between pod and workload: findings on them are the same fault. */
function ownerChainKeys(s: Snapshot, pod: KubeObject): string[] {
  const out: string[] = [];
  const o = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (o) out.push(refKey({ kind: o.kind, namespace: pod.metadata.namespace, name: o.name }));
  void s;
  return out;
}

export function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

/** One line, at most n characters (messages from the cluster can be long). */
export function short(text: unknown, n = 220): string {
  const t = String(text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2/3 pods" style count of hit pods over a workload's pods. */
export function share(hit: number, total: number): string {
  return total > 1 ? `${hit}/${total} pods` : plural(hit, 'pod');
}

/** Warning events of a pod whose reason matches, as evidence lines. */
export function eventLines(s: Snapshot, kind: string, ns: string | undefined, name: string, reason: RegExp, max = 2): string[] {
  return s.warnings(kind, ns, name, reason).slice(-max).map((e) => `event ${e.reason}${e.count > 1 ? ` (×${e.count})` : ''}: ${short(e.message)}`);
}

export function sevAll(hit: number, total: number, whenAll: Severity, otherwise: Severity): Severity {
  return hit >= total ? whenAll : otherwise;
}
