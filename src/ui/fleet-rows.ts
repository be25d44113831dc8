/**
 * Rows of a table across clusters: the objects of one kind from every context of the fleet,
 * with a CONTEXT column first, filtered (`/`, the table's filter language) and sorted like
 * the single-cluster table. Pure over the members' collections; rebuilt only when one of them
 * changed, the filter or the sort.
 */
import type { Collection, KubeObject } from '../kube/types.js';
import { viewFor, type Column, type KindView } from './columns/index.js';
import { filterAccepts, type Filter } from './filter.js';

export interface FleetRow { context: string; object: KubeObject }

/** A CONTEXT column whose value comes from the row's context (objects are per-context). */
export function contextColumn(contextOf: (o: KubeObject) => string): Column {
  return { name: 'CONTEXT', min: 7, max: 24, value: (o) => contextOf(o) };
}

const collator = new Intl.Collator('en', { numeric: true });

export class FleetRows {
  private readonly contextOf = new WeakMap<KubeObject, string>();
  readonly view: KindView;
  private key = '';
  private rows: FleetRow[] = [];
  private texts = new WeakMap<KubeObject, string>();

  constructor(kind: { resource: string; group: string }) {
    const base = viewFor(kind, true);
    this.view = { ...base, columns: [contextColumn((o) => this.contextOf.get(o) ?? ''), ...base.columns] };
  }

  /**
   * The rows for these collections (context → collection), filter and sort. Returns the same
   * array while nothing changed.
   */
  build(cols: Array<{ context: string; collection: Collection | undefined }>, filter: Filter, filterText: string, sort: { column?: string; reverse: boolean }): FleetRow[] {
    const key = cols.map((c) => `${c.context}:${c.collection?.version ?? -1}`).join(',') + `|${filterText}|${sort.column ?? ''}|${sort.reverse}`;
    if (key === this.key) return this.rows;
    this.key = key;
    const out: FleetRow[] = [];
    for (const { context, collection } of cols) {
      if (!collection) continue;
      for (const o of collection.items().values()) {
        this.contextOf.set(o, context);
        if (filter.type !== 'none' && !filterAccepts(filter, o, () => this.text(context, o))) continue;
        out.push({ context, object: o });
      }
    }
    const col = sort.column ? this.view.columns.find((c) => c.name === sort.column) : undefined;
    if (col) {
      const now = Date.now();
      const k = (r: FleetRow) => (col.sortKey ? col.sortKey(r.object, { now }) : col.value(r.object, { now }));
      const keys = new Map(out.map((r) => [r, k(r)]));
      out.sort((a, b) => {
        const x = keys.get(a)!, y = keys.get(b)!;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
        return sort.reverse ? -c : c;
      });
    } else {
      // Context, then namespace/name: what `kubectl get -A` prints, per cluster in fleet order.
      const order = new Map(cols.map((c, i) => [c.context, i]));
      out.sort((a, b) => (order.get(a.context)! - order.get(b.context)!) || cmp(a.object.metadata.namespace ?? '', b.object.metadata.namespace ?? '') || cmp(a.object.metadata.name, b.object.metadata.name));
      if (sort.reverse) out.reverse();
    }
    this.rows = out;
    return out;
  }

  /** Filter text of a row: its context and every column (ages at a fixed clock). */
  private text(context: string, o: KubeObject): string {
    let t = this.texts.get(o);
    if (t === undefined) {
      t = `${context} ${this.view.columns.slice(1).map((c) => c.value(o, { now: 0 })).join(' ')}`;
      this.texts.set(o, t);
    }
    return t;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
