/**
 * The top view (`:top`, `shift-m`): node and pod CPU/memory from metrics.k8s.io, polled every
 * few seconds (the metrics API has no watch), with gauges against node allocatable / pod
 * limits and short sparklines of the recent samples. Allocatable and limits come from the
 * cockpit's shared watch caches, not from extra polling.
 */
import blessed from 'blessed';
import type { PaneHost as Cockpit } from '../host.js';
import type { ModalPane } from './modal.js';
import { TopCharts } from './top-charts.js';
import { formatCpu, formatMemory, MetricsPoller, sparkline, type MetricsSnapshot, type Usage } from '../../kube/metrics.js';
import type { Collection } from '../../kube/types.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Role, type Theme } from '../theme.js';

/** A text gauge `[████░░░░] 42%` coloured by level. */
export function gauge(theme: Theme, pct: number | undefined, width: number): string {
  if (pct === undefined || !Number.isFinite(pct)) return paint(theme, 'muted', 'no limit'.padStart(width));
  const inner = Math.max(1, width - 7);
  const filled = Math.max(0, Math.min(inner, Math.round((pct / 100) * inner)));
  const role: Role = pct >= 90 ? 'error' : pct >= 70 ? 'warn' : 'ok';
  return '[' + paint(theme, role, '█'.repeat(filled)) + paint(theme, 'muted', '░'.repeat(inner - filled)) + ']' + `${Math.round(pct)}%`.padStart(5);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export class TopPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  get hints(): string { return `esc:close j/k:${this.charts ? 'pod to chart' : 'scroll'} n:namespace/all c:${this.charts ? 'table' : 'charts'}`; }
  private offset = 0;
  private charts: TopCharts | undefined;
  private readonly cols: Collection[] = [];

  constructor(private readonly app: Cockpit, private readonly poller: MetricsPoller) {
    this.element = blessed.box({ parent: app.screen, top: 0, left: 0, width: '100%', height: '100%-1', border: { type: 'line' }, tags: true, hidden: true, label: ' top ' });
  }

  /** Called when `n` switches between the namespace and all (the limits cache follows). */
  onNamespace: (ns: string | undefined) => void = () => {};

  keep(c: Collection): void {
    this.cols.push(c);
  }

  handleKey(full: string): boolean {
    switch (full) {
      case 'escape': case 'q': this.app.closeModal(); return true;
      case 'C-c': this.app.quit(); return true;
      case 'j': case 'down': this.offset++; return true;
      case 'k': case 'up': this.offset = Math.max(0, this.offset - 1); return true;
      case 'pagedown': this.offset += 10; return true;
      case 'pageup': this.offset = Math.max(0, this.offset - 10); return true;
      case 'g': this.offset = 0; return true;
      case 'c':
        if (this.charts) { this.charts.destroy(); this.charts = undefined; } else this.charts = new TopCharts(this.element);
        return true;
      case 'n':
        this.poller.namespace = this.poller.namespace ? undefined : this.app.namespace;
        this.onNamespace(this.poller.namespace);
        void this.poller.poll();
        return true;
    }
    return false;
  }

  onClose(): void {
    this.charts?.destroy();
    this.poller.stop();
    for (const c of this.cols) c.close();
    this.element.destroy();
  }

  private row(theme: Theme, u: Usage, nameWidth: number, width: number): string {
    const g = Math.max(12, Math.min(24, Math.floor((width - nameWidth - 40) / 3)));
    const name = escapeTags(fit(sanitizePlain(u.namespace ? `${u.namespace}/${u.name}` : u.name), nameWidth));
    return `${name} ${formatCpu(u.cpuMilli).padStart(7)} ${gauge(theme, u.cpuPct, g)} ${formatMemory(u.memBytes).padStart(7)} ${gauge(theme, u.memPct, g)} ${paint(theme, 'accent', sparkline(u.cpuHistory, Math.max(4, g - 4)))}`;
  }

  paint(theme: Theme): void {
    const s: MetricsSnapshot = this.poller.snapshot();
    if (this.charts) {
      this.offset = Math.max(0, Math.min(this.offset, s.pods.length - 1));
      const pods = [...s.pods].sort((a, b) => b.cpuMilli - a.cpuMilli);
      this.element.setLabel(` top: ${s.nodes.length} nodes, ${s.pods.length} pods — charts (j/k: the pod whose history is drawn) `);
      this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
      this.element.setContent(s.at ? '' : paint(theme, 'muted', s.problem ? escapeTags(sanitizePlain(s.problem)) : 'asking metrics.k8s.io…'));
      try {
        if (s.at) this.charts.update(theme, s, pods[this.offset]);
      } catch (err) {
        // A chart that cannot draw (a tiny pane) must not take the cockpit down: back to the table.
        this.charts.destroy();
        this.charts = undefined;
        this.app.message(`charts: ${String((err as Error)?.message ?? err)}`, 'error');
      }
      return;
    }
    const width = Math.max(40, (this.element.width as number) - 2);
    const rows = Math.max(3, (this.element.height as number) - 2);
    const nameWidth = Math.min(48, Math.max(16, Math.floor(width / 3)));
    const lines: string[] = [];
    if (s.problem) lines.push(paint(theme, 'error', escapeTags(fit(sanitizePlain(s.problem), width, false))));
    if (!s.at && !s.problem) lines.push(paint(theme, 'muted', 'asking metrics.k8s.io…'));
    if (s.at) {
      const g = Math.max(12, Math.min(24, Math.floor((width - nameWidth - 40) / 3)));
      const header = `${'NODE'.padEnd(nameWidth)} ${'CPU'.padStart(7)} ${'CPU % of allocatable'.slice(0, g).padEnd(g)} ${'MEMORY'.padStart(7)} ${'MEM % of allocatable'.slice(0, g).padEnd(g)} CPU history`;
      lines.push(paint(theme, 'header', escapeTags(fit(header, width, false))));
      for (const n of s.nodes) lines.push(this.row(theme, n, nameWidth, width));
      lines.push('');
      const ph = `${`POD (${this.poller.namespace ?? 'all namespaces'})`.padEnd(nameWidth)} ${'CPU'.padStart(7)} ${'CPU % of limit'.slice(0, g).padEnd(g)} ${'MEMORY'.padStart(7)} ${'MEM % of limit'.slice(0, g).padEnd(g)} CPU history`;
      lines.push(paint(theme, 'header', escapeTags(fit(ph, width, false))));
      const room = Math.max(1, rows - lines.length);
      this.offset = Math.max(0, Math.min(this.offset, s.pods.length - room));
      for (const p of s.pods.slice(this.offset, this.offset + room)) lines.push(this.row(theme, p, nameWidth, width));
    }
    const age = s.at ? `${Math.round((Date.now() - s.at) / 1000)}s ago` : '';
    this.element.setLabel(` top: ${s.nodes.length} nodes, ${s.pods.length} pods${age ? `, sampled ${age}` : ''}, every ${this.poller.intervalMs / 1000}s `);
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setContent(lines.join('\n'));
  }
}

/** `:top` / `shift-m`. */
export function openTop(app: Cockpit): void {
  const streams = app.streams();
  if (!streams) { app.message('top: this cluster source cannot ask the metrics API', 'error'); return; }
  const caps = app.source.capabilities?.();
  if (caps && app.source.kinds().length > 0 && !caps.metrics) {
    app.message('top: metrics API not available: metrics-server is not installed on this cluster', 'error');
    return;
  }
  const nodesKind = app.source.resolveKind('nodes');
  const podsKind = app.source.resolveKind('pods');
  const nodes = nodesKind ? app.source.watch(nodesKind) : undefined;
  // Limits come from a pods cache of the same scope as the view (shared with the table when it matches).
  let pods = podsKind ? app.source.watch(podsKind, app.namespace) : undefined;
  const poller = streams.metrics({
    node: (name) => nodes?.items().get(name),
    pod: (ns, name) => pods?.items().get(`${ns}/${name}`),
  }, app.namespace, 3000);
  const pane = new TopPane(app, poller);
  if (nodes) pane.keep(nodes);
  pane.onNamespace = (ns) => {
    if (!podsKind) return;
    const before = pods;
    pods = app.source.watch(podsKind, ns);
    before?.close();
  };
  poller.onChange = () => app.markDirty();
  app.openModal(pane);
  poller.start();
  // Ages in the label move on between polls.
  const t = setInterval(() => app.markDirty(), 1000);
  t.unref();
  const close = pane.onClose.bind(pane);
  pane.onClose = () => { clearInterval(t); pods?.close(); close(); };
}
