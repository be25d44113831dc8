/**
 * The resource tree: contexts → namespaces → kinds (from discovery, CRDs included) → objects,
 * and under the selected object its ownership tree with health marks.
 */
import type blessed from 'blessed';
import type { KubeObject, ResourceKind } from '../../kube/types.js';
import type { Health } from '../columns/index.js';
import { objectKey, type RowList } from '../rows.js';
import type { TreeNode } from '../relations.js';
import { paint } from '../theme.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { ListPane, type PaintInfo } from './list.js';

export interface TreeHost {
  contexts(): string[];
  currentContext(): string;
  namespaces(): string[];
  /** undefined = all namespaces. */
  currentNamespace(): string | undefined;
  kinds(): ResourceKind[];
  currentKind(): ResourceKind | undefined;
  tableRows(): RowList;
  selectedObject(): KubeObject | undefined;
  ownership(o: KubeObject): TreeNode | undefined;
  switchContext(name: string): void;
  setNamespace(ns: string | undefined): void;
  setKind(kind: ResourceKind, ns: string | undefined): void;
  selectObject(key: string): void;
  describeRef(ref: NonNullable<TreeNode['ref']>): void;
}

interface Item {
  id: string;
  depth: number;
  label: string;
  health?: Health;
  expandable: boolean;
  activate?: () => void;
  current?: boolean;
  /** The ownership-tree node of this row, when it is one (read by the shell pane). */
  node?: TreeNode;
}

/** Common kinds first, in the order people reach for them; the rest (CRDs too) alphabetically. */
const PREFERRED = ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'services', 'endpoints', 'ingresses', 'configmaps', 'secrets', 'persistentvolumeclaims', 'serviceaccounts', 'horizontalpodautoscalers', 'poddisruptionbudgets', 'events'];
const MARK: Record<Health, string> = { ok: '●', warn: '▲', error: '✖', muted: '○' };
const MAX_OBJECTS = 200;

export function orderKinds(kinds: ResourceKind[]): ResourceKind[] {
  const seen = new Set<string>();
  const usable = kinds.filter((k) => {
    if (!k.verbs.includes('list') || !k.verbs.includes('watch') || k.resource.includes('/')) return false;
    const id = `${k.group}/${k.resource}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const rank = (k: ResourceKind) => {
    const i = PREFERRED.indexOf(k.resource);
    return i >= 0 && (k.group === '' || ['apps', 'batch', 'networking.k8s.io', 'autoscaling', 'policy'].includes(k.group)) ? i : PREFERRED.length;
  };
  return usable.sort((a, b) => rank(a) - rank(b) || a.resource.localeCompare(b.resource) || a.group.localeCompare(b.group));
}

export function kindLabel(k: ResourceKind, all: ResourceKind[]): string {
  const dup = all.filter((x) => x.resource === k.resource).length > 1;
  return dup && k.group ? `${k.resource}.${k.group}` : k.resource;
}

export class TreePane extends ListPane {
  private items: Item[] = [];
  private readonly expanded = new Set<string>(['contexts', 'namespaces']);
  private readonly collapsed = new Set<string>();
  private cursorId: string | undefined;

  constructor(screen: blessed.Widgets.Screen, private readonly host: TreeHost) {
    super('tree', screen);
  }

  private isOpen(id: string, byDefault: boolean): boolean {
    if (this.collapsed.has(id)) return false;
    return byDefault || this.expanded.has(id);
  }

  /** Rebuilds the flattened tree from the host's current state. */
  rebuild(): void {
    const h = this.host;
    const items: Item[] = [];
    const allKinds = orderKinds(h.kinds());
    const curKind = h.currentKind();
    const curNs = h.currentNamespace();

    items.push({ id: 'contexts', depth: 0, label: 'contexts', expandable: true });
    if (this.isOpen('contexts', false)) {
      for (const c of h.contexts()) {
        const current = c === h.currentContext();
        items.push({ id: `ctx:${c}`, depth: 1, label: `${current ? '◉' : '○'} ${c}`, expandable: false, current, activate: () => h.switchContext(c) });
      }
    }

    const kindItems = (ns: string | undefined, namespaced: boolean, depth: number) => {
      for (const k of allKinds.filter((x) => x.namespaced === namespaced)) {
        const isCur = curKind !== undefined && curKind.resource === k.resource && curKind.group === k.group && (!namespaced || curNs === ns);
        const id = `kind:${ns ?? '*'}:${k.group}/${k.resource}`;
        const rows = isCur ? h.tableRows() : undefined;
        items.push({ id, depth, label: isCur ? `${kindLabel(k, allKinds)} (${rows?.length ?? 0})` : kindLabel(k, allKinds), expandable: isCur, current: isCur, activate: () => h.setKind(k, namespaced ? ns : curNs) });
        if (rows && this.isOpen(id, true)) this.objectItems(rows, depth + 1, items);
      }
    };

    items.push({ id: 'namespaces', depth: 0, label: 'namespaces', expandable: true });
    if (this.isOpen('namespaces', false)) {
      const nsList: Array<string | undefined> = [undefined, ...h.namespaces()];
      for (const ns of nsList) {
        const id = `ns:${ns ?? '*'}`;
        const current = ns === curNs;
        items.push({ id, depth: 1, label: ns ?? '(all namespaces)', expandable: true, current, activate: () => h.setNamespace(ns) });
        if (this.isOpen(id, current)) kindItems(ns, true, 2);
      }
    }
    items.push({ id: 'cluster', depth: 0, label: 'cluster-scoped', expandable: true });
    if (this.isOpen('cluster', false) || (curKind && !curKind.namespaced)) kindItems(undefined, false, 1);

    this.items = items;
    if (this.cursorId) {
      const i = items.findIndex((it) => it.id === this.cursorId);
      if (i >= 0) this.cursor = i;
    }
  }

  private objectItems(rows: RowList, depth: number, items: Item[]): void {
    const sel = this.host.selectedObject();
    const selKey = sel ? objectKey(sel) : undefined;
    // Keep the selected object visible even when it is beyond the cap.
    let shown = rows.slice(0, MAX_OBJECTS);
    if (sel && selKey && !shown.some((o) => objectKey(o) === selKey)) shown = [...shown, sel];
    for (const o of shown) {
      const key = objectKey(o);
      const id = `obj:${key}`;
      const isSel = key === selKey;
      const tree = isSel ? this.host.ownership(o) : undefined;
      items.push({ id, depth, label: `${o.metadata.namespace && this.host.currentNamespace() === undefined ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`, health: tree?.health, expandable: !!tree?.children.length, current: isSel, activate: () => this.host.selectObject(key) });
      if (tree && this.isOpen(id, true)) this.nodeItems(tree.children, depth + 1, `${id}>`, items);
    }
    if (rows.length > shown.length) items.push({ id: `more:${depth}`, depth, label: `… ${rows.length - shown.length} more (see the table)`, expandable: false });
  }

  private nodeItems(nodes: TreeNode[], depth: number, prefix: string, items: Item[]): void {
    nodes.forEach((n, i) => {
      const id = `${prefix}${i}:${n.label}`;
      const ref = n.ref;
      items.push({ id, depth, label: n.label, health: n.health, expandable: n.children.length > 0, activate: ref ? () => this.host.describeRef(ref) : undefined, node: n });
      if (n.children.length && this.isOpen(id, true)) this.nodeItems(n.children, depth + 1, `${id}>`, items);
    });
  }

  count(): number {
    return this.items.length;
  }

  /** The ownership-tree node under the cursor (a pod or container row), if any. */
  selectedNode(): TreeNode | undefined {
    return this.items[this.cursor]?.node;
  }
  title(): string {
    return `tree: ${this.host.currentContext()}`;
  }
  hints(): string {
    return 'enter:open/select esc:collapse j/k:move tab:next pane ?:help';
  }

  protected override cursorMoved(): void {
    this.cursorId = this.items[this.cursor]?.id;
  }

  override paint(info: PaintInfo): void {
    this.rebuild();
    super.paint(info);
  }

  protected line(i: number, width: number, info: PaintInfo, selected: boolean): string {
    const it = this.items[i]!;
    const open = it.expandable ? ((this.items[i + 1]?.depth ?? -1) > it.depth ? '▾ ' : '▸ ') : '  ';
    const mark = it.health ? `${MARK[it.health]} ` : '';
    const raw = fit(sanitizePlain(`${'  '.repeat(it.depth)}${open}${mark}${it.label}`), width);
    const text = escapeTags(raw);
    if (selected) return text;
    if (it.health) return paint(info.theme, it.health, text);
    if (it.current) return paint(info.theme, 'accent', text);
    return it.depth === 0 ? paint(info.theme, 'header', text) : text;
  }

  /** enter: run the node's action and/or expand it; back: collapse or go to the parent. */
  handleTreeAction(action: string): boolean {
    const it = this.items[this.cursor];
    if (!it) return this.handleAction(action);
    if (action === 'drill') {
      if (it.expandable) this.toggle(it);
      it.activate?.();
      return true;
    }
    if (action === 'back') {
      if (it.expandable && this.openNow(it)) {
        this.toggle(it);
        return true;
      }
      for (let j = this.cursor - 1; j >= 0; j--) {
        if (this.items[j]!.depth < it.depth) {
          this.cursor = j;
          this.cursorMoved();
          return true;
        }
      }
      return false;
    }
    return this.handleAction(action);
  }

  private openNow(it: Item): boolean {
    if (this.collapsed.has(it.id)) return false;
    if (this.expanded.has(it.id)) return true;
    return this.items[this.items.indexOf(it) + 1]?.depth === it.depth + 1;
  }

  private toggle(it: Item): void {
    if (this.openNow(it)) {
      this.collapsed.add(it.id);
      this.expanded.delete(it.id);
    } else {
      this.collapsed.delete(it.id);
      this.expanded.add(it.id);
    }
    this.cursorId = it.id;
  }
}
