/**
 * The port-forwards pane (`:forwards`, `shift-p`): the selected forward in full — bytes, rate
 * gauges and sparklines, connections (open, closed, reset, timed out), HTTP (req/s, status mix,
 * p50/p95/p99), the issues seen — the others one line each, and the selected forward's last
 * requests (`tab` moves into the list, `enter` shows a request's headers). `b` runs a load check
 * through the selected forward, `L` shows its last results. Repainted once a second with the
 * meters, through the frame scheduler.
 */
import blessed from 'blessed';
import type { PaneHost as Cockpit } from '../host.js';
import type { ModalPane } from './modal.js';
import type { MeteredForward } from '../../kube/portforward.js';
import type { HttpRecord } from '../../kube/http-meter.js';
import { LoadCheckStore } from '../../kube/load-check-store.js';
import { paths } from '../../config/paths.js';
import { sparkline } from '../../kube/metrics.js';
import { blessedStyle, paint, type Theme } from '../theme.js';
import { formatBytes, gauge } from './top.js';
import { rate, type Forwards } from './forwards-registry.js';
import { cellText, httpSummaryLine, issueLines, ms, requestDetail, requestLines } from './forward-http-view.js';
import { LoadCheckPanel } from './load-check-panel.js';
import { BODY_LIMIT } from './forward-body-view.js';

function where(f: MeteredForward): string {
  return `${f.spec.namespace}/${f.spec.kind === 'service' ? 'svc' : 'pod'}/${f.spec.name}:${f.spec.remotePort}`;
}

export class ForwardsPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  private cursor = 0;
  /** Keys move in the selected forward's request list instead of the forwards. */
  private inRequests = false;
  /** The selected request by id, so it stays selected while newer ones arrive above it. */
  private reqId: number | undefined;
  private detail: HttpRecord | undefined;
  private detailOffset = 0;
  private load: LoadCheckPanel | undefined;
  private readonly ticker: NodeJS.Timeout;
  private readonly results = new LoadCheckStore(paths().loadChecks);

  constructor(private readonly app: Cockpit, private readonly forwards: Forwards) {
    this.element = blessed.box({ parent: app.screen, top: 0, left: 0, width: '100%', height: '100%-1', border: { type: 'line' }, tags: true, hidden: true, label: ' port-forwards ' });
    // The meters sample once a second; repaint with them (through the scheduler).
    this.ticker = setInterval(() => app.markDirty(), 1000);
    this.ticker.unref();
  }

  get hints(): string {
    if (this.load) return this.load.hints;
    if (this.detail) return 'j/k:scroll esc:back to the requests';
    if (this.inRequests) return 'j/k:request enter:headers tab:forwards esc:close';
    const restore = this.forwards.restorable().length ? ' r:restore remembered' : '';
    const bodies = this.selected?.bodyLimit ? 'B:stop keeping bodies' : 'B:keep bodies';
    return `esc:close j/k:select tab:requests b:load check L:last load checks ${bodies} x:stop${restore}  (:pf svc/NAME LOCAL:REMOTE starts one)`;
  }

  select(f: MeteredForward | undefined): void {
    const i = f ? this.forwards.list.indexOf(f) : -1;
    if (i >= 0) this.cursor = i;
  }

  private get selected(): MeteredForward | undefined {
    return this.forwards.list[this.cursor];
  }

  private openLoad(showResults: boolean): void {
    const f = this.selected;
    if (!f) { this.app.message('no forward selected: start one with shift-f or :pf'); return; }
    const target = { context: this.forwards.contextOf(f), namespace: f.spec.namespace, kind: f.spec.kind, name: f.spec.name, remotePort: f.spec.remotePort };
    this.load = new LoadCheckPanel(f, target, this.results, () => this.app.markDirty(), showResults);
  }

  handleKey(full: string, ch: string | undefined): boolean {
    if (full === 'C-c') { this.app.quit(); return true; }
    if (this.load) {
      if (this.load.handleKey(full, ch) === 'close') this.load = undefined;
      return true;
    }
    if (this.detail) {
      if (full === 'escape' || full === 'q' || full === 'enter') { this.detail = undefined; return true; }
      if (full === 'j' || full === 'down') this.detailOffset++;
      if (full === 'k' || full === 'up') this.detailOffset = Math.max(0, this.detailOffset - 1);
      return true;
    }
    const list = this.forwards.list;
    const recent = this.selected?.http.recent ?? [];
    switch (full) {
      case 'escape': case 'q': this.app.closeModal(); return true;
      case 'tab':
        this.inRequests = !this.inRequests && recent.length > 0;
        this.reqId = recent[recent.length - 1]?.id;
        return true;
      case 'j': case 'down':
        if (this.inRequests) this.moveRequest(recent, 1);
        else this.cursor = Math.min(list.length - 1, this.cursor + 1);
        return true;
      case 'k': case 'up':
        if (this.inRequests) this.moveRequest(recent, -1);
        else this.cursor = Math.max(0, this.cursor - 1);
        return true;
      case 'enter':
        if (this.inRequests) {
          this.detail = recent[recent.length - 1 - this.requestIndex(recent)];
          this.detailOffset = 0;
        }
        return true;
      case 'b': this.openLoad(false); return true;
      case 'S-b': case 'B': {
        // Bodies on demand: the first KiB of each next request and answer, shown redacted in the request view.
        const f = this.selected;
        if (!f) { this.app.message('no forward selected: start one with shift-f or :pf'); return true; }
        f.bodyLimit = f.bodyLimit ? 0 : BODY_LIMIT;
        this.app.message(f.bodyLimit ? `${f.label}: keeping the first ${BODY_LIMIT / 1024} KiB of each body from now on (memory only; redacted when shown)` : `${f.label}: bodies are counted, not kept`);
        return true;
      }
      case 'S-l': case 'L': this.openLoad(true); return true;
      case 'x': case 'delete': case 'C-d': {
        const f = list[this.cursor];
        this.inRequests = false;
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

  /** Where the selected request is in the newest-first list (the newest when it rotated out). */
  private requestIndex(recent: readonly HttpRecord[]): number {
    const at = recent.findIndex((r) => r.id === this.reqId);
    return at < 0 ? 0 : recent.length - 1 - at;
  }

  private moveRequest(recent: readonly HttpRecord[], by: number): void {
    const i = Math.max(0, Math.min(recent.length - 1, this.requestIndex(recent) + by));
    this.reqId = recent[recent.length - 1 - i]?.id;
  }

  onClose(): void {
    clearInterval(this.ticker);
    this.load?.dispose();
    this.element.destroy();
  }

  paint(theme: Theme): void {
    const width = Math.max(40, (this.element.width as number) - 2);
    const rows = Math.max(8, (this.element.height as number) - 2);
    const list = this.forwards.list;
    let lines: string[];
    if (this.load) lines = this.load.lines(theme, width, rows);
    else if (this.detail) {
      const all = requestDetail(theme, this.detail, width, Boolean(this.selected?.bodyLimit));
      lines = all.slice(Math.min(this.detailOffset, Math.max(0, all.length - rows)));
    }
    else lines = this.overview(theme, width, rows);
    this.element.setLabel(` port-forwards: ${list.length} active, ${list.reduce((n, f) => n + f.stats.open, 0)} connections open `);
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setContent(lines.slice(0, rows).join('\n'));
  }

  private overview(theme: Theme, width: number, rows: number): string[] {
    const list = this.forwards.list;
    const lines: string[] = [];
    if (!list.length) lines.push(paint(theme, 'muted', cellText('no forwards: shift-f on a pod or service, or :pf svc/NAME LOCAL:REMOTE', width)));
    this.cursor = Math.max(0, Math.min(this.cursor, list.length - 1));
    list.forEach((f, i) => {
      if (i === this.cursor) lines.push(...this.block(theme, f, width));
      else lines.push(this.oneLine(theme, f, width));
    });
    const todo = this.forwards.restorable();
    if (todo.length) {
      lines.push(paint(theme, 'warn', cellText(`remembered from an earlier session (r restores): ${todo.map((r) => `${r.kind === 'service' ? 'svc' : 'pod'}/${r.name} ${r.localPort}:${r.remotePort}`).join(', ')}`, width)));
    }
    const f = this.selected;
    if (f && (f.http.recent.length || f.stats.http.protocols.http1)) {
      if (lines[lines.length - 1] !== '') lines.push('');
      lines.push(paint(theme, 'header', cellText(`last requests of ${where(f)} (${f.http.recent.length} kept; tab: ${this.inRequests ? 'back to the forwards' : 'select one'}, enter: its headers)`, width)));
      const room = Math.max(3, rows - lines.length - 1);
      lines.push(...requestLines(theme, f.http.recent, this.requestIndex(f.http.recent), room, width, this.inRequests));
    }
    return lines;
  }

  /** The selected forward in full. */
  private block(theme: Theme, f: MeteredForward, width: number): string[] {
    const s = f.stats;
    const out: string[] = [];
    out.push(paint(theme, 'title', cellText(`▶ 127.0.0.1:${f.localPort} → ${where(f)}  (pod ${f.target?.pod ?? '?'}:${f.target?.port ?? '?'})`, width)));
    out.push(cellText(`   in ${formatBytes(s.bytesIn)}  out ${formatBytes(s.bytesOut)}  conns ${s.open} open / ${s.total} total  errors ${s.errors}  ttfb ${s.lastLatencyMs === undefined ? '-' : `${s.lastLatencyMs} ms`} (mean ${s.meanLatencyMs === undefined ? '-' : `${s.meanLatencyMs.toFixed(0)} ms`})`, width));
    const ended = `   ${paint(theme, 'muted', 'ended:')} ${s.closed} closed  ${s.reset ? paint(theme, 'error', `${s.reset} reset`) : '0 reset'}  ${s.timedOut ? paint(theme, 'error', `${s.timedOut} timed out`) : '0 timed out'}`;
    out.push(ended);
    const spark = Math.max(10, Math.min(60, width - 60));
    const peakIn = Math.max(0, ...s.rateIn), peakOut = Math.max(0, ...s.rateOut);
    // The gauge is the rate now against the peak of the last minute; the sparkline its history.
    const meter = (label: string, values: number[], peak: number, role: 'ok' | 'accent') =>
      `   ${paint(theme, 'muted', label)} ${gauge(theme, peak > 0 ? (rate(values) / peak) * 100 : 0, 18)} ${cellText(`${formatBytes(rate(values))}/s`.padEnd(11), 11)} ${paint(theme, 'muted', cellText(`peak ${formatBytes(peak)}/s`.padEnd(16), 16))} ${paint(theme, role, sparkline(values, spark))}`;
    out.push(meter('in ', s.rateIn, peakIn, 'ok'));
    out.push(meter('out', s.rateOut, peakOut, 'accent'));
    out.push(...httpSummaryLine(theme, f, width));
    if (s.fallback) out.push(paint(theme, 'warn', cellText(`   via ${s.fallback}`, width)));
    if (s.lastError) out.push(paint(theme, 'error', cellText(`   last error: ${s.lastError}`, width)));
    out.push(...issueLines(theme, s.issues, width));
    out.push('');
    return out;
  }

  /** Another forward, one line. */
  private oneLine(theme: Theme, f: MeteredForward, width: number): string {
    const s = f.stats;
    const h = s.http;
    const active = s.issues.filter((i) => i.active).length;
    const text = `  127.0.0.1:${f.localPort} → ${where(f)}  conns ${s.open}/${s.total}  in ${formatBytes(s.bytesIn)}  ${h.requests ? `${h.requestsPerSecond.toFixed(1)} req/s  5xx ${h.status['5xx']}  p99 ${ms(h.latencyMs?.p99)}` : ''}`;
    return cellText(text, width - 12) + (active ? paint(theme, 'error', ` ${active} issue${active > 1 ? 's' : ''}`) : '');
  }
}
