/**
 * The collections the cockpit watches besides its table: events (the events pane and
 * describe), namespaces (the tree, "does it exist") and related kinds opened on first use
 * (ownership trees, drill-down scopes). Each change marks the frame dirty; nothing else.
 */
import type { ClusterSource, Collection, KubeObject, ResourceKind } from '../../kube/types.js';
import type { Lookup, TreeNode } from '../relations.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** Kinds every cluster serves, used before discovery has answered. */
export const WELL_KNOWN: Record<'pods' | 'events', ResourceKind> = {
  pods: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], verbs: VERBS, categories: ['all'] },
  events: { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'], verbs: VERBS, categories: [] },
};

const RELATED = ['pods', 'replicasets', 'jobs', 'endpoints'];

export class Feeds {
  events: Collection | undefined;
  namespaces: Collection | undefined;
  private related = new Map<string, Collection>();
  private crds: Collection | undefined;

  /** `crdsChanged`: a CRD came or changed (a custom resource's table rebuilds its columns). */
  constructor(private readonly source: () => ClusterSource, private readonly changed: () => void, private readonly crdsChanged: () => void = () => {}) {}

  /** The CRD that defines a kind (its printer columns), from a watch opened on first use. */
  crd(kind: ResourceKind): KubeObject | undefined {
    if (['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'events.k8s.io', 'apiextensions.k8s.io'].includes(kind.group)) return undefined;
    if (!this.crds) {
      const k = this.source().kinds().find((x) => x.group === 'apiextensions.k8s.io' && x.resource === 'customresourcedefinitions');
      if (!k) return undefined;
      this.crds = this.watch(k, undefined);
      this.crds.onChange(this.crdsChanged);
    }
    return this.crds.items().get(`${kind.resource}.${kind.group}`);
  }

  watch(kind: ResourceKind, ns: string | undefined): Collection {
    const c = this.source().watch(kind, ns);
    c.onChange(this.changed);
    return c;
  }

  /** (Re)opens the events watch for `ns`: core/v1 events, also where events.k8s.io is preferred. */
  openEvents(ns: string | undefined, kind = this.eventsKind()): Collection | undefined {
    if (!kind) return undefined;
    const old = this.events;
    this.events = this.watch(kind, ns);
    old?.close();
    return this.events;
  }

  private eventsKind(): ResourceKind | undefined {
    const src = this.source();
    if (src.kinds().length === 0) return WELL_KNOWN.events;
    const core = src.kinds().find((x) => x.group === '' && x.resource === 'events');
    return core ?? src.resolveKind('events');
  }

  openNamespaces(): void {
    const k = this.source().kinds().find((x) => x.group === '' && x.resource === 'namespaces');
    if (k && !this.namespaces) this.namespaces = this.watch(k, undefined);
  }

  namespaceNames(): string[] {
    return [...(this.namespaces?.items().keys() ?? [])].sort();
  }

  /** False only when the namespace list is complete and lacks `ns`. */
  namespaceMayExist(ns: string): boolean {
    const c = this.namespaces;
    return !c || c.state().phase !== 'synced' || c.items().has(ns);
  }

  /** Objects of a related kind in a namespace, from a shared watch opened on first use. */
  lookup(ns: string | undefined): Lookup {
    return (resource) => {
      const key = `${resource}|${ns ?? ''}`;
      let c = this.related.get(key);
      if (!c) {
        const group = resource === 'replicasets' ? 'apps' : resource === 'jobs' ? 'batch' : '';
        const kind = this.source().kinds().find((k) => k.resource === resource && k.group === group);
        if (!kind) return [];
        c = this.watch(kind, ns);
        this.related.set(key, c);
      }
      return c.items().values();
    };
  }

  /** An object named by a tree node: from `table` when it shows that kind, else a related watch. */
  find(ref: NonNullable<TreeNode['ref']>, table: Collection | undefined): { kind: ResourceKind; get: () => KubeObject | undefined } | undefined {
    const kind = this.source().resolveKind(ref.kind);
    if (!kind) return undefined;
    const key = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
    if (table && table.kind.resource === kind.resource && table.kind.group === kind.group) {
      return { kind, get: () => table.items().get(key) };
    }
    if (RELATED.includes(kind.resource)) {
      const look = this.lookup(ref.namespace);
      const resource = kind.resource as 'pods';
      return { kind, get: () => { for (const o of look(resource)) if (o.metadata.name === ref.name) return o; return undefined; } };
    }
    return undefined;
  }

  closeRelated(): void {
    for (const c of this.related.values()) c.close();
    this.related.clear();
  }

  close(): void {
    this.crds?.close();
    this.crds = undefined;
    this.events?.close();
    this.events = undefined;
    this.namespaces?.close();
    this.namespaces = undefined;
    this.closeRelated();
  }
}
