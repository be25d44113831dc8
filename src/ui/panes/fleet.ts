/**
 * The fleet view (`:fleet`, `--context a --context b`, `--all-contexts`): one row per context,
 * live from each context's own informers (src/fleet), and `:pods` across every context with a
 * CONTEXT column, filtered (`/`) and sorted like any table. Enter goes into that cluster's own
 * view; an operation on rows is handed to the host with its context, one request per context.
 *
 * It needs only the FleetHost below from the cockpit (never the cockpit itself).
 */
import blessed from 'blessed';
import type { KubeObject, ResourceKind } from '../../kube/types.js';
import type { FleetMonitor } from '../../fleet/monitor.js';
import { fleetCells, FLEET_COLUMNS } from '../../fleet/render.js';
import type { ContextSummary } from '../../fleet/summary.js';
import { CORE_PODS } from '../../kube/discovery.js';
import { FleetRows, type FleetRow } from '../fleet-rows.js';
import { parseFilter, type Filter } from '../filter.js';
import { headerLine, rowLine, sizeColumns } from '../grid.js';
import { LineEditor } from '../prompt.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Role, type Theme } from '../theme.js';
import type { Keymap } from '../keymap.js';

export type FleetMutation = 'delete' | 'restart' | 'scale' | 'edit' | 'cordon' | 'uncordon' | 'drain';

/** What the fleet view needs from its host. */
export interface FleetHost {
  readonly screen: blessed.Widgets.Screen;
  readonly keymap: Keymap;
  readonly readonlyMode: boolean;
  message(text: string, level?: 'info' | 'error'): void;
  markDirty(): void;
  closeModal(): void;
  /** Makes `context` the cockpit's cluster (its normal views). */
  switchContext(name: string): Promise<void>;
  runBuiltinCommand(text: string): boolean;
  /** An operation on objects of one context (the operations pipeline previews it, naming the context). */
  operateIn?(context: string, verb: FleetMutation, kind: ResourceKind, targets: KubeObject[]): Promise<void> | void;
}

/** The context rows, or a table of one kind across contexts. */
type Mode = 'contexts' | 'table';
const STATE_ROLE: Record<ContextSummary['state'], Role> = { ok: 'ok', connecting: 'muted', unreachable: 'error', forbidden: 'warn' };
const MUTATIONS: FleetMutation[] = ['delete', 'restart', 'scale', 'edit'];

export class FleetPane {
  readonly element: blessed.Widgets.BoxElement;
  private mode: Mode = 'contexts';
  private selected = 0;
  private offset = 0;
  private filterText = '';
  private filter: Filter = { type: 'none' };
  private sort: { column?: string; reverse: boolean } = { reverse: false };
  private prompt?: { editor: LineEditor; kind: 'command' | 'filter'; before: string };
  /** The kind of the cross-cluster table: pods (always watched), or another kind watched while shown. */
  private table: { name: string; label: string; kind?: ResourceKind; rows?: FleetRows } = { name: 'pods', label: 'pods', kind: CORE_PODS, rows: new FleetRows(CORE_PODS) };
  private readonly marked = new Set<KubeObject>();
  private readonly off: () => void;
  private pendingG = false;

  constructor(private readonly host: FleetHost, readonly monitor: FleetMonitor) {
    this.element = blessed.box({ parent: host.screen, top: 0, left: 0, width: '100%', height: '100%-1', border: { type: 'line' }, tags: true, hidden: true, wrap: false, label: ' fleet ' });
    this.off = monitor.onChange(() => host.markDirty());
  }

  get hints(): string {
    if (this.prompt) return this.prompt.kind === 'filter' ? 'enter:apply esc:cancel' : 'enter:run esc:cancel';
    return this.mode === 'contexts'
      ? 'enter:open cluster :pods:pods of all contexts /:filter esc:close'
      : `enter:open in its cluster /:filter o:sort space:mark${this.host.readonlyMode ? '' : ' ctrl-d:delete'} :fleet:contexts esc:back`;
  }

  /** The view on open: the context rows, or a kind's table across contexts (`pods`, `deploy`, …). */
  show(kind?: string): void {
    if (!kind || kind === 'contexts') { this.setMode('contexts'); return; }
    if (this.showKind(kind)) return;
    // Kinds other than pods need a context's discovery: show the contexts until one answers.
    this.setMode('contexts');
    void Promise.race(this.monitor.members.map((m) => m.source.discovered())).then(() => {
      if (!this.closed && this.mode === 'contexts' && !this.showKind(kind)) this.host.message(`fleet: no context serves '${kind}'`, 'error');
    });
  }

  /** A table of `name` (pods, deploy, svc, …) across the contexts; false when no context knows it. */
  private showKind(name: string): boolean {
    const isPods = ['pods', 'pod', 'po'].includes(name);
    if (!isPods) {
      const members = this.monitor.members;
      const kind = members.map((m) => m.source.resolveKind(name)).find(Boolean);
      if (!kind) return false;
      for (const m of members) m.watchKind(name);
      this.table = { name, label: kind.resource, kind, rows: new FleetRows(kind) };
    } else {
      for (const m of this.monitor.members) m.unwatchKind();
      this.table = { name: 'pods', label: 'pods', kind: CORE_PODS, rows: new FleetRows(CORE_PODS) };
    }
    this.sort = { reverse: false };
    this.setMode('table');
    return true;
  }

  private setMode(mode: Mode): void {
    if (mode === 'contexts' && this.table.name !== 'pods') {
      for (const m of this.monitor.members) m.unwatchKind();
      this.table = { name: 'pods', label: 'pods', kind: CORE_PODS, rows: new FleetRows(CORE_PODS) };
    }
    this.mode = mode;
    this.selected = 0;
    this.offset = 0;
    this.marked.clear();
    // A filter belongs to the table it was typed in.
    this.filter = { type: 'none' };
    this.filterText = '';
    this.host.markDirty();
  }

  // ——— rows ———

  private contextRows(): ContextSummary[] {
    const all = this.monitor.summaries();
    if (this.filter.type === 'none') return all;
    return all.filter((s) => this.filter.type === 'text' ? this.filter.test(fleetCells(s).join(' ')) !== this.filter.inverse : true);
  }

  /**
   * Rows of the table's kind in the reachable contexts (an unreachable one's cache is stale: its
   * rows are left out and the label says so).
   */
  private pods(): FleetRow[] {
    const live = this.monitor.members.filter((m) => m.state().state !== 'unreachable');
    const t = this.table;
    const col = (m: (typeof live)[number]) => (t.name === 'pods' ? m.pods() : m.watchKind(t.name));
    return t.rows!.build(live.map((m) => ({ context: m.context, collection: col(m) })), this.filter, this.filterText, this.sort);
  }

  private unreachable(): string[] {
    return this.monitor.members.filter((m) => m.state().state === 'unreachable').map((m) => m.context);
  }

  private count(): number {
    return this.mode === 'contexts' ? this.contextRows().length : this.pods().length;
  }

  // ——— keys ———

  handleKey(full: string, ch: string | undefined): boolean {
    if (this.prompt) return this.promptKey(full, ch), true;
    if (full === 'g' && this.pendingG) { this.pendingG = false; return this.move(-Infinity), true; }
    this.pendingG = full === 'g';
    const action = this.host.keymap.byKey.get(full);
    if (full === 'enter') return void this.enter(), true;
    if (full === 'escape' || action === 'back') {
      if (this.filterText) { this.setFilter(''); return true; }
      if (this.mode === 'table') { this.setMode('contexts'); return true; }
      this.host.closeModal();
      return true;
    }
    switch (action) {
      case 'down': this.move(1); return true;
      case 'up': this.move(-1); return true;
      case 'pageDown': this.move(this.visibleRows()); return true;
      case 'pageUp': this.move(-this.visibleRows()); return true;
      case 'top': this.move(-Infinity); return true;
      case 'bottom': this.move(Infinity); return true;
      case 'filter': this.prompt = { editor: new LineEditor('/', this.filterText), kind: 'filter', before: this.filterText }; return true;
      case 'command': this.prompt = { editor: new LineEditor(':', ''), kind: 'command', before: '' }; return true;
      case 'quit': this.host.runBuiltinCommand('q'); return true;
      case 'mark': this.mark(); return true;
      case 'clearMarks': this.marked.clear(); return true;
      case 'sortNext': this.sortNext(); return true;
      case 'sortReverse': this.sort = { ...this.sort, reverse: !this.sort.reverse }; return true;
    }
    if (action && (MUTATIONS as string[]).includes(action)) return void this.operate(action as FleetMutation), true;
    return this.pendingG;
  }

  private promptKey(full: string, ch: string | undefined): void {
    const p = this.prompt!;
    const r = p.editor.key({ full, ch });
    if (r === 'cancel') {
      if (p.kind === 'filter') this.setFilter(p.before);
      this.prompt = undefined;
    } else if (r === 'changed' && p.kind === 'filter') {
      try { this.setFilter(p.editor.text); } catch { /* half-typed: shown on enter */ }
    } else if (r === 'submit') {
      this.prompt = undefined;
      if (p.kind === 'filter') {
        try { this.setFilter(p.editor.text.trim()); } catch (err) { this.host.message(`filter: ${(err as Error).message}`, 'error'); this.setFilter(p.before); }
      } else this.command(p.editor.text.trim());
    }
    this.host.markDirty();
  }

  private setFilter(text: string): void {
    const f = parseFilter(text);
    this.filter = f;
    this.filterText = text;
    this.selected = 0;
    this.offset = 0;
  }

  private command(text: string): void {
    const [cmd = '', ...args] = text.replace(/^:/, '').split(/\s+/);
    if (!cmd) return;
    if (['fleet', 'contexts', 'ctx'].includes(cmd) && !args.length) return this.setMode('contexts');
    if (cmd !== 'q' && !cmd.startsWith('q!') && this.showKind(cmd)) {
      if (args.length) this.setFilter(args.join(' '));
      return;
    }
    if (['q', 'q!', 'quit', 'exit'].includes(cmd)) { this.host.runBuiltinCommand('q'); return; }
    // Anything else is for one cluster: leave the fleet view and run it there.
    this.host.closeModal();
    if (!this.host.runBuiltinCommand(text)) this.host.message(`unknown command ':${text}' — in the fleet view: :pods, :fleet, :q; other commands run in the current cluster`, 'error');
  }

  private move(n: number): void {
    const count = this.count();
    this.selected = Math.max(0, Math.min(count - 1, n === Infinity ? count - 1 : n === -Infinity ? 0 : this.selected + n));
  }

  private visibleRows(): number {
    return Math.max(1, (this.element.height as number) - 5);
  }

  private sortNext(): void {
    if (this.mode !== 'table') return;
    const names = this.table.rows!.view.columns.map((c) => c.name);
    const i = this.sort.column ? names.indexOf(this.sort.column) : -1;
    this.sort = { column: names[i + 1], reverse: false };
    this.host.message(`sort: ${this.sort.column ?? 'context, namespace, name'}`);
  }

  private mark(): void {
    if (this.mode !== 'table') return;
    const row = this.pods()[this.selected];
    if (!row) return;
    if (this.marked.has(row.object)) this.marked.delete(row.object);
    else this.marked.add(row.object);
    this.move(1);
  }

  private async enter(): Promise<void> {
    if (this.mode === 'contexts') {
      const s = this.contextRows()[this.selected];
      if (!s) return;
      this.host.closeModal();
      await this.host.switchContext(s.context);
      // From an overview of clusters into one: its pods in every namespace, worst rows visible.
      this.host.runBuiltinCommand('pods -A');
      return;
    }
    const row = this.pods()[this.selected];
    if (!row) return;
    this.host.closeModal();
    await this.host.switchContext(row.context);
    const o = row.object.metadata;
    this.host.runBuiltinCommand(o.namespace ? `${this.table.label} -n ${o.namespace} ${o.name}` : `${this.table.label} ${o.name}`);
  }

  /** Marked rows (or the selected one), grouped by context: one operation request per context. */
  private operate(verb: FleetMutation): void {
    if (this.mode !== 'table') { this.host.message(`${verb}: open a context (enter) or :pods first`, 'error'); return; }
    if (this.host.readonlyMode) { this.host.message(`read-only mode: ${verb} is disabled (--readonly)`, 'error'); return; }
    if (!this.host.operateIn) { this.host.message(`${verb}: the operations pipeline is not loaded yet`, 'error'); return; }
    const rows = this.pods();
    const chosen = this.marked.size ? rows.filter((r) => this.marked.has(r.object)) : rows.slice(this.selected, this.selected + 1);
    if (!chosen.length) { this.host.message(`nothing selected to ${verb}`, 'error'); return; }
    const kind = this.table.kind!;
    const byContext = new Map<string, KubeObject[]>();
    for (const r of chosen) byContext.set(r.context, [...(byContext.get(r.context) ?? []), r.object]);
    if (byContext.size > 1) this.host.message(`${verb}: ${byContext.size} contexts → ${byContext.size} plans, each previewed and confirmed on its own`);
    void (async () => {
      for (const [context, objects] of byContext) await this.host.operateIn!(context, verb, kind, objects);
      // Back to the fleet's table once every plan was confirmed or rejected.
      this.host.runBuiltinCommand(`fleet ${kind.resource}`);
    })().catch((err: Error) => this.host.message(`${verb}: ${err.message}`, 'error'));
  }

  // ——— paint ———

  paint(theme: Theme): void {
    const width = Math.max(20, (this.element.width as number) - 2);
    const height = Math.max(3, (this.element.height as number) - 2);
    const lines: string[] = [];
    const sums = this.monitor.summaries();
    const by = (st: string) => sums.filter((s) => s.state === st).length;
    const summary = [`${sums.length} contexts`, by('ok') ? `${by('ok')} ok` : '', by('unreachable') ? `${by('unreachable')} unreachable` : '', by('forbidden') ? `${by('forbidden')} forbidden` : '', by('connecting') ? `${by('connecting')} connecting` : ''].filter(Boolean).join(', ');
    const room = height - 2 - (this.prompt || this.filterText ? 1 : 0);
    if (this.mode === 'contexts') this.paintContexts(theme, lines, width, room);
    else this.paintPods(theme, lines, width, room);
    while (lines.length < height - 1) lines.push('');
    if (this.prompt) {
      const e = this.prompt.editor;
      const before = escapeTags(sanitizePlain(e.text.slice(0, e.cursor)));
      const at = escapeTags(sanitizePlain(e.text[e.cursor] ?? ' '));
      lines.push(`${paint(theme, 'accent', e.prefix)}${before}{inverse}${at}{/inverse}${escapeTags(sanitizePlain(e.text.slice(e.cursor + 1)))}`);
    } else if (this.filterText) lines.push(paint(theme, 'muted', escapeTags(fit(`filter: /${sanitizePlain(this.filterText)}`, width, false))));
    const down = this.unreachable();
    const what = this.mode === 'contexts' ? summary : `${this.table.label} in ${sums.length} contexts: ${this.pods().length}${this.marked.size ? `, ${this.marked.size} marked` : ''}${down.length ? ` (not shown, unreachable: ${down.join(', ')})` : ''}`;
    this.element.setLabel(` fleet: ${escapeTags(what)} `);
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setContent(lines.join('\n'));
  }

  private window(count: number, room: number): [number, number] {
    this.selected = Math.max(0, Math.min(this.selected, count - 1));
    if (this.selected < this.offset) this.offset = this.selected;
    if (this.selected >= this.offset + room) this.offset = this.selected - room + 1;
    this.offset = Math.max(0, Math.min(this.offset, Math.max(0, count - room)));
    return [this.offset, Math.min(count, this.offset + room)];
  }

  private paintContexts(theme: Theme, lines: string[], width: number, room: number): void {
    const rows = this.contextRows();
    const cells = rows.map(fleetCells);
    // Every column but STATE and FINDINGS at its natural width; STATE gets up to 40, FINDINGS the rest.
    const widths = FLEET_COLUMNS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
    widths[1] = Math.min(widths[1]!, 40);
    const fixed = widths.slice(0, -1).reduce((a, b) => a + b + 2, 0);
    widths[widths.length - 1] = Math.max(8, width - fixed);
    const line = (c: string[]) => c.map((x, i) => fit(sanitizePlain(x), widths[i]!)).join('  ');
    lines.push(paint(theme, 'header', escapeTags(fit(line([...FLEET_COLUMNS]), width))));
    const [from, to] = this.window(rows.length, room);
    for (let i = from; i < to; i++) {
      const s = rows[i]!;
      const text = escapeTags(fit(line(cells[i]!), width));
      const role: Role = i === this.selected ? 'selection' : s.state !== 'ok' ? STATE_ROLE[s.state] : (s.pods?.failing || (s.nodes && s.nodes.ready < s.nodes.total)) ? 'warn' : 'fg';
      lines.push(paint(theme, role, text));
    }
    if (!rows.length) lines.push(paint(theme, 'muted', this.filterText ? 'no context matches the filter' : 'no contexts'));
  }

  private paintPods(theme: Theme, lines: string[], width: number, room: number): void {
    const rows = this.pods();
    const [from, to] = this.window(rows.length, room);
    const sample = rows.slice(from, Math.max(to, from + 200)).map((r) => r.object);
    const now = Date.now();
    const view = this.table.rows!.view;
    const cols = sizeColumns(view.columns, width - 2, sample, { now });
    lines.push(paint(theme, 'header', escapeTags(fit(`  ${headerLine(cols, this.sort)}`, width))));
    for (let i = from; i < to; i++) {
      const r = rows[i]!;
      const text = `${this.marked.has(r.object) ? '*' : ' '} ${rowLine(cols, r.object, { now })}`;
      const h = view.health(r.object);
      const role: Role = i === this.selected ? 'selection' : this.marked.has(r.object) ? 'mark' : h === 'ok' ? 'fg' : h;
      lines.push(paint(theme, role, text));
    }
    if (!rows.length) {
      const what = this.table.label;
      lines.push(paint(theme, 'muted', this.filterText ? `no ${what} match the filter` : `no ${what} (or still listing)`));
    }
  }

  private closed = false;

  onClose(): void {
    this.closed = true;
    this.off();
    this.element.destroy();
    void this.monitor.close();
  }
}

