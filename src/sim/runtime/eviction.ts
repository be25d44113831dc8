/**
 * The kubelet's eviction manager, for nodes under MemoryPressure (set with the node annotation
 * `sim.kai-tui.dev/node-condition: memory-pressure`): every 10 s of simulated time one pod on the
 * node that uses more memory than it requests is evicted — BestEffort first, then Burstable, the
 * biggest excess first; Guaranteed and static pods stay — with the kubelet's reason and message
 * (phase Failed, reason Evicted, an `Evicted` warning event). Its controller replaces it
 * elsewhere (the node is tainted NoSchedule meanwhile). DiskPressure evicts nothing here:
 * containers' ephemeral storage is not modelled.
 */
import type { KObj } from '../types.js';

export const EVICTION_EVERY_MS = 10_000;

export interface EvictionCandidate { key: string; pod: KObj; containers: Array<{ name: string; usageBytes: number; requestBytes: number }> }

export type Pressure = 'memory' | 'ephemeral-storage';

/** The pressure a node reports (its conditions), if any. */
export function pressureOf(node: KObj | undefined): Pressure | undefined {
  const conds = (node?.status?.conditions ?? []) as KObj[];
  if (conds.some((c) => c.type === 'MemoryPressure' && c.status === 'True')) return 'memory';
  return undefined;
}

const qosRank = (pod: KObj) => ({ BestEffort: 0, Burstable: 1, Guaranteed: 2 } as Record<string, number>)[String(pod.status?.qosClass ?? 'BestEffort')] ?? 0;

/** The pod to evict next (kubelet's ranking), or undefined when only Guaranteed pods are left. */
export function nextVictim(candidates: EvictionCandidate[]): EvictionCandidate | undefined {
  const usage = (c: EvictionCandidate) => c.containers.reduce((s, x) => s + Math.max(0, x.usageBytes - x.requestBytes), 0);
  return candidates
    .filter((c) => qosRank(c.pod) < 2 && usage(c) > 0)
    .sort((a, b) => qosRank(a.pod) - qosRank(b.pod) || usage(b) - usage(a))[0];
}

const mi = (b: number) => `${Math.round(b / 2 ** 20)}Mi`;

/** kubelet's eviction message (pkg/kubelet/eviction/helpers.go evictionMessage). */
export function evictionMessage(pressure: Pressure, v: EvictionCandidate): string {
  const threshold = pressure === 'memory' ? 'Threshold quantity: 100Mi, available: 87232Ki. ' : 'Threshold quantity: 10%, available: 7%. ';
  let msg = `The node was low on resource: ${pressure}. ${threshold}`;
  for (const c of v.containers) {
    if (c.usageBytes > c.requestBytes) msg += `Container ${c.name} was using ${mi(c.usageBytes)}, request is ${c.requestBytes ? mi(c.requestBytes) : '0'}, has larger consumption of ${pressure}. `;
  }
  return msg;
}
