/**
 * Scheduler filters beyond resources and taints, with kube-scheduler's own reason texts:
 *   - extended resources (`nvidia.com/gpu`…): requested (limits imply requests) against the
 *     node's allocatable minus what is placed → "Insufficient nvidia.com/gpu";
 *   - required inter-pod affinity and anti-affinity by topologyKey (hostname, zone…), including
 *     the anti-affinity of pods already placed (the InterPodAffinity plugin's three reasons).
 */
import type { KObj } from '../types.js';
import { selectorMatches } from './util.js';

const CORE = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

export const AFFINITY_MISMATCH = "node(s) didn't match pod affinity rules";
export const ANTI_AFFINITY_MISMATCH = "node(s) didn't match pod anti-affinity rules";
export const EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/** Extended resources a pod asks for (containers summed; init containers take the max). */
export function extendedRequests(pod: KObj): Map<string, number> {
  const out = new Map<string, number>();
  const of = (c: KObj) => {
    const m = new Map<string, number>();
    for (const src of [c.resources?.limits ?? {}, c.resources?.requests ?? {}]) {
      for (const [k, v] of Object.entries(src as Record<string, unknown>)) if (!CORE.has(k) && k.includes('/') && !k.startsWith('hugepages-')) m.set(k, Number(v) || 0);
    }
    return m;
  };
  for (const c of (pod.spec?.containers ?? []) as KObj[]) for (const [k, v] of of(c)) out.set(k, (out.get(k) ?? 0) + v);
  for (const c of (pod.spec?.initContainers ?? []) as KObj[]) for (const [k, v] of of(c)) out.set(k, Math.max(out.get(k) ?? 0, v));
  return out;
}

/** "Insufficient X" for each extended resource the node cannot give (after the pods placed on it). */
export function extendedShortfalls(node: KObj, pod: KObj, placed: KObj[]): string[] {
  const want = extendedRequests(pod);
  if (want.size === 0) return [];
  const out: string[] = [];
  for (const [res, n] of want) {
    const cap = Number(node.status?.allocatable?.[res] ?? 0) || 0;
    let used = 0;
    for (const p of placed) used += extendedRequests(p).get(res) ?? 0;
    if (n > 0 && used + n > cap) out.push(`Insufficient ${res}`);
  }
  return out;
}

interface Term { labelSelector?: KObj; topologyKey: string; namespaces?: string[]; namespaceSelector?: KObj }

const required = (pod: KObj, kind: 'podAffinity' | 'podAntiAffinity'): Term[] =>
  (pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Term[];

/** Does `other` fall under `term` of `owner` (its namespaces: the term's, else the owner's own)? */
function termMatches(term: Term, owner: KObj, other: KObj): boolean {
  const namespaces = term.namespaces?.length ? term.namespaces : term.namespaceSelector ? undefined : [owner.metadata.namespace];
  if (namespaces && !namespaces.includes(other.metadata.namespace)) return false;
  return selectorMatches(term.labelSelector as Parameters<typeof selectorMatches>[0], other.metadata.labels);
}

const active = (p: KObj) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/**
 * Why `node` fails the inter-pod (anti-)affinity of `pod` or of the pods already placed, or
 * undefined. `podsOn(node)` gives the pods bound to a node; `nodes` every node (for topology domains).
 */
export function interPodMisfit(node: KObj, pod: KObj, nodes: KObj[], podsOn: (node: string) => KObj[]): string | undefined {
  const affinity = required(pod, 'podAffinity');
  const anti = required(pod, 'podAntiAffinity');
  const sameDomain = (key: string): KObj[] => {
    const value = node.metadata.labels?.[key];
    if (value === undefined) return [];
    return nodes.filter((n) => n.metadata.labels?.[key] === value).flatMap((n) => podsOn(n.metadata.name!).filter(active));
  };
  // In kube-scheduler's order: the pod's affinity, its anti-affinity, then existing pods' anti-affinity.
  for (const term of affinity) {
    if (node.metadata.labels?.[term.topologyKey] === undefined) return AFFINITY_MISMATCH;
    if (sameDomain(term.topologyKey).some((p) => termMatches(term, pod, p))) continue;
    // The first pod of a group that selects itself may go anywhere (as kube-scheduler allows).
    const anywhere = nodes.some((n) => podsOn(n.metadata.name!).filter(active).some((p) => termMatches(term, pod, p)));
    if (!anywhere && termMatches(term, pod, pod)) continue;
    return AFFINITY_MISMATCH;
  }
  for (const term of anti) {
    if (sameDomain(term.topologyKey).some((p) => p.metadata.uid !== pod.metadata.uid && termMatches(term, pod, p))) return ANTI_AFFINITY_MISMATCH;
  }
  // Pods already placed whose own anti-affinity forbids this pod in their domain.
  for (const n of nodes) {
    for (const other of podsOn(n.metadata.name!).filter(active)) {
      for (const term of required(other, 'podAntiAffinity')) {
        const v = n.metadata.labels?.[term.topologyKey];
        if (v !== undefined && node.metadata.labels?.[term.topologyKey] === v && termMatches(term, other, pod)) return EXISTING_ANTI_AFFINITY;
      }
    }
  }
  return undefined;
}
