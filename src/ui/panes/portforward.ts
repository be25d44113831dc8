/**
 * Port-forwards of the cockpit: `shift-f` on a pod or service, `:pf svc/web 8080:80`, and the
 * forwards pane (`:forwards`, `shift-p`) with live meters per forward — bytes in/out, open and
 * total connections, errors with the last error text, time to first byte, and rate gauges and
 * sparklines, repainted through the frame scheduler. Forwards are remembered in
 * `<configDir>/forwards.json` and offered again (`r`) in the next session.
 *
 * Port-forward only reads: it needs no plan, but a pod that is not Running is refused with one
 * clear message.
 */
import blessed from 'blessed';
import { join } from 'node:path';
import type { PaneHost as Cockpit } from '../host.js';
import type { ModalPane } from './modal.js';
import { declaredPorts, ForwardDialog, proposeLocal } from './forward-dialog.js';
import { paths } from '../../config/paths.js';
import { ForwardRefused, ForwardStore, MeteredForward, parseForwardArgs, type ForwardSpec } from '../../kube/portforward.js';
import type { KubeObject } from '../../kube/types.js';
import { sparkline } from '../../kube/metrics.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Theme } from '../theme.js';
import { formatBytes, gauge } from './top.js';

type Remembered = ForwardSpec & { context: string };

/** Every forward of one cockpit (they outlive the pane; quitting the cockpit ends them). */
class Forwards {
  readonly list: MeteredForward[] = [];
  readonly store = new ForwardStore(join(paths().configDir, 'forwards.json'));
  private contexts = new WeakMap<MeteredForward, string>();

  constructor(private readonly app: Cockpit) {}

  remembered(): Remembered[] {
    return this.store.load();
  }

  /** Remembered forwards of this context that are not running now. */
  restorable(): Remembered[] {
    return this.remembered().filter((r) => r.context === this.app.source.context && !this.list.some((f) => same(f.spec, r)));
  }

  private persist(): void {
    // The port actually used is remembered, so a restore gives the same address when it is free.
    const active: Remembered[] = this.list.map((f) => ({ ...f.spec, localPort: f.localPort, context: this.contexts.get(f) ?? this.app.source.context }));
    // Keep what belongs to other contexts; this context's entries are the running forwards.
    const others = this.remembered().filter((r) => r.context !== this.app.source.context);
    this.store.save([...others, ...active]);
  }

  async start(spec: ForwardSpec): Promise<MeteredForward | undefined> {
    const streams = this.app.streams();
    if (!streams) { this.app.message('port-forward: this cluster source cannot forward', 'error'); return undefined; }
    const existing = this.list.find((f) => same(f.spec, spec));
    if (existing) { this.app.message(`already forwarding: ${existing.label}`); return existing; }
    const f = streams.forward(spec);
    f.onChange = () => this.app.markDirty();
    try {
      const port = await f.start();
      this.list.push(f);
      this.contexts.set(f, this.app.source.context);
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

function same(a: ForwardSpec, b: ForwardSpec): boolean {
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

function rate(values: number[]): number {
  return values.length ? values[values.length - 1]! : 0;
}

export class ForwardsPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  private cursor = 0;
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly app: Cockpit, private readonly forwards: Forwards) {
    this.element = blessed.box({ parent: app.screen, top: 0, left: 0, width: '100%', height: '100%-1', border: { type: 'line' }, tags: true, hidden: true, label: ' port-forwards ' });
    // The meters sample once a second; repaint with them (through the scheduler).
    this.ticker = setInterval(() => app.markDirty(), 1000);
    this.ticker.unref();
  }

  get hints(): string {
    return `esc:close j/k:select x:stop forward${this.forwards.restorable().length ? ' r:restore remembered' : ''}  (:pf svc/NAME LOCAL:REMOTE starts one)`;
  }

  select(f: MeteredForward | undefined): void {
    const i = f ? this.forwards.list.indexOf(f) : -1;
    if (i >= 0) this.cursor = i;
  }

  handleKey(full: string): boolean {
    const list = this.forwards.list;
    switch (full) {
      case 'escape': case 'q': this.app.closeModal(); return true;
      case 'C-c': this.app.quit(); return true;
      case 'j': case 'down': this.cursor = Math.min(list.length - 1, this.cursor + 1); return true;
      case 'k': case 'up': this.cursor = Math.max(0, this.cursor - 1); return true;
      case 'x': case 'delete': case 'C-d': {
        const f = list[this.cursor];
        if (f) void this.forwards.stop(f).then(() => { this.cursor = Math.max(0, Math.min(this.cursor, this.forwards.list.length - 1)); this.app.markDirty(); });
        return true;
      }
      case 'r': {
        const todo = this.forwards.restorable();
        if (!todo.length) { this.app.message('no remembered forwards to restore for this context'); return true; }
        void (async () => { for (const r of todo) await this.forwards.start(r); this.app.markDirty(); })();
        return true;
      }
    }
    return false;
  }

  onClose(): void {
    clearInterval(this.ticker);
    this.element.destroy();
  }

  paint(theme: Theme): void {
    const width = Math.max(40, (this.element.width as number) - 2);
    const list = this.forwards.list;
    const lines: string[] = [];
    const e = (s: unknown, w = width) => escapeTags(fit(sanitizePlain(String(s)), w, false));
    if (!list.length) lines.push(paint(theme, 'muted', e('no forwards: shift-f on a pod or service, or :pf svc/NAME LOCAL:REMOTE')));
    const spark = Math.max(10, Math.min(60, width - 60));
    let cursorLine = 0;
    list.forEach((f, i) => {
      const s = f.stats;
      if (i === this.cursor) cursorLine = lines.length;
      const head = `${i === this.cursor ? '▶' : ' '} 127.0.0.1:${f.localPort} → ${f.spec.namespace}/${f.spec.kind === 'service' ? 'svc' : 'pod'}/${f.spec.name}:${f.spec.remotePort}  (pod ${f.target?.pod ?? '?'}:${f.target?.port ?? '?'})`;
      lines.push(i === this.cursor ? paint(theme, 'title', e(head)) : e(head));
      lines.push(e(`   in ${formatBytes(s.bytesIn)}  out ${formatBytes(s.bytesOut)}  conns ${s.open} open / ${s.total} total  errors ${s.errors}  ttfb ${s.lastLatencyMs === undefined ? '-' : `${s.lastLatencyMs} ms`} (mean ${s.meanLatencyMs === undefined ? '-' : `${s.meanLatencyMs.toFixed(0)} ms`})`));
      const peakIn = Math.max(0, ...s.rateIn), peakOut = Math.max(0, ...s.rateOut);
      // The gauge is the rate now against the peak of the last minute; the sparkline its history.
      const meter = (label: string, values: number[], peak: number, role: 'ok' | 'accent') =>
        `   ${paint(theme, 'muted', label)} ${gauge(theme, peak > 0 ? (rate(values) / peak) * 100 : 0, 18)} ${e(`${formatBytes(rate(values))}/s`.padEnd(11), 11)} ${paint(theme, 'muted', e(`peak ${formatBytes(peak)}/s`.padEnd(16), 16))} ${paint(theme, role, sparkline(values, spark))}`;
      lines.push(meter('in ', s.rateIn, peakIn, 'ok'));
      lines.push(meter('out', s.rateOut, peakOut, 'accent'));
      if (s.lastError) lines.push(paint(theme, 'error', e(`   last error: ${s.lastError}`)));
      lines.push('');
    });
    // Many forwards: scroll so the selected one's block is on screen.
    const rows = Math.max(5, (this.element.height as number) - 2);
    if (cursorLine + 6 > rows) lines.splice(0, cursorLine + 6 - rows);
    const todo = this.forwards.restorable();
    if (todo.length) {
      lines.push(paint(theme, 'warn', e(`remembered from an earlier session (r restores): ${todo.map((r) => `${r.kind === 'service' ? 'svc' : 'pod'}/${r.name} ${r.localPort}:${r.remotePort}`).join(', ')}`)));
    }
    this.element.setLabel(` port-forwards: ${list.length} active, ${list.reduce((n, f) => n + f.stats.open, 0)} connections open `);
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setContent(lines.join('\n'));
  }
}

/** Opens the forwards pane (selecting `f` when given). */
export function openForwards(app: Cockpit, f?: MeteredForward): void {
  const pane = new ForwardsPane(app, forwardsOf(app));
  pane.select(f);
  app.openModal(pane);
}

/** `shift-f` on the selected pod or service: which port (and which local port) is asked first. */
export async function forwardSelection(app: Cockpit): Promise<void> {
  const sel = app.selection();
  const kind = sel ? sel.object.kind ?? sel.kind.kind : '';
  if (!sel || (kind !== 'Pod' && kind !== 'Service')) { app.message('port-forward: select a pod or a service (or :pf svc/NAME LOCAL:REMOTE)', 'error'); return; }
  const o = sel.object;
  if (kind === 'Pod' && o.status?.phase !== 'Running') { app.message(`cannot port-forward: pod ${o.metadata.name} is ${o.status?.phase ?? 'not started'}, not Running`, 'error'); return; }
  const ports = declaredPorts(o, kind);
  if (!ports.length) { app.message(`port-forward: ${kind.toLowerCase()} ${o.metadata.name} declares no port — use :pf ${kind === 'Pod' ? 'pod' : 'svc'}/${o.metadata.name} LOCAL:REMOTE`, 'error'); return; }
  const ns = o.metadata.namespace ?? 'default';
  const target = `${ns}/${kind === 'Pod' ? 'pod' : 'svc'}/${o.metadata.name}`;
  const dialog = new ForwardDialog(app.screen, target, ports, (r) => proposeLocal(r), (choice) => {
    app.closeModal();
    if (!choice) return;
    const spec: ForwardSpec = { namespace: ns, kind: kind === 'Pod' ? 'pod' : 'service', name: o.metadata.name, remotePort: choice.remote, localPort: choice.local };
    void forwardsOf(app).start(spec).then((f) => { if (f) openForwards(app, f); });
  }, () => app.markDirty());
  app.openModal(dialog);
}

/** `:pf svc/web 8080:80 [-n ns]`, `:pf` alone opens the pane. */
export async function forwardCommand(app: Cockpit, args: string[]): Promise<void> {
  if (!args.length) { openForwards(app); return; }
  let spec: ForwardSpec;
  try {
    spec = parseForwardArgs(args, app.namespace ?? app.loaded.namespace ?? 'default');
  } catch (err) {
    app.message((err as Error).message, 'error');
    return;
  }
  const f = await forwardsOf(app).start(spec);
  if (f) openForwards(app, f);
}

/** At start: say that forwards from an earlier session can be restored (the pane's `r`). */
export function offerRestore(app: Cockpit): void {
  const todo = forwardsOf(app).restorable();
  if (!todo.length) return;
  const key = app.keymap.byAction.get('portForwards')?.[0] ?? ':forwards';
  app.message(`${todo.length} remembered port-forward${todo.length > 1 ? 's' : ''} (${key}, r restores)`);
}
