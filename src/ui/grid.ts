/**
 * Text rows for a table: column widths that fit the pane (least important columns dropped
 * first at 80 columns), and one line per object with every cell sanitised and fitted.
 */
import type { KubeObject } from '../kube/types.js';
import type { Column, RowContext } from './columns/index.js';
import { escapeTags, fit, sanitizePlain, displayWidth } from './sanitize.js';

export interface SizedColumn { col: Column; width: number }

const GAP = 2;
/** Columns kept longest when the pane is narrow. */
const ESSENTIAL = new Set(['NAME', 'STATUS', 'READY', 'MESSAGE', 'TYPE', 'REASON']);

export function sizeColumns(columns: Column[], width: number, sample: KubeObject[], ctx: RowContext): SizedColumn[] {
  let cols = [...columns];
  const natural = new Map<Column, number>();
  const measure = (c: Column) => {
    let w = c.name.length;
    if (!c.flex) for (const o of sample) w = Math.max(w, displayWidth(sanitizePlain(c.value(o, ctx))));
    return Math.min(w, c.max ?? Number.MAX_SAFE_INTEGER);
  };
  for (const c of cols) natural.set(c, measure(c));
  const need = (cs: Column[]) => cs.reduce((s, c) => s + (c.flex ? c.min : Math.max(c.name.length, Math.min(natural.get(c)!, Math.max(c.min, c.name.length)))), 0) + GAP * (cs.length - 1);
  // Drop the right-most non-essential column until the minimum widths fit.
  while (cols.length > 1 && need(cols) > width) {
    let i = cols.length - 1;
    while (i >= 0 && (ESSENTIAL.has(cols[i]!.name) || cols[i]!.flex)) i--;
    if (i < 0) break;
    cols.splice(i, 1);
  }
  const sized = cols.map((c) => ({ col: c, width: c.flex ? c.min : natural.get(c)! }));
  let used = sized.reduce((s, c) => s + c.width, 0) + GAP * (sized.length - 1);
  // Shrink non-flex columns toward their minimum if still too wide.
  for (const s of sized) {
    if (used <= width) break;
    if (s.col.flex) continue;
    const floor = Math.max(s.col.name.length, Math.min(s.col.min, s.width));
    const cut = Math.min(s.width - floor, used - width);
    s.width -= cut;
    used -= cut;
  }
  const flex = sized.find((s) => s.col.flex);
  if (flex) {
    // The flex column takes the rest, but no more than its longest value needs + room to breathe.
    let longest = flex.col.name.length;
    for (const o of sample) longest = Math.max(longest, displayWidth(sanitizePlain(flex.col.value(o, ctx))));
    const spare = Math.max(0, width - used);
    const isLast = sized[sized.length - 1] === flex;
    flex.width += isLast ? spare : Math.min(spare, Math.max(0, longest - flex.width));
  }
  return sized;
}

/** The header line, plain text (escape it before painting). */
export function headerLine(cols: SizedColumn[], sort?: { column?: string; reverse: boolean }): string {
  return cols
    .map((c) => {
      let name = c.col.name;
      if (sort?.column === name) name += sort.reverse ? '↑' : '↓';
      return fit(name, c.width);
    })
    .join(' '.repeat(GAP));
}

/** One row: cells sanitised (controls made visible), fitted, joined; tag braces escaped. */
export function rowLine(cols: SizedColumn[], o: KubeObject, ctx: RowContext): string {
  let line = '';
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    if (i > 0) line += '  ';
    line += fit(sanitizePlain(c.col.value(o, ctx)), c.width);
  }
  return escapeTags(line);
}
