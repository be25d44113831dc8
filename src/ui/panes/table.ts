/**
 * The resource table: the selected kind's objects with kubectl's columns, coloured by health,
 * filtered (`/`), sorted (column cycle, reverse), with marks for multi-select. Rows are rebuilt
 * at most once per frame and only when the collection, filter, sort or scope changed; only the
 * visible slice is turned into text.
 */
import type blessed from 'blessed';
import type { Collection, KubeObject, ResourceKind } from '../../kube/types.js';
import { viewFor, type KindView } from '../columns/index.js';
import { buildRowList, NameOrder, NO_ROWS, objectKey, type RowList, type SortSpec } from '../rows.js';
import { parseFilter, type Filter } from '../filter.js';
import { headerLine, rowLine, sizeColumns, type SizedColumn } from '../grid.js';
import { paint } from '../theme.js';
import { escapeTags, fit } from '../sanitize.js';
import { ListPane, type PaintInfo } from './list.js';

export interface TableScope {
  /** Shown in the title, e.g. "deployment/web". */
  label: string;
  /** Called at each rebuild: returns the predicate rows must pass. */
  make: () => (o: KubeObject) => boolean;
}

export class TablePane extends ListPane {
  collection: Collection | undefined;
  view: KindView | undefined;
  filterText = '';
  filter: Filter = { type: 'none' };
  sort: SortSpec = { reverse: false };
  scope: TableScope | undefined;
  readonly marks = new Set<string>();
  rows: RowList = NO_ROWS;
  private builtFor = { version: -1, collection: undefined as Collection | undefined, stamp: 0 };
  private stamp = 0;
  private selectedKey: string | undefined;
  private cols: SizedColumn[] = [];
  private order = new NameOrder();
  /** Called when the selected object changes (tree, events and detail follow it). */
  onSelect: (o: KubeObject | undefined) => void = () => {};

  constructor(screen: blessed.Widgets.Screen, id: 'table' | 'events' = 'table') {
    super(id, screen);
    this.headerRows = 1;
  }

  get kind(): ResourceKind | undefined {
    return this.collection?.kind;
  }

  setCollection(c: Collection | undefined, allNamespaces: boolean): void {
    this.collection = c;
    this.order = new NameOrder();
    this.allNamespaces = allNamespaces;
    this.view = c ? this.viewOf(c) : undefined;
    this.marks.clear();
    this.cursor = 0;
    this.offset = 0;
    this.selectedKey = undefined;
    if (this.sort.column && !this.view?.columns.some((col) => col.name === this.sort.column)) this.sort = { reverse: false };
    this.invalidate();
  }

  /** Columns from elsewhere (a CRD's printer columns); undefined: the built-in view. */
  viewOverride?: (kind: ResourceKind) => KindView | undefined;
  private allNamespaces = false;

  private viewOf(c: Collection): KindView {
    const all = this.allNamespaces && c.kind.namespaced;
    const custom = this.viewOverride?.(c.kind);
    if (!custom) return viewFor(c.kind, all);
    return all ? { ...custom, columns: [viewFor(c.kind, true).columns[0]!, ...custom.columns] } : custom;
  }

  /** The override has news (the CRD arrived or changed): columns are rebuilt, rows kept. */
  refreshView(): void {
    if (!this.collection) return;
    this.view = this.viewOf(this.collection);
    this.invalidate();
  }

  /** Throws FilterError for a bad selector; the caller shows the message. */
  setFilter(text: string): void {
    const f = parseFilter(text);
    this.filterText = text.trim();
    this.filter = f;
    this.invalidate();
  }

  setScope(scope: TableScope | undefined): void {
    this.scope = scope;
    this.cursor = 0;
    this.selectedKey = undefined;
    this.invalidate();
  }

  invalidate(): void {
    this.stamp++;
    this.requestPaint();
  }

  selected(): KubeObject | undefined {
    this.refresh();
    return this.rows.at(this.cursor);
  }

  /** Marked objects, or the selected one when nothing is marked. */
  targets(): KubeObject[] {
    this.refresh();
    if (this.marks.size === 0) {
      const o = this.rows.at(this.cursor);
      return o ? [o] : [];
    }
    const items = this.collection?.items();
    return [...this.marks].map((k) => items?.get(k)).filter((o): o is KubeObject => !!o);
  }

  selectKey(key: string): void {
    this.refresh();
    const i = this.rows.indexOfKey(key);
    if (i >= 0) {
      this.cursor = i;
      this.cursorMoved();
    }
  }

  /** Rebuilds the rows when something they depend on changed; keeps the selected object. */
  refresh(now = Date.now()): void {
    const c = this.collection;
    if (!c || !this.view) {
      this.rows = NO_ROWS;
      return;
    }
    if (this.builtFor.collection === c && this.builtFor.version === c.version && this.builtFor.stamp === this.stamp) return;
    const keep = this.selectedKey;
    this.rows = buildRowList(c.items(), this.view, { filter: this.filter, sort: this.sort, scope: this.scope?.make(), now, order: this.order });
    this.builtFor = { version: c.version, collection: c, stamp: this.stamp };
    if (keep !== undefined) {
      const cur = this.rows.at(this.cursor);
      if (!cur || objectKey(cur) !== keep) {
        const i = this.rows.indexOfKey(keep);
        if (i >= 0) this.cursor = i;
      }
    }
    // Marks of objects that are gone are dropped (no ghost targets).
    if (this.marks.size) {
      const items = c.items();
      for (const k of [...this.marks]) if (!items.has(k)) this.marks.delete(k);
    }
    this.cursor = Math.max(0, Math.min(this.rows.length - 1, this.cursor));
    const sel = this.rows.at(this.cursor);
    const key = sel ? objectKey(sel) : undefined;
    if (key !== this.selectedKey) {
      this.selectedKey = key;
      this.onSelect(sel);
    }
  }

  protected override cursorMoved(): void {
    const sel = this.rows.at(this.cursor);
    const key = sel ? objectKey(sel) : undefined;
    if (key !== this.selectedKey) {
      this.selectedKey = key;
      this.onSelect(sel);
    }
  }

  count(): number {
    return this.rows.length;
  }

  title(): string {
    const c = this.collection;
    if (!c) return 'resources';
    const ns = c.kind.namespaced ? (c.namespace ?? 'all') : '';
    const total = c.items().size;
    const parts = [`${c.kind.resource}${ns ? `(${ns})` : ''}`];
    if (this.scope) parts.push(`⊂ ${this.scope.label}`);
    parts.push(this.rows.length === total ? `[${total}]` : `[${this.rows.length}/${total}]`);
    if (this.filterText) parts.push(`/${this.filterText}`);
    if (this.marks.size) parts.push(`${this.marks.size} marked`);
    const st = c.state();
    if (st.phase !== 'synced') parts.push(`‹${st.phase}›`);
    return parts.join(' ');
  }

  hints(): string {
    return 'enter:drill d:describe y:yaml /:filter o:sort space:mark 0:all-ns ::cmd ?:help';
  }

  protected override emptyText(): string {
    const c = this.collection;
    if (!c) return 'no resource kind selected';
    const st = c.state();
    if (st.phase === 'forbidden') return `forbidden: ${st.message ?? ''}`;
    if (st.phase === 'connecting') return 'loading…';
    if (st.phase === 'error' || st.phase === 'reconnecting') return `${st.phase}: ${st.message ?? ''}`;
    if (this.filterText || this.scope) return `no ${c.kind.resource} match`;
    return `no ${c.kind.resource}${c.namespace ? ` in namespace ${c.namespace}` : ''}`;
  }

  protected override header(width: number, info: PaintInfo): string {
    this.refresh(info.now);
    const [from, to] = this.clamp();
    const ctx = { now: info.now };
    this.cols = this.view ? sizeColumns(this.view.columns, Math.max(1, width - 3), this.rows.slice(from, to), ctx) : [];
    // Room for the sort arrow next to the sorted column's name.
    const sorted = this.cols.find((c) => c.col.name === this.sort.column);
    if (sorted && sorted.width <= sorted.col.name.length) {
      sorted.width = sorted.col.name.length + 1;
      const flex = this.cols.find((c) => c.col.flex && c !== sorted);
      if (flex && flex.width > 4) flex.width--;
    }
    return paint(info.theme, 'header', escapeTags(fit('  ' + headerLine(this.cols, this.sort), width)));
  }

  protected line(i: number, width: number, info: PaintInfo, selected: boolean): string {
    const o = this.rows.at(i);
    if (!o) return ' '.repeat(width);
    const marked = this.marks.has(objectKey(o));
    const text = rowLine(this.cols, o, { now: info.now });
    const prefix = marked ? '✓ ' : '  ';
    const pad = Math.max(0, width - 2 - lineWidth(this.cols));
    const body = prefix + text + ' '.repeat(pad);
    if (selected) return body;
    const health = this.view!.health(o);
    const coloured = paint(info.theme, health, body);
    return marked ? paint(info.theme, 'mark', coloured) : coloured;
  }

  handleTableAction(action: string): boolean {
    switch (action) {
      case 'mark': {
        const o = this.selected();
        if (!o) return true;
        const k = objectKey(o);
        if (this.marks.has(k)) this.marks.delete(k);
        else this.marks.add(k);
        this.move(1);
        return true;
      }
      case 'clearMarks':
        this.marks.clear();
        return true;
      case 'sortNext': {
        const names = this.view?.columns.map((c) => c.name) ?? [];
        const i = this.sort.column ? names.indexOf(this.sort.column) : -1;
        this.sort = { column: names[(i + 1) % names.length], reverse: this.sort.reverse };
        this.invalidate();
        return true;
      }
      case 'sortReverse':
        this.sort = { ...this.sort, reverse: !this.sort.reverse };
        this.invalidate();
        return true;
      default:
        return this.handleAction(action);
    }
  }
}

function lineWidth(cols: SizedColumn[]): number {
  return cols.reduce((s, c) => s + c.width, 0) + 2 * Math.max(0, cols.length - 1);
}
