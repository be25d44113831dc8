/** Which panes are visible, where, and which has the focus (layouts, zoom, grow/shrink). */
import type { ListPane } from '../panes/list.js';
import { computeLayout, defaultLayout, panesOf, type LayoutName, type PaneId } from '../layout.js';
import type { CockpitCore } from './core.js';
import { detailSourceFor } from './navigation.js';

export function panes(c: CockpitCore): ListPane[] {
  return [c.table, c.events, c.tree, c.detail];
}

export function pane(c: CockpitCore, id: PaneId): ListPane {
  return { table: c.table, events: c.events, tree: c.tree, detail: c.detail }[id];
}

export function visiblePanes(c: CockpitCore): PaneId[] {
  const ids = panesOf(c.layout.name);
  if (c.detailOpen && c.layout.name === 'browse') return ids.map((id) => (id === 'table' ? 'detail' : id));
  return ids;
}

export function setLayout(c: CockpitCore, name: LayoutName): void {
  c.layout = { ...defaultLayout(name), zoom: undefined };
  if (!visiblePanes(c).includes(c.focus)) c.focus = 'table';
  if (name === 'triage' && !c.detailOpen) {
    const o = c.table.selected();
    c.detail.show(o ? detailSourceFor(c, c.table, o) : undefined, 'describe');
  }
  applyLayout(c);
  c.message(`layout ${name}`);
}

export function applyLayout(c: CockpitCore): void {
  const width = (c.screen.width as number) || 80;
  const height = Math.max(3, ((c.screen.height as number) || 24) - 2);
  const visible = visiblePanes(c);
  let rects = computeLayout(c.layout, width, height);
  if (c.layout.zoom && !visible.includes(c.layout.zoom)) c.layout = { ...c.layout, zoom: undefined };
  if (c.detailOpen && c.layout.name === 'browse' && !c.layout.zoom) rects = { ...rects, detail: rects.table };
  if (c.layout.zoom) rects = computeLayout(c.layout, width, height);
  if (!visible.includes(c.focus)) c.focus = visible.includes('table') ? 'table' : visible[0]!;
  for (const p of panes(c)) {
    const r = rects[p.id];
    if (r && visible.includes(p.id)) {
      p.box.left = r.left;
      p.box.top = r.top;
      p.box.width = r.width;
      p.box.height = r.height;
      p.box.show();
    } else p.box.hide();
  }
}

export function cycleFocus(c: CockpitCore, dir: number): void {
  const ids = c.layout.zoom ? [c.layout.zoom] : visiblePanes(c);
  const i = ids.indexOf(c.focus);
  c.focus = ids[(i + dir + ids.length) % ids.length]!;
  if (c.layout.zoom) { c.layout = { ...c.layout, zoom: c.focus }; applyLayout(c); }
}

export function focusPane(c: CockpitCore, id: PaneId): void {
  if (!visiblePanes(c).includes(id)) {
    if (id === 'tree') setLayout(c, 'browse');
    else return;
  }
  if (c.layout.zoom && c.layout.zoom !== id) { c.layout = { ...c.layout, zoom: undefined }; applyLayout(c); }
  c.focus = id;
}
