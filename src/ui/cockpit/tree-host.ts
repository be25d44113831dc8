/** What the resource tree pane reads from and asks of the cockpit. */
import type { TreeHost } from '../panes/tree.js';
import { ownershipTree } from '../relations.js';
import type { CockpitCore } from './core.js';
import { applyLayout } from './layout-control.js';

export function treeHost(c: CockpitCore): TreeHost {
  return {
    contexts: () => c.contexts(),
    currentContext: () => c.source.context,
    namespaces: () => c.feeds.namespaceNames(),
    currentNamespace: () => c.namespace,
    kinds: () => c.source.kinds(),
    currentKind: () => c.table.kind,
    tableRows: () => c.table.rows,
    selectedObject: () => c.table.selected(),
    ownership: (o) => {
      const k = c.table.kind;
      if (!k) return undefined;
      const kind = o.kind ?? k.kind;
      if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Pod'].includes(kind)) return undefined;
      return ownershipTree(o, kind, c.feeds.lookup(o.metadata.namespace));
    },
    switchContext: (name) => void c.switchContext(name),
    setNamespace: (ns) => c.setNamespace(ns),
    setKind: (kind, ns) => {
      c.crumbs = [];
      if (ns !== c.namespace && kind.namespaced) c.setNamespace(ns);
      c.setKind(kind, ns);
    },
    selectObject: (key) => c.table.selectKey(key),
    describeRef: (ref) => {
      const found = c.feeds.find(ref, c.table.collection);
      if (!found) { c.message(`cannot find ${ref.kind} ${ref.name}`, 'error'); return; }
      const kindName = found.kind.kind;
      c.detail.show({ kind: kindName, label: `${kindName.toLowerCase()}/${ref.name}`, object: () => { const x = found.get(); return x ? { ...x, kind: x.kind ?? kindName } : undefined; }, events: () => c.feeds.events?.items().values() ?? [] }, 'describe');
      c.detailOpen = true;
      c.focus = 'detail';
      applyLayout(c);
    },
  };
}

/** Health counts of what the table shows: its filter and scope, its kind's health (a CRD's too). */
