/**
 * One snapshot of a cluster for `kai-tui diagnose` / `explain`: the triage kinds through the same informers
 * the cockpit uses (waiting until each has listed), then a bounded set of log tails (current and previous
 * container) and two metrics samples for the memory trend. The cockpit builds its snapshots from its live
 * collections instead (see live.ts).
 */
import { KubeCluster } from '../kube/cluster.js';
import { logPath } from '../kube/logs.js';
import { parseMemory, podLimits } from '../kube/metrics.js';
import { readBody, type Transport } from '../kube/transport.js';
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import type { Collection, KubeObject, ResourceKind } from '../kube/types.js';
import { CLUSTER_WIDE, TRIAGE_KINDS } from './kinds.js';
import { Snapshot, type ContainerLogs, type MemorySeries } from './snapshot.js';

export interface CollectOptions {
  namespace?: string;
  /** Give up waiting for lists after this long (a kind that has not listed is left out). */
  timeoutMs?: number;
  /** Pods whose logs are read: every pod when there are at most this many, else only unhealthy ones up to it. */
  maxLogPods?: number;
  tailLines?: number;
  /** Read logs only for these pods (namespace/name), e.g. `explain` on one workload. */
  logPods?: (pod: KubeObject) => boolean;
}

export interface Collected { snapshot: Snapshot; cluster: KubeCluster; missing: string[] }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function collect(loaded: LoadedKubeConfig, opts: CollectOptions = {}): Promise<Collected> {
  // One-shot: big pages (fewer round trips), no first small page for a screen.
  const cluster = new KubeCluster(loaded, { requireReachable: true, informer: { pageSize: 5000 } });
  await cluster.start();
  const cols = new Map<string, Collection>();
  const missing: string[] = [];
  for (const tk of TRIAGE_KINDS) {
    const kind = cluster.kinds().find((k) => k.group === tk.group && k.resource === tk.resource) as ResourceKind | undefined;
    if (!kind || !kind.verbs.includes('list')) { missing.push(tk.key); continue; }
    cols.set(tk.key, cluster.watch(kind, CLUSTER_WIDE.has(tk.key) ? undefined : opts.namespace));
  }
  const metricsOn = cluster.capabilities().metrics;
  const t0 = Date.now();
  const first = metricsOn ? podMetrics(cluster.transport, opts.namespace) : Promise.resolve(undefined);
  const deadline = t0 + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const pending = [...cols.values()].filter((c) => c.state().phase === 'connecting' || c.state().phase === 'reconnecting');
    if (!pending.length || Date.now() > deadline) break;
    await sleep(15);
  }
  const objects: Record<string, KubeObject[]> = {};
  for (const [key, c] of cols) {
    if (c.state().phase === 'synced') objects[key] = [...c.items().values()];
    else missing.push(key);
    c.close();
  }
  const logs = await readLogs(cluster.transport, objects.pods ?? [], opts);
  const memory = new Map<string, MemorySeries>();
  const m1 = await first;
  if (m1) {
    for (const [k, v] of m1) memory.set(k, [v]);
    // A trend needs a second sample ≥ 1 s later; only worth waiting for when a pod is already past half its limit.
    const near = (objects.pods ?? []).some((p) => {
      const lim = podLimits(p).mem;
      const used = m1.get(`${p.metadata.namespace}/${p.metadata.name}`)?.[1];
      return lim !== undefined && used !== undefined && used >= lim * 0.5;
    });
    if (near) {
      const wait = 1000 - (Date.now() - t0);
      if (wait > 0) await sleep(wait);
      const m2 = await podMetrics(cluster.transport, opts.namespace);
      for (const [k, v] of m2 ?? []) memory.get(k)?.push(v);
    }
  }
  return { snapshot: new Snapshot({ objects, logs, memory, namespace: opts.namespace }), cluster, missing };
}

export async function podMetrics(transport: Transport, ns?: string): Promise<Map<string, [number, number]> | undefined> {
  try {
    const path = ns ? `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(ns)}/pods` : '/apis/metrics.k8s.io/v1beta1/pods';
    const list = await transport.json<{ items: KubeObject[] }>(path, { timeoutMs: 5000 });
    const out = new Map<string, [number, number]>();
    const now = Date.now();
    for (const m of list.items) {
      const mem = ((m.containers ?? []) as KubeObject[]).reduce((n, c) => n + parseMemory(c.usage?.memory), 0);
      out.set(`${m.metadata.namespace}/${m.metadata.name}`, [now, mem]);
    }
    return out;
  } catch {
    return undefined;
  }
}

function unhealthy(p: KubeObject): boolean {
  const st = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])] as KubeObject[];
  return p.status?.phase === 'Failed' || st.some((c) => !c.ready || (c.restartCount ?? 0) > 0);
}

export async function readLogs(transport: Transport, pods: KubeObject[], opts: Pick<CollectOptions, 'maxLogPods' | 'tailLines' | 'logPods'>): Promise<Map<string, ContainerLogs>> {
  const max = opts.maxLogPods ?? 300;
  const started = pods.filter((p) => p.spec?.nodeName && p.status?.phase !== 'Pending');
  let chosen = opts.logPods ? started.filter(opts.logPods) : started.length <= max ? started : started.filter(unhealthy);
  chosen = chosen.slice(0, max);
  const jobs: Array<() => Promise<void>> = [];
  const out = new Map<string, ContainerLogs>();
  for (const p of chosen) {
    const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])] as KubeObject[];
    for (const c of statuses) {
      const key = `${p.metadata.namespace}/${p.metadata.name}/${c.name}`;
      const entry: ContainerLogs = { current: [] };
      out.set(key, entry);
      const req = { namespace: p.metadata.namespace ?? '', pod: p.metadata.name, container: c.name, tailLines: opts.tailLines ?? 100 };
      if (c.state?.running || c.state?.terminated) jobs.push(async () => { entry.current = await tail(transport, req); });
      if ((c.restartCount ?? 0) > 0) jobs.push(async () => { entry.previous = await tail(transport, { ...req, previous: true }); });
    }
  }
  // A few at a time: log reads are cheap for the server but not free.
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(16, jobs.length) }, async () => { while (i < jobs.length) await jobs[i++]!(); }));
  return out;
}

async function tail(transport: Transport, req: Parameters<typeof logPath>[0]): Promise<string[]> {
  const { path, query } = logPath(req);
  try {
    const res = await transport.open(path, { query, headers: { Accept: '*/*' }, timeoutMs: 4000 });
    const body = await readBody(res);
    if ((res.statusCode ?? 0) >= 300) return [];
    return body.split('\n').filter((l) => l.length > 0);
  } catch {
    return [];
  }
}
