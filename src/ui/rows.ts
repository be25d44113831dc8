/**
 * From a collection's objects to the rows a table shows: filter, owner scope, sort. Pure, so it
 * is unit-tested without a screen; the table pane calls it at most once per frame, and only
 * when the collection's version, the filter or the sort changed.
 */
import type { KubeObject } from '../kube/types.js';
import type { Column, KindView } from './columns/index.js';
import { filterAccepts, type Filter } from './filter.js';

export interface SortSpec {
  /** Column name; undefined = namespace/name order (what kubectl prints). */
  column?: string;
  reverse: boolean;
}

export function objectKey(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

// Text the `/` filter matches against, computed once per object version (objects are
// replaced on change, so identity is a safe cache key). Time-dependent cells use a fixed clock.
const texts = new WeakMap<KubeObject, string>();
function rowText(view: KindView, o: KubeObject): string {
  let t = texts.get(o);
  if (t === undefined) {
    t = view.columns.map((c) => c.value(o, { now: 0 })).join(' ');
    if (o.metadata.namespace && !view.columns.some((c) => c.name === 'NAMESPACE')) t = `${o.metadata.namespace} ${t}`;
    texts.set(o, t);
  }
  return t;
}

const collator = new Intl.Collator('en', { numeric: true });

function compareKeys(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

export function buildRows(
  items: Iterable<KubeObject>,
  view: KindView,
  opts: { filter: Filter; sort: SortSpec; scope?: (o: KubeObject) => boolean; now: number },
): KubeObject[] {
  const out: KubeObject[] = [];
  for (const o of items) {
    if (opts.scope && !opts.scope(o)) continue;
    if (!filterAccepts(opts.filter, o, () => rowText(view, o))) continue;
    out.push(o);
  }
  const byName = (a: KubeObject, b: KubeObject) => {
    const na = a.metadata.namespace ?? '';
    const nb = b.metadata.namespace ?? '';
    return na === nb ? (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0) : na < nb ? -1 : 1;
  };
  const col: Column | undefined = opts.sort.column ? view.columns.find((c) => c.name === opts.sort.column) : undefined;
  if (!col || col.name === 'NAME') {
    out.sort(byName);
  } else {
    const ctx = { now: opts.now };
    const keyOf = col.sortKey ?? col.value;
    // Decorate-sort-undecorate: each key is computed once.
    const keyed = out.map((o) => ({ o, k: keyOf(o, ctx) }));
    keyed.sort((a, b) => compareKeys(a.k, b.k) || byName(a.o, b.o));
    for (let i = 0; i < keyed.length; i++) out[i] = keyed[i]!.o;
  }
  if (opts.sort.reverse) out.reverse();
  return out;
}

export function healthCounts(view: KindView, items: Iterable<KubeObject>): Record<'ok' | 'warn' | 'error' | 'muted', number> {
  const c = { ok: 0, warn: 0, error: 0, muted: 0 };
  for (const o of items) c[view.health(o)]++;
  return c;
}
