/**
 * Every port-forward of one cockpit: they outlive the pane (quitting the cockpit ends them),
 * are remembered per context in `<configDir>/forwards.json` with the cockpit's pid while they
 * run (`kai-tui forwards` lists them), and their counters are what the AI's cockpit_state tool
 * reads (host.forwardStats).
 */
import type { PaneHost as Cockpit } from '../host.js';
import { paths } from '../../config/paths.js';
import { ForwardGroup, ForwardRefused, ForwardStore, type ForwardSpec, type MeteredForward, type RememberedForward } from '../../kube/portforward.js';

export class Forwards {
  readonly list: MeteredForward[] = [];
  readonly store = new ForwardStore(paths().forwards);
  private contexts = new WeakMap<MeteredForward, string>();
  private readonly since = new WeakMap<MeteredForward, string>();
  /** Forwards of one target (several ports) share one connection to the API server. */
  private readonly groups = new Map<string, ForwardGroup>();

  constructor(private readonly app: Cockpit) {}

  remembered(): RememberedForward[] {
    return this.store.load();
  }

  /** Remembered forwards of this context that are not running now. */
  restorable(): RememberedForward[] {
    return this.remembered().filter((r) => r.context === this.app.source.context && !this.list.some((f) => same(f.spec, r)));
  }

  contextOf(f: MeteredForward): string {
    return this.contexts.get(f) ?? this.app.source.context;
  }

  private persist(): void {
    // The port actually used is remembered, so a restore gives the same address when it is free.
    const active: RememberedForward[] = this.list.map((f) => ({
      ...f.spec, localPort: f.localPort, context: this.contextOf(f), pid: process.pid, since: this.since.get(f),
    }));
    // Keep what belongs to other contexts; this context's entries are the running forwards.
    const others = this.remembered().filter((r) => r.context !== this.app.source.context);
    this.store.save([...others, ...active]);
  }

  async start(spec: ForwardSpec): Promise<MeteredForward | undefined> {
    const streams = this.app.streams();
    if (!streams) { this.app.message('port-forward: this cluster source cannot forward', 'error'); return undefined; }
    const existing = this.list.find((f) => same(f.spec, spec));
    if (existing) { this.app.message(`already forwarding: ${existing.label}`); return existing; }
    const clean: ForwardSpec = { namespace: spec.namespace, kind: spec.kind, name: spec.name, remotePort: spec.remotePort, localPort: spec.localPort };
    const key = JSON.stringify([this.app.source.context, spec.namespace, spec.kind, spec.name]);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new ForwardGroup()));
    const f = streams.forward(clean, { group });
    f.onChange = () => { this.app.markDirty(); this.app.forwardsChanged?.(); };
    try {
      const port = await f.start();
      this.list.push(f);
      this.contexts.set(f, this.app.source.context);
      this.since.set(f, new Date().toISOString());
      this.persist();
      this.app.message(`forwarding 127.0.0.1:${port} → ${spec.kind === 'service' ? 'svc' : 'pod'}/${spec.name}:${spec.remotePort} (pod ${f.target?.pod})`);
      return f;
    } catch (err) {
      await f.stop();
      const msg = err instanceof ForwardRefused ? err.message : `port-forward ${spec.name}: ${(err as Error).message}`;
      this.app.message(msg, 'error');
      return undefined;
    }
  }

  async stop(f: MeteredForward): Promise<void> {
    const i = this.list.indexOf(f);
    if (i >= 0) this.list.splice(i, 1);
    await f.stop();
    this.persist();
    this.app.message(`stopped ${f.label}`);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list.splice(0).map((f) => f.stop()));
  }
}

export function same(a: ForwardSpec, b: ForwardSpec): boolean {
  // The local port is not part of identity: a forward that moved to a free port is the same one.
  return a.namespace === b.namespace && a.kind === b.kind && a.name === b.name && a.remotePort === b.remotePort;
}

const registry = new WeakMap<Cockpit, Forwards>();

export function forwardsOf(app: Cockpit): Forwards {
  let f = registry.get(app);
  if (!f) {
    f = new Forwards(app);
    registry.set(app, f);
    const fw = f;
    void app.done.then(() => fw.stopAll());
    // What live triage's port-forward rule reads: each forward's issues and the pod it reaches.
    app.forwardSignals = () => fw.list.map((x) => ({
      label: x.label, namespace: x.spec.namespace, kind: x.spec.kind, name: x.spec.name, pod: x.target?.pod,
      issues: x.stats.issues.map((i) => ({ kind: i.kind, severity: i.severity, active: i.active, message: i.message, firstSeen: i.firstSeen, lastSeen: i.lastSeen, context: i.context })),
    }));
    // What the chat's cockpit_state tool reads: measured traffic, so "why is it slow?" has data.
    app.forwardStats = () => fw.list.map((x) => ({
      forward: x.label, namespace: x.spec.namespace, bytesIn: x.stats.bytesIn, bytesOut: x.stats.bytesOut, openConnections: x.stats.open,
      totalConnections: x.stats.total, errors: x.stats.errors, lastError: x.stats.lastError, lastTimeToFirstByteMs: x.stats.lastLatencyMs,
      meanTimeToFirstByteMs: x.stats.meanLatencyMs, bytesPerSecondIn: rate(x.stats.rateIn), bytesPerSecondOut: rate(x.stats.rateOut),
      connections: { opened: x.stats.total, open: x.stats.open, closed: x.stats.closed, reset: x.stats.reset, timedOut: x.stats.timedOut },
      http: httpForAi(x),
      issues: x.stats.issues.map((i) => ({ kind: i.kind, severity: i.severity, active: i.active, message: i.message, firstSeen: i.firstSeen, lastSeen: i.lastSeen, context: i.context })),
    }));
  }
  return f;
}

/** The HTTP picture for the AI: aggregates and the last few failing requests (no headers). */
function httpForAi(f: MeteredForward): unknown {
  const h = f.stats.http;
  if (!h.requests && !h.notHttp) return undefined;
  const failing = f.http.recent.filter((r) => r.outcome !== 'ok' || (r.status ?? 0) >= 500 || r.timedOut).slice(-5)
    .map((r) => ({ method: r.method, path: r.path, status: r.status, outcome: r.outcome, timedOut: r.timedOut, totalMs: r.totalMs && Math.round(r.totalMs), at: new Date(r.startedAt).toISOString() }));
  return {
    requests: h.requests, unanswered: h.unanswered, requestsPerSecond: h.requestsPerSecond, statusMix: h.status,
    latencyMs: h.latencyMs, timeToFirstByteMs: h.ttfbMs, protocols: h.protocols, notHttp: h.notHttp, recentFailures: failing.length ? failing : undefined,
  };
}

export function rate(values: number[]): number {
  return values.length ? values[values.length - 1]! : 0;
}
