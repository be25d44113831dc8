/**
 * Triage in the cockpit: the triage kinds watched through the cockpit's own ClusterSource (informers shared
 * with the panes), findings recomputed at most once per interval and only after something changed — never
 * inside a frame — plus a slow sampler for log tails and pod memory (the log and trend rules need them).
 * Findings keep the time kai-tui first saw them, for ranking by freshness.
 */
import type { ClusterSource, Collection, KubeObject, ResourceKind } from '../kube/types.js';
import type { Transport } from '../kube/transport.js';
import { analyze } from './diagnose.js';
import { podMetrics, readLogs } from './collect.js';
import { TRIAGE_KINDS } from './kinds.js';
import { podsFor } from './evidence.js';
import { explainObject, type Explanation } from './explain.js';
import type { ObjectRef } from './types.js';
import { Snapshot, type ContainerLogs, type MemorySeries } from './snapshot.js';
import { refKey, SEVERITY_RANK, type Finding, type ForwardSignal } from './types.js';

export interface LiveOptions {
  /** Minimum time between two analyses (default 1 s). */
  intervalMs?: number;
  /** Log tails and metrics sampling period (default 20 s); 0 turns sampling off. */
  sampleMs?: number;
  /** Pods whose logs are sampled per round. */
  maxLogPods?: number;
  /** The cockpit's running port-forwards and what their proxies measured (the port-forward rule). */
  forwards?: () => readonly ForwardSignal[];
}

export interface LiveFinding extends Finding { firstSeen: number }

export class LiveTriage {
  private readonly cols = new Map<string, Collection>();
  private readonly offs: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();
  private readonly seen = new Map<string, number>();
  private list: LiveFinding[] = [];
  private snap?: Snapshot;
  private logs = new Map<string, ContainerLogs>();
  private readonly memory = new Map<string, MemorySeries>();
  private timer?: NodeJS.Timeout;
  private sampler?: NodeJS.Timeout;
  private lastRun = 0;
  private dirty = true;
  private sig = '';
  private closed = false;
  private readonly o: Required<Omit<LiveOptions, 'forwards'>>;
  private readonly forwards?: () => readonly ForwardSignal[];
  private forwardSig = '';
  /** How long the last analysis took (ms), for the benchmark. */
  lastMs = 0;

  constructor(private readonly source: ClusterSource, opts: LiveOptions = {}) {
    this.o = { intervalMs: opts.intervalMs ?? 2000, sampleMs: opts.sampleMs ?? 20_000, maxLogPods: opts.maxLogPods ?? 60 };
    this.forwards = opts.forwards;
  }

  /** Forwards change outside the informers: the host calls this when a forward's counters moved. */
  forwardsChanged(): void {
    const sig = this.signalSig();
    if (sig === this.forwardSig) return;
    this.forwardSig = sig;
    this.dirty = true;
    this.schedule();
  }

  private signalSig(): string {
    return (this.forwards?.() ?? []).map((f) => `${f.label}|${f.pod}|${f.issues.filter((i) => i.active).map((i) => `${i.kind}:${i.message}`).join(',')}`).join('\n');
  }

  start(): void {
    this.watchKinds();
    if (this.source.onKindsChange) this.offs.push(this.source.onKindsChange(() => this.watchKinds()));
    if (this.o.sampleMs > 0) {
      this.sampler = setInterval(() => void this.sample(), this.o.sampleMs);
      this.sampler.unref();
      // Not during start-up: the first lists matter more than log tails.
      setTimeout(() => void this.sample(), 5000).unref();
    }
    this.schedule();
  }

  private watchKinds(): void {
    const kinds = this.source.kinds();
    for (const tk of TRIAGE_KINDS) {
      if (this.cols.has(tk.key)) continue;
      const kind = kinds.find((k) => k.group === tk.group && k.resource === tk.resource) as ResourceKind | undefined;
      if (!kind || !kind.verbs.includes('watch')) continue;
      const c = this.source.watch(kind, undefined);
      this.cols.set(tk.key, c);
      this.offs.push(c.onChange(() => { this.dirty = true; this.schedule(); }));
    }
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    // Never more than ~5 % of the time on analysis, whatever the cluster's size.
    const wait = Math.max(0, this.lastRun + Math.max(this.o.intervalMs, 20 * this.lastMs) - Date.now());
    this.timer = setTimeout(() => { this.timer = undefined; this.run(); }, wait);
    this.timer.unref?.();
  }

  /** Analyses now (tests and the pane's refresh call it; otherwise it runs on changes). */
  run(): void {
    if (this.closed || !this.dirty) return;
    // Half-listed collections would report faults that are not there (a Service before its pods arrive).
    const pods = this.cols.get('pods');
    if (pods && pods.state().phase !== 'synced' && pods.state().phase !== 'forbidden') { setTimeout(() => this.schedule(), 200).unref?.(); return; }
    this.dirty = false;
    const t0 = Date.now();
    this.lastRun = t0;
    const objects: Record<string, Iterable<KubeObject>> = {};
    for (const [k, c] of this.cols) if (c.state().phase === 'synced' || c.items().size) objects[k] = c.items().values();
    this.snap = new Snapshot({ objects, logs: this.logs, memory: this.memory, forwards: this.forwards?.() });
    const found = analyze(this.snap);
    const now = Date.now();
    const keys = new Set<string>();
    this.list = found.map((f) => {
      const k = `${f.category}|${refKey(f.object)}`;
      keys.add(k);
      if (!this.seen.has(k)) this.seen.set(k, f.since ? Math.min(now, Date.parse(f.since) || now) : now);
      return { ...f, firstSeen: this.seen.get(k)! };
    });
    for (const k of [...this.seen.keys()]) if (!keys.has(k)) this.seen.delete(k);
    // Severity first, then the freshest fault first.
    this.list.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.firstSeen - a.firstSeen);
    this.lastMs = Date.now() - t0;
    // Repaint only when the findings changed: under heavy churn most analyses change nothing.
    const sig = this.list.map((f) => `${f.severity}|${f.category}|${refKey(f.object)}|${f.summary}|${f.symptoms.length}`).join('\n');
    if (sig === this.sig) return;
    this.sig = sig;
    for (const fn of this.listeners) fn();
  }

  findings(): LiveFinding[] { return this.list; }
  snapshot(): Snapshot | undefined { return this.snap; }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Evidence for one object now (from the cache), and again once fresh log tails of its pods have been read. */
  explain(ref: ObjectRef): { now: Explanation; fresh: Promise<Explanation> } {
    if (this.dirty) this.run();
    const snap = this.snap ?? new Snapshot({ objects: {} });
    const now = explainObject(snap, ref, this.list);
    const t = this.transport();
    if (!t) return { now, fresh: Promise.resolve(now) };
    const pods = podsFor(snap, now.object).filter((p) => !p.metadata.deletionTimestamp).slice(0, 3);
    const fresh = readLogs(t, pods, { logPods: () => true, maxLogPods: 3, tailLines: 50 }).then((logs) => {
      const merged = new Map([...this.logs, ...logs]);
      return explainObject(snap.withLogs(merged), ref, this.list);
    });
    return { now, fresh };
  }

  private transport(): Transport | undefined {
    return (this.source as unknown as { transport?: Transport }).transport;
  }

  /** Log tails (unhealthy pods first) and one memory sample per pod: the inputs of the log and trend rules. */
  private async sample(): Promise<void> {
    const t = this.transport();
    const pods = this.cols.get('pods');
    if (!t || !pods || this.closed) return;
    const all = [...pods.items().values()];
    const bad = (p: KubeObject) => ((p.status?.containerStatuses ?? []) as KubeObject[]).some((c) => !c.ready || (c.restartCount ?? 0) > 0);
    const chosen = (all.length <= this.o.maxLogPods ? all : all.filter(bad)).slice(0, this.o.maxLogPods);
    try {
      this.logs = await readLogs(t, chosen, { maxLogPods: this.o.maxLogPods, tailLines: 60 });
      // The memory trend: one metrics list per round, skipped on very large clusters (a 20k-pod list every round costs the server).
      if (this.source.capabilities?.().metrics && all.length <= 5000) {
        const m = await podMetrics(t);
        for (const [k, v] of m ?? []) {
          const s = this.memory.get(k) ?? [];
          s.push(v);
          if (s.length > 10) s.shift();
          this.memory.set(k, s);
        }
      }
    } catch { /* sampling is best effort: the status rules do not need it */ }
    if (this.closed) return;
    this.dirty = true;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.sampler) clearInterval(this.sampler);
    for (const off of this.offs) off();
    for (const c of this.cols.values()) c.close();
    this.cols.clear();
  }
}
