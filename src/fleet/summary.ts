/**
 * One context's health in a few numbers — the row of the fleet view and of `kai-tui fleet`.
 * Pure functions of what the context's informers hold (nodes, pods) and of its node metrics.
 */
import type { KubeObject } from '../kube/types.js';
import { parseCpu, parseMemory } from '../kube/metrics.js';
// Pure functions of a pod (kubectl's STATUS logic), shared with the pod table.
import { cachedSummary, podHealth } from '../ui/columns/pods.js';
import { nodeStatus } from '../ui/columns/core.js';

export type ContextState = 'ok' | 'connecting' | 'unreachable' | 'forbidden';

export interface Finding {
  severity: 'error' | 'warning';
  /** What is wrong, e.g. "CrashLoopBackOff" or "node NotReady". */
  title: string;
  /** The object, kind/namespace/name. */
  object: string;
  /** One line: what the analyzer concluded (triage findings). */
  summary?: string;
  /** Where the finding comes from: the triage analyzers, or the objects' own status. */
  source: 'triage' | 'status';
}

export interface ContextSummary {
  context: string;
  cluster: string;
  server: string;
  state: ContextState;
  /** Why it is unreachable or forbidden (one line). */
  message?: string;
  /** API latency of the last /version probe. */
  latencyMs?: number;
  /** The server's gitVersion. */
  version?: string;
  nodes?: { total: number; ready: number };
  /** Pods by health: running and ready / starting or not ready / failing / completed. */
  pods?: { total: number; healthy: number; warning: number; failing: number; completed: number };
  /** Node usage against allocatable (metrics.k8s.io); absent without metrics-server. */
  usage?: { cpuPct: number; memPct: number; cpuMilli: number; memBytes: number };
  findings: Finding[];
}

export function countNodes(nodes: Iterable<KubeObject>): { total: number; ready: number } {
  let total = 0, ready = 0;
  for (const n of nodes) {
    total++;
    if (nodeStatus(n).startsWith('Ready')) ready++;
  }
  return { total, ready };
}

export function countPods(pods: Iterable<KubeObject>): NonNullable<ContextSummary['pods']> {
  const c = { total: 0, healthy: 0, warning: 0, failing: 0, completed: 0 };
  for (const p of pods) {
    c.total++;
    const h = podHealth(p);
    if (h === 'ok') c.healthy++;
    else if (h === 'warn') c.warning++;
    else if (h === 'error') c.failing++;
    else c.completed++;
  }
  return c;
}

interface NodeMetric { metadata: { name: string }; usage?: { cpu?: string; memory?: string } }

/** Summed node usage against summed allocatable of the nodes that report metrics. */
export function nodeUsage(metrics: NodeMetric[], nodes: ReadonlyMap<string, KubeObject> | Iterable<KubeObject>): ContextSummary['usage'] {
  const byName = new Map<string, KubeObject>();
  for (const n of nodes instanceof Map ? nodes.values() : (nodes as Iterable<KubeObject>)) byName.set(n.metadata.name, n);
  let cpu = 0, mem = 0, aCpu = 0, aMem = 0;
  for (const m of metrics) {
    const alloc = byName.get(m.metadata.name)?.status?.allocatable as Record<string, string> | undefined;
    if (!alloc) continue;
    cpu += parseCpu(m.usage?.cpu);
    mem += parseMemory(m.usage?.memory);
    aCpu += parseCpu(alloc.cpu);
    aMem += parseMemory(alloc.memory);
  }
  if (!aCpu || !aMem) return undefined;
  return { cpuPct: Math.round((cpu / aCpu) * 100), memPct: Math.round((mem / aMem) * 100), cpuMilli: Math.round(cpu), memBytes: Math.round(mem) };
}

const NODE_PROBLEMS: Record<string, string> = { MemoryPressure: 'MemoryPressure', DiskPressure: 'DiskPressure', PIDPressure: 'PIDPressure' };

/**
 * What the objects' own status says is wrong (failing pods by reason, nodes not Ready or under
 * pressure), worst first, at most `limit`: the fallback when the triage analyzers fail.
 */
export function statusFindings(nodes: Iterable<KubeObject>, pods: Iterable<KubeObject>, limit = 3): Finding[] {
  const out: Finding[] = [];
  for (const n of nodes) {
    if (!nodeStatus(n).startsWith('Ready')) out.push({ severity: 'error', title: 'node NotReady', object: `node/${n.metadata.name}`, source: 'status' });
    for (const c of (n.status?.conditions ?? []) as Array<{ type: string; status: string }>) {
      if (NODE_PROBLEMS[c.type] && c.status === 'True') out.push({ severity: 'warning', title: `node ${c.type}`, object: `node/${n.metadata.name}`, source: 'status' });
    }
  }
  for (const p of pods) {
    const h = podHealth(p);
    if (h !== 'error' && !(h === 'warn' && cachedSummary(p).status === 'Pending')) continue;
    out.push({ severity: h === 'error' ? 'error' : 'warning', title: cachedSummary(p).status, object: `pod/${p.metadata.namespace}/${p.metadata.name}`, source: 'status' });
  }
  out.sort((a, b) => (a.severity === b.severity ? a.object.localeCompare(b.object) : a.severity === 'error' ? -1 : 1));
  return out.slice(0, limit);
}

/** "2 failing: CrashLoopBackOff pod/apps/checkout-…" style one-liner for a table cell. */
export function findingsText(f: Finding[]): string {
  if (!f.length) return '';
  return f.map((x) => `${x.title} ${x.object.replace(/^pod\//, '')}`).join('; ');
}
