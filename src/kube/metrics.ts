/**
 * Node and pod CPU/memory from metrics.k8s.io (metrics-server). The metrics API has no watch,
 * so it is polled every few seconds; each poll adds a sample to a short per-object history
 * (sparklines) and percentages are computed against node allocatable and pod limits.
 */
import { KubeHttpError, type Transport } from './transport.js';
import type { KubeObject } from './types.js';

/** CPU in millicores from "250m", "1", "123456789n", "5u". */
export function parseCpu(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const s = String(q);
  const m = /^([0-9.]+)([num]?)$/.exec(s);
  if (!m) return 0;
  const v = Number(m[1]);
  return m[2] === 'n' ? v / 1e6 : m[2] === 'u' ? v / 1e3 : m[2] === 'm' ? v : v * 1000;
}

const MEM: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, m: 1e-3 };

/** Memory in bytes from "128Mi", "1G", "1048576", "12345Ki". */
export function parseMemory(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(String(q));
  return m ? Number(m[1]) * (MEM[m[2] ?? ''] ?? 1) : 0;
}

export interface Usage {
  key: string; // node name, or namespace/pod
  name: string;
  namespace?: string;
  cpuMilli: number;
  memBytes: number;
  /** Against node allocatable, or the pod's summed limits (undefined without limits). */
  cpuPct?: number;
  memPct?: number;
  cpuHistory: number[];
  memHistory: number[];
}

export interface MetricsSnapshot {
  nodes: Usage[];
  pods: Usage[];
  at: number;
  /** One line when the metrics API is missing or failing; the last good numbers stay. */
  problem?: string;
}

/** Where allocatable and limits come from (the cockpit's watch caches). */
export interface SpecLookup {
  node(name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
}

interface MetricsItem { metadata: { name: string; namespace?: string }; usage?: { cpu?: string; memory?: string }; containers?: Array<{ usage?: { cpu?: string; memory?: string } }> }

const HISTORY = 40;

export function podLimits(pod: KubeObject | undefined): { cpu?: number; mem?: number } {
  if (!pod) return {};
  let cpu = 0, mem = 0, allCpu = true, allMem = true;
  for (const c of (pod.spec?.containers ?? []) as Array<{ resources?: { limits?: Record<string, string> } }>) {
    const l = c.resources?.limits ?? {};
    if (l.cpu) cpu += parseCpu(l.cpu); else allCpu = false;
    if (l.memory) mem += parseMemory(l.memory); else allMem = false;
  }
  // A container without a limit makes the pod unbounded: no percentage (as kubectl would not either).
  return { cpu: allCpu && cpu > 0 ? cpu : undefined, mem: allMem && mem > 0 ? mem : undefined };
}

export class MetricsPoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly history = new Map<string, { cpu: number[]; mem: number[] }>();
  private snap: MetricsSnapshot = { nodes: [], pods: [], at: 0 };
  private polling = false;
  private stopped = false;
  onChange: (s: MetricsSnapshot) => void = () => {};

  constructor(
    private readonly transport: Transport,
    private readonly specs: SpecLookup,
    /** undefined: all namespaces. */
    public namespace: string | undefined,
    readonly intervalMs = 3000,
  ) {}

  snapshot(): MetricsSnapshot {
    return this.snap;
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      void this.poll().finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(tick, this.intervalMs);
        this.timer.unref();
      });
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private sample(key: string, cpu: number, mem: number): { cpu: number[]; mem: number[] } {
    let h = this.history.get(key);
    if (!h) this.history.set(key, (h = { cpu: [], mem: [] }));
    h.cpu.push(cpu);
    h.mem.push(mem);
    if (h.cpu.length > HISTORY) { h.cpu.shift(); h.mem.shift(); }
    return h;
  }

  async poll(): Promise<MetricsSnapshot> {
    if (this.polling) return this.snap;
    this.polling = true;
    try {
      const base = '/apis/metrics.k8s.io/v1beta1';
      const podsPath = this.namespace ? `${base}/namespaces/${encodeURIComponent(this.namespace)}/pods` : `${base}/pods`;
      const [nodes, pods] = await Promise.all([
        this.transport.json<{ items: MetricsItem[] }>(`${base}/nodes`, { timeoutMs: 10_000 }),
        this.transport.json<{ items: MetricsItem[] }>(podsPath, { timeoutMs: 10_000 }),
      ]);
      const seen = new Set<string>();
      const nodeUsage = nodes.items.map((n): Usage => {
        const cpu = parseCpu(n.usage?.cpu), mem = parseMemory(n.usage?.memory);
        const key = `node:${n.metadata.name}`;
        seen.add(key);
        const h = this.sample(key, cpu, mem);
        const alloc = this.specs.node(n.metadata.name)?.status?.allocatable as Record<string, string> | undefined;
        const aCpu = parseCpu(alloc?.cpu), aMem = parseMemory(alloc?.memory);
        return { key, name: n.metadata.name, cpuMilli: cpu, memBytes: mem, cpuPct: aCpu ? (cpu / aCpu) * 100 : undefined, memPct: aMem ? (mem / aMem) * 100 : undefined, cpuHistory: h.cpu, memHistory: h.mem };
      });
      const podUsage = pods.items.map((p): Usage => {
        let cpu = 0, mem = 0;
        for (const c of p.containers ?? []) { cpu += parseCpu(c.usage?.cpu); mem += parseMemory(c.usage?.memory); }
        const ns = p.metadata.namespace ?? '';
        const key = `pod:${ns}/${p.metadata.name}`;
        seen.add(key);
        const h = this.sample(key, cpu, mem);
        const lim = podLimits(this.specs.pod(ns, p.metadata.name));
        return { key, name: p.metadata.name, namespace: ns, cpuMilli: cpu, memBytes: mem, cpuPct: lim.cpu ? (cpu / lim.cpu) * 100 : undefined, memPct: lim.mem ? (mem / lim.mem) * 100 : undefined, cpuHistory: h.cpu, memHistory: h.mem };
      });
      // Objects that are gone take their history with them (bounded memory).
      for (const k of this.history.keys()) if (!seen.has(k)) this.history.delete(k);
      this.snap = { nodes: nodeUsage.sort((a, b) => a.name.localeCompare(b.name)), pods: podUsage.sort((a, b) => b.cpuMilli - a.cpuMilli || a.key.localeCompare(b.key)), at: Date.now() };
    } catch (err) {
      this.snap = { ...this.snap, problem: describeMetricsError(err as Error) };
    } finally {
      this.polling = false;
    }
    if (!this.stopped) this.onChange(this.snap);
    return this.snap;
  }
}

export function describeMetricsError(err: Error): string {
  if (err instanceof KubeHttpError && (err.status === 404 || err.status === 503)) {
    return 'metrics API not available: metrics-server is not installed (or not ready) on this cluster';
  }
  if (err instanceof KubeHttpError && err.status === 403) return `metrics: ${err.message}`;
  return `metrics: ${err.message}`;
}

/** 1234 m → "1.23" cores below 10, "250m" otherwise like kubectl; bytes → "123Mi". */
export function formatCpu(milli: number): string {
  return `${Math.round(milli)}m`;
}

export function formatMemory(bytes: number): string {
  if (bytes >= 1024 ** 3 * 10) return `${Math.round(bytes / 1024 ** 3)}Gi`;
  return `${Math.round(bytes / 1024 ** 2)}Mi`;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A text sparkline of the last `width` values (scaled to their max; flat zero shows ▁). */
export function sparkline(values: readonly number[], width: number): string {
  const v = values.slice(-width);
  const max = Math.max(...v, 0);
  return v.map((x) => (max <= 0 ? BLOCKS[0] : BLOCKS[Math.min(7, Math.round((x / max) * 7))])).join('');
}
