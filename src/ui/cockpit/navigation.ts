/**
 * Moving around: selection → detail (describe/YAML), drill-down (kind → objects → a workload's
 * pods → a pod's containers), back (close detail, pop a crumb, clear a filter, un-zoom).
 */
import type { KubeObject } from '../../kube/types.js';
import type { TablePane } from '../panes/table.js';
import type { DetailMode, DetailSource } from '../panes/detail.js';
import { FilterError } from '../filter.js';
import { objectKey } from '../rows.js';
import { podsOwnedScope } from '../relations.js';
import type { CockpitCore } from './core.js';
import { applyLayout } from './layout-control.js';

export function selectionChanged(c: CockpitCore, o: KubeObject | undefined): void {
  c.events.follow(o ? { ...o, kind: o.kind ?? c.table.kind?.kind } : undefined);
  if (c.layout.name === 'triage' && !c.detailOpen) c.detail.show(o ? detailSourceFor(c, c.table, o) : undefined, c.detail.mode);
  c.scheduler.markDirty();
}

export function detailSourceFor(c: CockpitCore, pane: TablePane, o: KubeObject): DetailSource | undefined {
  const col = pane.collection;
  if (!col) return undefined;
  const key = objectKey(o);
  const kind = col.kind.kind;
  return {
    kind,
    label: `${kind.toLowerCase()}/${o.metadata.name}`,
    object: () => { const x = col.items().get(key); return x ? { ...x, kind: x.kind ?? kind, apiVersion: x.apiVersion ?? (col.kind.group ? `${col.kind.group}/${col.kind.version}` : col.kind.version) } : undefined; },
    events: () => c.feeds.events?.items().values() ?? [],
  };
}

export function openDetail(c: CockpitCore, mode: DetailMode): void {
  if (c.focus === 'detail' && c.detail.source) {
    c.detail.show(c.detail.source, mode);
    return;
  }
  const pane = c.focus === 'events' ? c.events : c.table;
  const o = pane.selected();
  if (!o) { c.message(`nothing selected to ${mode}`, 'error'); return; }
  c.detail.show(detailSourceFor(c, pane, o), mode);
  c.detailOpen = true;
  c.focus = 'detail';
  applyLayout(c);
}

export function closeDetail(c: CockpitCore): boolean {
  if (!c.detailOpen) return false;
  c.detailOpen = false;
  c.focus = 'table';
  if (c.layout.name === 'triage') {
    const o = c.table.selected();
    c.detail.show(o ? detailSourceFor(c, c.table, o) : undefined, 'describe');
  }
  applyLayout(c);
  return true;
}

export function drill(c: CockpitCore): void {
  const o = c.table.selected();
  const kind = c.table.kind;
  if (!o || !kind) return;
  if (kind.resource === 'namespaces' && kind.group === '') {
    const pods = c.source.resolveKind('pods');
    c.setNamespace(o.metadata.name);
    if (pods) c.setKind(pods, o.metadata.name);
    return;
  }
  if (kind.resource === 'pods' && kind.group === '') { openContainers(c, o); return; }
  const scopeFactory = podsOwnedScope(kind.kind, o, c.feeds.lookup(o.metadata.namespace));
  const pods = c.source.resolveKind('pods');
  if (scopeFactory && pods) {
    c.crumbs.push({ kind, namespace: c.table.collection?.namespace, filter: c.table.filterText, scope: c.table.scope, key: objectKey(o) });
    const ns = kind.namespaced ? o.metadata.namespace : undefined;
    c.setKind(pods, ns);
    c.table.setScope({ label: `${kind.kind.toLowerCase()}/${o.metadata.name}`, make: scopeFactory });
    return;
  }
  openDetail(c, 'describe');
}

/** Enter on a pod: its containers (k9s's habit); l/s there act on the chosen container. */
export function openContainers(c: CockpitCore, pod: KubeObject): void {
  const col = c.table.collection;
  const key = objectKey(pod);
  void import('../panes/containers.js').then(({ ContainersPane }) => {
    const pane = new ContainersPane({
      screen: c.screen,
      pod: () => col?.items().get(key),
      logs: (p, name) => { c.closeModal(); void import('../panes/logs.js').then((m) => m.openContainerLogs(c, p, name)); },
      shell: (p, name) => {
        if (c.opts.readonly) { c.message('read-only mode: shell is disabled (--readonly)', 'error'); return; }
        c.closeModal();
        void import('../panes/shell.js').then((m) => m.shellPaneFor(c).openForPod(p as never, name));
      },
      close: () => c.closeModal(),
    }, `${pod.metadata.namespace ? `${pod.metadata.namespace}/` : ''}${pod.metadata.name}`);
    c.openModal(pane);
  }).catch((err: Error) => c.message(`containers: ${err.message}`, 'error'));
}

export function back(c: CockpitCore): boolean {
  if (closeDetail(c)) return true;
  if (c.focus === 'tree' && c.tree.handleTreeAction('back')) return true;
  const crumb = c.crumbs.pop();
  if (crumb) {
    c.setKind(crumb.kind, crumb.namespace);
    if (crumb.filter) applyFilter(c, c.table, crumb.filter);
    if (crumb.scope) c.table.setScope(crumb.scope);
    if (crumb.key) c.table.selectKey(crumb.key);
    return true;
  }
  const pane = c.focus === 'events' ? c.events : c.table;
  if (pane.filterText) { pane.setFilter(''); return true; }
  if (pane.scope && pane === c.table) { c.table.setScope(undefined); return true; }
  if (c.layout.zoom) { c.layout = { ...c.layout, zoom: undefined }; applyLayout(c); return true; }
  return false;
}

export function applyFilter(c: CockpitCore, pane: TablePane, text: string): boolean {
  try {
    pane.setFilter(text);
    return true;
  } catch (err) {
    if (err instanceof FilterError) { c.message(err.message, 'error'); return false; }
    throw err;
  }
}
