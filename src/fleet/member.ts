/**
 * One context of the fleet, live: its own connection (discovery, reachability probe backing
 * off while down), informers for the kinds the fleet shows, its /version and node metrics.
 * A member never waits on another: each has its own transport, timers and back-off.
 */
import { KubeCluster, type ConnectOptions } from '../kube/cluster.js';
import { CORE_PODS } from '../kube/discovery.js';
import { KubeHttpError } from '../kube/transport.js';
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import type { Collection, KubeObject, ResourceKind } from '../kube/types.js';
import { countNodes, countPods, nodeUsage, statusFindings, type ContextState, type ContextSummary, type Finding } from './summary.js';
import { triageFindings } from './findings.js';

export const CORE_NODES: ResourceKind = {
  group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], categories: [],
};

/** Findings for a context from its cached objects (the triage analyzers, when installed). */
export type FindingsSource = (objects: { nodes: Iterable<KubeObject>; pods: Iterable<KubeObject> }) => Finding[];

export interface MemberOptions {
  connect?: ConnectOptions;
  /** Node metrics poll interval while reachable (default 10 s). */
  metricsIntervalMs?: number;
  findings?: FindingsSource;
}

const FINDINGS_EVERY_MS = 1000;

export class FleetMember {
  readonly context: string;
  readonly source: KubeCluster;
  private nodesCol?: Collection;
  private podsCol?: Collection;
  private version?: string;
  private usage?: ContextSummary['usage'];
  private metricsTimer?: NodeJS.Timeout;
  private readonly listeners = new Set<() => void>();
  private closed = false;
  private cached?: { key: string; summary: ContextSummary };
  private started?: Promise<void>;

  constructor(readonly loaded: LoadedKubeConfig, private readonly opts: MemberOptions = {}) {
    this.context = loaded.context;
    this.source = new KubeCluster(loaded, {
      probeIntervalMs: 5000, probeTimeoutMs: 3000,
      downProbeBackoff: { initialMs: 1000, maxMs: 30_000, jitter: 0.2 },
      ...opts.connect,
    });
    this.source.onReachabilityChange((r) => {
      if (r.ok && !this.version) void this.fetchVersion();
      this.changed();
    });
  }

  /** Connects and starts the nodes and pods informers (they need no discovery: core/v1). */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.nodesCol = this.source.watch(CORE_NODES);
      this.podsCol = this.source.watch(CORE_PODS);
      this.nodesCol.onChange(() => this.changed());
      this.podsCol.onChange(() => this.changed());
      await this.source.start();
      if (this.closed) return;
      if (this.source.reachability().ok) await this.fetchVersion();
      this.pollMetrics();
    })();
    return this.started;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The pods this member's informer holds (the fleet's cross-cluster pod table reads them). */
  pods(): Collection | undefined {
    return this.podsCol;
  }

  private extra?: { name: string; col: Collection };

  /**
   * Another kind for the cross-cluster table (`:deploy` in the fleet view), resolved by this
   * context's own discovery; one at a time, the previous one is closed (only kinds on screen are
   * watched). undefined while discovery has not answered or when the cluster lacks the kind.
   */
  watchKind(name: string): Collection | undefined {
    if (this.closed) return undefined;
    if (this.extra?.name === name) return this.extra.col;
    const kind = this.source.resolveKind(name);
    if (!kind || !kind.verbs.includes('watch')) return undefined;
    this.unwatchKind();
    const col = this.source.watch(kind);
    col.onChange(() => this.changed());
    this.extra = { name, col };
    return col;
  }

  unwatchKind(): void {
    this.extra?.col.close();
    this.extra = undefined;
  }

  nodes(): Collection | undefined {
    return this.nodesCol;
  }

  /** Listed (or failed) on both kinds, or unreachable: what a headless summary waits for. */
  settled(): boolean {
    const r = this.source.reachability();
    const answered = (c?: Collection) => !!c && c.state().phase !== 'connecting' && c.state().phase !== 'reconnecting';
    if (!r.ok && !r.message.startsWith('connecting')) return true;
    return r.ok && !!this.version && answered(this.nodesCol) && answered(this.podsCol);
  }

  state(): { state: ContextState; message?: string } {
    const r = this.source.reachability();
    if (!r.ok) {
      if (r.message.startsWith('connecting')) return { state: 'connecting', message: r.message };
      // The server answers but refuses our credentials: reachable, not readable.
      if (/\(401 Unauthorized\)/.test(r.message)) return { state: 'forbidden', message: r.message };
      return { state: 'unreachable', message: r.message };
    }
    for (const c of [this.nodesCol, this.podsCol]) {
      const st = c?.state();
      if (st?.phase === 'forbidden') return { state: 'forbidden', message: st.message };
    }
    if (this.podsCol?.state().phase === 'connecting') return { state: 'connecting' };
    return { state: 'ok' };
  }

  /** The row; recomputed only when something it depends on changed. */
  summary(): ContextSummary {
    const r = this.source.reachability();
    const st = this.state();
    const key = `${this.nodesCol?.version}|${this.podsCol?.version}|${st.state}|${st.message}|${r.ok ? r.latencyMs : ''}|${this.version}|${JSON.stringify(this.usage)}`;
    if (this.cached?.key === key) return this.cached.summary;
    const nodes = this.nodesCol && this.nodesCol.state().listedAt !== undefined ? [...this.nodesCol.items().values()] : undefined;
    const pods = this.podsCol && this.podsCol.state().listedAt !== undefined ? [...this.podsCol.items().values()] : undefined;
    const findings = nodes && pods ? this.findings(nodes, pods) : [];
    const summary: ContextSummary = {
      context: this.context, cluster: this.loaded.cluster, server: this.loaded.server,
      state: st.state, ...(st.message ? { message: st.message } : {}),
      ...(r.ok ? { latencyMs: r.latencyMs } : {}),
      ...(this.version ? { version: this.version } : {}),
      ...(nodes ? { nodes: countNodes(nodes) } : {}),
      ...(pods ? { pods: countPods(pods) } : {}),
      ...(this.usage ? { usage: this.usage } : {}),
      findings,
    };
    this.cached = { key, summary };
    return summary;
  }

  private lastFindings?: { at: number; findings: Finding[] };
  private findingsTimer?: NodeJS.Timeout;

  /**
   * The triage analyzers' top findings (the objects' own status if they fail), at most once a
   * second per context: a cluster whose pods change all the time does not re-analyze every frame.
   */
  private findings(nodes: KubeObject[], pods: KubeObject[]): Finding[] {
    const last = this.lastFindings;
    const wait = last ? last.at + FINDINGS_EVERY_MS - Date.now() : 0;
    if (last && wait > 0) {
      // Due later: the summary is asked again then (and recomputed with what is there).
      this.findingsTimer ??= setTimeout(() => {
        this.findingsTimer = undefined;
        this.cached = undefined;
        this.changed();
      }, wait);
      this.findingsTimer.unref?.();
      return last.findings;
    }
    let findings: Finding[];
    if (this.opts.findings) findings = this.opts.findings({ nodes, pods });
    else {
      try {
        findings = triageFindings({ nodes, pods });
      } catch {
        findings = statusFindings(nodes, pods);
      }
    }
    this.lastFindings = { at: Date.now(), findings };
    return findings;
  }

  private async fetchVersion(): Promise<void> {
    try {
      const v = await this.source.transport.json<{ gitVersion?: string }>('/version', { timeoutMs: 5000 });
      if (v.gitVersion && v.gitVersion !== this.version) {
        this.version = v.gitVersion;
        this.changed();
      }
    } catch {
      // The probe reports reachability; the version is asked again when it is back.
    }
  }

  /** Node metrics while reachable; a cluster without metrics-server is asked once a minute. */
  private pollMetrics(): void {
    if (this.closed) return;
    const every = this.opts.metricsIntervalMs ?? 10_000;
    const next = (ms: number) => {
      if (this.closed) return;
      this.metricsTimer = setTimeout(() => this.pollMetrics(), ms);
      this.metricsTimer.unref();
    };
    if (!this.source.reachability().ok) return next(every);
    this.source.transport.json<{ items: Array<{ metadata: { name: string }; usage?: { cpu?: string; memory?: string } }> }>('/apis/metrics.k8s.io/v1beta1/nodes', { timeoutMs: 5000 })
      .then((m) => {
        const u = nodeUsage(m.items, this.nodesCol?.items() ?? new Map());
        if (JSON.stringify(u) !== JSON.stringify(this.usage)) {
          this.usage = u;
          this.changed();
        }
        next(every);
      }, (err: Error) => next(err instanceof KubeHttpError && (err.status === 404 || err.status === 403) ? 60_000 : every));
  }

  /** The first metrics answer (headless: wait for it, briefly). */
  async metricsOnce(): Promise<void> {
    if (this.usage || !this.source.reachability().ok) return;
    try {
      const m = await this.source.transport.json<{ items: Array<{ metadata: { name: string }; usage?: { cpu?: string; memory?: string } }> }>('/apis/metrics.k8s.io/v1beta1/nodes', { timeoutMs: 5000 });
      this.usage = nodeUsage(m.items, this.nodesCol?.items() ?? new Map());
    } catch {
      // no metrics-server: the summary has no usage
    }
  }

  private changed(): void {
    for (const fn of [...this.listeners]) {
      try {
        fn();
      } catch {
        // a listener's failure is its own
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.metricsTimer) clearTimeout(this.metricsTimer);
    if (this.findingsTimer) clearTimeout(this.findingsTimer);
    this.listeners.clear();
    this.nodesCol?.close();
    this.podsCol?.close();
    this.unwatchKind();
    await this.started?.catch(() => undefined);
    await this.source.close();
  }
}
