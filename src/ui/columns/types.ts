/** How a resource kind is shown as a table: columns like `kubectl get`, and a health per row. */
import type { KubeObject } from '../../kube/types.js';

export type Health = 'ok' | 'warn' | 'error' | 'muted';

export interface RowContext {
  /** Milliseconds since the epoch: ages are computed against it. */
  now: number;
}

export interface Column {
  name: string;
  /** Cells this column needs at least; the NAME-like flex column takes what is left. */
  min: number;
  /** Cells beyond which the column never grows. */
  max?: number;
  flex?: boolean;
  /**
   * Which columns a narrow pane drops first: 'wide' (kubectl's `-o wide` extras, dropped before
   * a name is cut), 'normal' (default; dropped when even the minimums do not fit), 'always'
   * (never dropped: NAME, the object of an event).
   */
  keep?: 'wide' | 'normal' | 'always';
  value(o: KubeObject, ctx: RowContext): string;
  /** Sort key when it differs from the text (ages sort by timestamp, counts numerically). */
  sortKey?(o: KubeObject, ctx: RowContext): number | string;
}

export interface KindView {
  columns: Column[];
  health(o: KubeObject): Health;
}
