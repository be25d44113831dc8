/**
 * The cockpit's view of one cluster: discovery (refreshed when CRDs change), shared
 * list+watch collections with reference counting, and API server reachability.
 *
 * connect() does not fail when the server is down: the source starts unreachable (empty
 * kinds, a message for the status bar) and discovers as soon as the server answers.
 */
import { discover, resolveKind, type Capabilities, type DiscoveredKind, type Discovery } from './discovery.js';
import { Informer, type InformerOptions } from './informer.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { KubeHttpError, Transport } from './transport.js';
import type { LoadedKubeConfig } from './kubeconfig.js';
import type { ClusterSource, Collection, KubeObject, Reachability, ResourceKind, WatchState } from './types.js';

export interface ConnectOptions {
  /** How often /version is asked while all is well. */
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  discoveryTimeoutMs?: number;
  /** Wait after a CRD changes before discovering again (CRDs come in bursts). */
  crdSettleMs?: number;
  /** Reject when the first discovery fails instead of starting unreachable. */
  requireReachable?: boolean;
  /**
   * While unreachable, probe with this back-off instead of every 2 s (the fleet view watches
   * many contexts: a dead one must cost little).
   */
  downProbeBackoff?: BackoffOptions;
  informer?: Partial<InformerOptions>;
}

/** An outage at least this long makes every collection list again when the server is back. */
const LONG_OUTAGE_MS = 10_000;

const NO_CAPABILITIES: Capabilities = { metrics: false, keda: false, velero: false, prometheusOperator: false, argocd: false };

interface Shared {
  informer: Informer;
  refs: number;
}

class CollectionHandle implements Collection {
  private readonly offs = new Set<() => void>();
  private closed = false;

  constructor(private readonly shared: Shared, private readonly release: () => void) {}

  get kind(): ResourceKind {
    return this.shared.informer.kind;
  }
  get namespace(): string | undefined {
    return this.shared.informer.namespace;
  }
  get version(): number {
    return this.shared.informer.version;
  }
  items(): ReadonlyMap<string, KubeObject> {
    return this.shared.informer.items();
  }
  state(): WatchState {
    return this.shared.informer.state();
  }
  onChange(fn: () => void): () => void {
    if (this.closed) return () => undefined;
    const off = this.shared.informer.onChange(fn);
    const remove = () => {
      off();
      this.offs.delete(remove);
    };
    this.offs.add(remove);
    return remove;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of [...this.offs]) off();
    this.release();
  }
}

export class KubeCluster implements ClusterSource {
  readonly context: string;
  readonly cluster: string;
  readonly server: string;
  readonly namespace: string;
  readonly transport: Transport;
  private disc: Discovery = { kinds: [], failed: [], capabilities: NO_CAPABILITIES };
  private reach: Reachability;
  private readonly shared = new Map<string, Shared>();
  private readonly reachListeners = new Set<(r: Reachability) => void>();
  private readonly kindListeners = new Set<() => void>();
  private probeTimer?: NodeJS.Timeout;
  private downSince?: number;
  private probing?: Promise<void>;
  private closed = false;
  private crdWatch?: Collection;
  private crdTimers: NodeJS.Timeout[] = [];
  private readonly opts: Required<Omit<ConnectOptions, 'informer' | 'downProbeBackoff'>> & { informer: Partial<InformerOptions> };
  private readonly downBackoff?: Backoff;

  constructor(loaded: LoadedKubeConfig, opts: ConnectOptions = {}) {
    this.context = loaded.context;
    this.cluster = loaded.cluster;
    this.server = loaded.server;
    this.namespace = loaded.namespace;
    this.transport = new Transport(loaded.kc);
    this.opts = {
      probeIntervalMs: opts.probeIntervalMs ?? 5000,
      probeTimeoutMs: opts.probeTimeoutMs ?? 3000,
      discoveryTimeoutMs: opts.discoveryTimeoutMs ?? 10_000,
      crdSettleMs: opts.crdSettleMs ?? 300,
      requireReachable: opts.requireReachable ?? false,
      informer: opts.informer ?? {},
    };
    if (opts.downProbeBackoff) this.downBackoff = new Backoff(opts.downProbeBackoff);
    this.reach = { ok: false, message: `connecting to ${this.server}…` };
  }

  /** First discovery and the probe loop. */
  async start(): Promise<void> {
    const started = Date.now();
    try {
      await this.refreshDiscovery();
      // Set directly: going "up" through setReach would discover a second time.
      this.reach = { ok: true, latencyMs: Date.now() - started };
    } catch (err) {
      if (this.opts.requireReachable) {
        this.stopTimers();
        throw err;
      }
      this.setReach({ ok: false, message: this.describe(err as Error) });
    }
    this.scheduleProbe(this.opts.probeIntervalMs);
  }

  kinds(): DiscoveredKind[] {
    return this.disc.kinds;
  }

  resolveKind(name: string): DiscoveredKind | undefined {
    return resolveKind(this.disc.kinds, name);
  }

  capabilities(): Capabilities {
    return this.disc.capabilities;
  }

  /** Group versions that discovery could not read (e.g. an aggregated API that is down). */
  discoveryFailures(): Discovery['failed'] {
    return this.disc.failed;
  }

  onKindsChange(fn: () => void): () => void {
    this.kindListeners.add(fn);
    return () => this.kindListeners.delete(fn);
  }

  watch(kind: ResourceKind, namespace?: string): Collection {
    if (this.closed) throw new Error('the cluster connection is closed');
    const ns = kind.namespaced && namespace ? namespace : undefined;
    const key = `${kind.group}/${kind.version}/${kind.resource}|${ns ?? ''}`;
    let s = this.shared.get(key);
    if (!s) {
      const informer = new Informer(this.transport, kind, ns, {
        ...this.opts.informer,
        onNetworkError: () => this.probeSoon(),
      });
      s = { informer, refs: 0 };
      this.shared.set(key, s);
      informer.start();
    }
    s.refs++;
    const entry = s;
    return new CollectionHandle(entry, () => {
      if (--entry.refs > 0) return;
      entry.informer.stop();
      if (this.shared.get(key) === entry) this.shared.delete(key);
    });
  }

  /** How many distinct list+watches run now (shared collections count once). */
  activeWatches(): number {
    return this.shared.size;
  }

  reachability(): Reachability {
    return this.reach;
  }

  onReachabilityChange(fn: (r: Reachability) => void): () => void {
    this.reachListeners.add(fn);
    return () => this.reachListeners.delete(fn);
  }

  async refreshDiscovery(): Promise<void> {
    let d: Discovery;
    try {
      d = await discover(this.transport, { timeoutMs: this.opts.discoveryTimeoutMs });
    } catch (err) {
      this.retryDiscovery();
      throw err;
    }
    if (this.closed) return;
    const before = this.disc.kinds.map((k) => `${k.group}/${k.version}/${k.resource}`).join(',');
    if (d.failed.length > 0) {
      // A group version that timed out keeps the kinds we knew for it, and is asked again soon
      // (a slow server at start must not leave the cockpit without, say, core/v1 for good).
      const failed = new Set(d.failed.map((f) => f.groupVersion));
      const kept = this.disc.kinds.filter((k) => failed.has(k.group ? `${k.group}/${k.version}` : k.version));
      d = { ...d, kinds: [...d.kinds, ...kept] };
      this.retryDiscovery();
    } else {
      this.discoveryRetryMs = 1000;
    }
    this.disc = d;
    if (d.kinds.length > 0) this.discoveredResolve();
    this.ensureCrdWatch();
    const after = d.kinds.map((k) => `${k.group}/${k.version}/${k.resource}`).join(',');
    if (before !== after) for (const fn of [...this.kindListeners]) safe(fn);
  }

  private discoveredResolve!: () => void;
  private readonly discoveredOnce = new Promise<void>((r) => { this.discoveredResolve = r; });

  /** Resolves when discovery has first answered with kinds (callers bound their own wait). */
  discovered(): Promise<void> {
    return this.discoveredOnce;
  }

  private discoveryRetry?: NodeJS.Timeout;
  private discoveryRetryMs = 1000;

  /** Asks discovery again with back-off (1 s doubling to 30 s) after a failed or partial answer. */
  private retryDiscovery(): void {
    if (this.closed || this.discoveryRetry) return;
    const ms = this.discoveryRetryMs;
    this.discoveryRetryMs = Math.min(30_000, ms * 2);
    this.discoveryRetry = setTimeout(() => {
      this.discoveryRetry = undefined;
      this.refreshDiscovery().catch(() => undefined);
    }, ms);
    this.discoveryRetry.unref?.();
  }

  /** Watches CRDs so discovery follows them (a new CRD's kind appears without a restart). */
  private ensureCrdWatch(): void {
    if (this.crdWatch) return;
    const crd = this.disc.kinds.find((k) => k.group === 'apiextensions.k8s.io' && k.resource === 'customresourcedefinitions');
    if (!crd || !crd.verbs.includes('watch')) return;
    this.crdWatch = this.watch(crd);
    let seen = -1;
    this.crdWatch.onChange(() => {
      const col = this.crdWatch!;
      if (col.state().phase !== 'synced') return;
      // The signature of the CRD set: names and served versions.
      const sig = [...col.items().values()].map((o) => `${o.metadata.name}:${o.metadata.resourceVersion}`).sort().join(',');
      const h = hash(sig);
      if (seen === -1) {
        seen = h;
        return;
      }
      if (h === seen) return;
      seen = h;
      // Twice: once soon, and once later for servers that publish discovery after Established.
      for (const delay of [this.opts.crdSettleMs, this.opts.crdSettleMs + 3000]) {
        const t = setTimeout(() => {
          this.crdTimers = this.crdTimers.filter((x) => x !== t);
          this.refreshDiscovery().catch(() => undefined);
        }, delay);
        t.unref();
        this.crdTimers.push(t);
      }
    });
  }

  private setReach(r: Reachability): void {
    const prev = this.reach;
    this.reach = r;
    const changed = prev.ok !== r.ok || (!r.ok && !prev.ok && prev.message !== r.message) || (r.ok && prev.ok && prev.latencyMs !== r.latencyMs);
    if (changed) for (const fn of [...this.reachListeners]) safe(() => fn(r));
    if (prev.ok && !r.ok) this.downSince = Date.now();
    if (!prev.ok && r.ok) this.recovered(this.downSince === undefined ? 0 : Date.now() - this.downSince);
  }

  /**
   * The server answers again: rediscover, and make waiting collections list now. After a long
   * outage even "synced" collections list again: their watch may sit on a dead connection that
   * no FIN ever closed.
   */
  private recovered(downMs: number): void {
    this.downSince = undefined;
    // Also the first discovery, when connect() started unreachable.
    this.refreshDiscovery().catch(() => undefined);
    const all = downMs >= LONG_OUTAGE_MS;
    for (const s of this.shared.values()) s.informer.kick(all);
  }

  private scheduleProbe(ms: number): void {
    if (this.closed) return;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probe().finally(() => this.scheduleProbe(this.nextProbeDelay()));
    }, ms);
    this.probeTimer.unref();
  }

  private nextProbeDelay(): number {
    if (this.reach.ok) {
      this.downBackoff?.reset();
      return this.opts.probeIntervalMs;
    }
    return this.downBackoff ? this.downBackoff.next() : Math.min(this.opts.probeIntervalMs, 2000);
  }

  /** A watch just failed on the network: check at once instead of at the next tick. */
  private probeSoon(): void {
    if (this.closed || this.probing) return;
    // Already known down and backing off: the next probe is scheduled.
    if (this.downBackoff && !this.reach.ok) return;
    this.scheduleProbe(0);
  }

  /** GET /version with a timeout; any answer but 401/5xx means the server is there. */
  probe(): Promise<void> {
    if (this.probing) return this.probing;
    const started = Date.now();
    this.probing = this.transport
      .json('/version', { timeoutMs: this.opts.probeTimeoutMs })
      .then(
        () => this.setReach({ ok: true, latencyMs: Date.now() - started }),
        (err: Error) => {
          if (err instanceof KubeHttpError && err.status === 403) return this.setReach({ ok: true, latencyMs: Date.now() - started });
          this.setReach({ ok: false, message: this.describe(err) });
        },
      )
      .finally(() => {
        this.probing = undefined;
      });
    return this.probing;
  }

  private describe(err: Error): string {
    if (err instanceof KubeHttpError) {
      if (err.status === 401) return `${this.server} refuses our credentials (401 Unauthorized); check the user in context "${this.context}"`;
      return `${this.server} answers ${err.status}: ${err.message}`;
    }
    return `cannot reach ${this.server}: ${err.message}`;
  }

  private stopTimers(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    if (this.discoveryRetry) clearTimeout(this.discoveryRetry);
    for (const t of this.crdTimers) clearTimeout(t);
    this.crdTimers = [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.crdWatch?.close();
    this.closed = true;
    this.stopTimers();
    for (const s of this.shared.values()) s.informer.stop();
    this.shared.clear();
    this.reachListeners.clear();
    this.kindListeners.clear();
    await this.probing?.catch(() => undefined);
    this.transport.close();
  }
}

/** The user's `kube.*` settings as connect() options (page size, request timeout). */
export function connectOptionsFromSettings(kube: { requestTimeoutMs?: number; watchPageSize?: number }): ConnectOptions {
  return {
    discoveryTimeoutMs: kube.requestTimeoutMs,
    informer: {
      ...(kube.watchPageSize ? { pageSize: kube.watchPageSize } : {}),
      ...(kube.requestTimeoutMs ? { requestTimeoutMs: kube.requestTimeoutMs } : {}),
    },
  };
}

/** Connects to the kubeconfig's current context. */
export async function connect(loaded: LoadedKubeConfig, opts: ConnectOptions = {}): Promise<KubeCluster> {
  const c = new KubeCluster(loaded, opts);
  await c.start();
  return c;
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // a listener's failure is its own
  }
}

function hash(s: string): number {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h << 5) + h + s.charCodeAt(i)) | 0;
  return h;
}
