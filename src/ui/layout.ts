/**
 * Where each pane goes. Two layouts: "browse" (tree | table over events) and "triage"
 * (table on top; events and a live describe of the selection below). Zoom gives the focused
 * pane the whole area. Ratios change with grow/shrink.
 */
export type LayoutName = 'browse' | 'triage';
export type PaneId = 'tree' | 'table' | 'events' | 'detail';

export interface Rect { left: number; top: number; width: number; height: number }

export interface LayoutState {
  name: LayoutName;
  zoom: PaneId | undefined;
  /** browse: tree width share; triage: events width share of the bottom row. */
  side: number;
  /** Share of the height the table takes. */
  main: number;
}

export const LAYOUTS: LayoutName[] = ['browse', 'triage'];

export function defaultLayout(name: LayoutName = 'browse'): LayoutState {
  // Triage gives the lower panes (events, live describe) more room.
  return { name, zoom: undefined, side: 0.25, main: name === 'triage' ? 0.45 : 0.68 };
}

/** Panes in focus order for a layout. */
export function panesOf(name: LayoutName): PaneId[] {
  return name === 'browse' ? ['tree', 'table', 'events'] : ['table', 'events', 'detail'];
}

export function computeLayout(s: LayoutState, width: number, height: number): Partial<Record<PaneId, Rect>> {
  const h = Math.max(3, height);
  const w = Math.max(10, width);
  if (s.zoom) return { [s.zoom]: { left: 0, top: 0, width: w, height: h } };
  const mainH = clamp(Math.round(h * s.main), 5, h - 3);
  if (s.name === 'browse') {
    const treeW = clamp(Math.round(w * s.side), 16, Math.floor(w * 0.5));
    return {
      tree: { left: 0, top: 0, width: treeW, height: h },
      table: { left: treeW, top: 0, width: w - treeW, height: mainH },
      events: { left: treeW, top: mainH, width: w - treeW, height: h - mainH },
    };
  }
  const evW = clamp(Math.round(w * (1 - s.side) * 0.5), 20, w - 20);
  return {
    table: { left: 0, top: 0, width: w, height: mainH },
    events: { left: 0, top: mainH, width: evW, height: h - mainH },
    detail: { left: evW, top: mainH, width: w - evW, height: h - mainH },
  };
}

/** grow/shrink: the focused pane gets ±5 % of the split it controls. */
export function resize(s: LayoutState, pane: PaneId, delta: number): LayoutState {
  const d = delta * 0.05;
  if (pane === 'tree') return { ...s, side: clamp(s.side + d, 0.1, 0.5) };
  if (pane === 'table') return { ...s, main: clamp(s.main + d, 0.2, 0.9) };
  if (pane === 'events' && s.name === 'browse') return { ...s, main: clamp(s.main - d, 0.2, 0.9) };
  if (pane === 'events') return { ...s, side: clamp(s.side - d, 0.1, 0.9) };
  return { ...s, side: clamp(s.side + d, 0.1, 0.9) };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
