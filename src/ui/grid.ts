/**
 * Text rows for a table: column widths that fit the pane (least important columns dropped
 * first at 80 columns), and one line per object with every cell sanitised and fitted.
 */
import type { KubeObject } from '../kube/types.js';
import type { Column, RowContext } from './columns/index.js';
import { escapeTags, fit, sanitizePlain, displayWidth } from './sanitize.js';

export interface SizedColumn { col: Column; width: number }

const GAP = 2;
/** Columns kept longest when the pane is narrow (besides those marked keep: 'always'). */
const ESSENTIAL = new Set(['NAME', 'STATUS', 'READY', 'MESSAGE', 'TYPE', 'REASON']);

const keepOf = (c: Column) => c.keep ?? (ESSENTIAL.has(c.name) || c.flex ? 'always' : 'normal');

/**
 * Widths from the content: every column as wide as its widest visible value (up to its max),
 * names in full when they fit. When the pane is too narrow, `-o wide` columns go first (before
 * a name is cut), then other columns right to left (before the minimums overflow); NAME and the
 * columns marked 'always' stay.
 */
export function sizeColumns(columns: Column[], width: number, sample: KubeObject[], ctx: RowContext): SizedColumn[] {
  const natural = new Map<Column, number>();
  for (const c of columns) {
    let w = c.name.length;
    for (const o of sample) w = Math.max(w, displayWidth(sanitizePlain(c.value(o, ctx))));
    natural.set(c, c.flex ? Math.max(w, c.min) : Math.min(w, c.max ?? Number.MAX_SAFE_INTEGER));
  }
  const floorOf = (c: Column) => Math.max(c.name.length, Math.min(natural.get(c)!, c.min));
  const total = (cs: Column[], w: (c: Column) => number) => cs.reduce((s, c) => s + w(c), 0) + GAP * (cs.length - 1);
  const dropRightMost = (cs: Column[], level: 'wide' | 'normal') => {
    for (let i = cs.length - 1; i >= 0; i--) if (keepOf(cs[i]!) === level) { cs.splice(i, 1); return true; }
    return false;
  };
  const cols = [...columns];
  // Wide extras give way to names in full (not to a trailing MESSAGE: it is cut instead).
  const wants = (c: Column) => (c.flex && c === cols[cols.length - 1] ? c.min : natural.get(c)!);
  while (total(cols, wants) > width && dropRightMost(cols, 'wide'));
  // Then, only when even the minimums overflow, the other droppable columns.
  while (cols.length > 1 && total(cols, floorOf) > width && dropRightMost(cols, 'normal'));

  const sized = cols.map((c) => ({ col: c, width: natural.get(c)! }));
  let over = total(cols, (c) => natural.get(c)!) - width;
  // Too wide: a trailing free-text column (MESSAGE) gives first, then the others right to left,
  // then a name column last of all.
  const last = sized[sized.length - 1];
  const trailing = last?.col.flex ? [last] : [];
  const order = [...trailing, ...[...sized].reverse().filter((x) => !x.col.flex), ...sized.filter((x) => x.col.flex && x !== last)];
  for (const s of order) {
    if (over <= 0) break;
    const cut = Math.min(s.width - floorOf(s.col), over);
    s.width -= cut;
    over -= cut;
  }
  // Room to spare: a last flex column (MESSAGE) takes it all.
  if (over < 0 && last?.col.flex) last.width += -over;
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
