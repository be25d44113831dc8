/**
 * The resource types the server knows: the built-ins plus one per served version of every
 * CustomResourceDefinition. Discovery, routing, tables and the internal API all ask here.
 */
import type { KObj } from '../types.js';
import { BUILTIN_TYPES } from './builtin.js';
import { ALL_VERBS, type ResourceType } from './types.js';

export type { ResourceType } from './types.js';

/** Kubernetes version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v] as const;
    return [1, Number(m[1]), m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3, m[3] ? Number(m[3]) : 0] as const;
  };
  const pa = parse(a), pb = parse(b);
  if (pa[0] !== pb[0]) return pb[0] - pa[0];
  if (pa[0] === 0) return a < b ? -1 : a > b ? 1 : 0;
  if (pa[2] !== pb[2]) return (pb[2] as number) - (pa[2] as number);
  if (pa[1] !== pb[1]) return (pb[1] as number) - (pa[1] as number);
  return (pb[3] as number) - (pa[3] as number);
}

export interface GroupInfo { group: string; versions: string[]; preferred: string }

export const storageKeyOf = (rt: ResourceType) => rt.storage ?? { group: rt.group, resource: rt.plural };

export class Registry {
  private builtins = BUILTIN_TYPES;
  private crdTypes = new Map<string, ResourceType[]>();
  private all: ResourceType[] = [];
  private byGvr = new Map<string, ResourceType>();
  private listeners = new Set<() => void>();
  /** Bumped whenever the set of types changes (discovery / openapi hashes). */
  generation = 0;

  constructor() {
    this.rebuild();
  }

  private rebuild(): void {
    this.all = [...this.builtins, ...[...this.crdTypes.values()].flat()];
    this.byGvr = new Map(this.all.map((t) => [`${t.group}/${t.version}/${t.plural}`, t]));
    this.generation++;
    for (const l of this.listeners) l();
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  types(): ResourceType[] {
    return this.all;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byGvr.get(`${group}/${version}/${plural}`);
  }

  /** The preferred version's type of a group/resource (what InternalApi callers mean). */
  forResource(group: string, plural: string): ResourceType | undefined {
    const g = this.groups().find((x) => x.group === group);
    if (!g) return undefined;
    for (const v of [g.preferred, ...g.versions]) {
      const t = this.find(group, v, plural);
      if (t) return t;
    }
    return undefined;
  }

  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') as [string, string] : ['', apiVersion];
    return this.all.find((t) => t.group === group && t.version === version && t.kind === kind && !t.storage);
  }

  groups(): GroupInfo[] {
    const m = new Map<string, Set<string>>();
    for (const t of this.all) {
      if (!m.has(t.group)) m.set(t.group, new Set());
      m.get(t.group)!.add(t.version);
    }
    return [...m].map(([group, vs]) => {
      const versions = [...vs].sort(compareKubeVersions);
      return { group, versions, preferred: versions[0]! };
    });
  }

  resources(group: string, version: string): ResourceType[] {
    return this.all.filter((t) => t.group === group && t.version === version);
  }

  /** Serves (or stops serving) the custom resources of a CRD; call on every CRD write. */
  setCrd(crd: KObj): void {
    const name = crd.metadata.name!;
    if (crd.metadata.deletionTimestamp) {
      // A CRD being deleted stops serving at once (its objects are removed by the caller).
      this.removeCrd(name);
      return;
    }
    const spec = crd.spec ?? {};
    const names = spec.names ?? {};
    const types: ResourceType[] = [];
    for (const v of (spec.versions ?? []) as KObj[]) {
      if (v.served === false) continue;
      const sub = v.subresources ?? {};
      const subresources: string[] = [];
      if (sub.status) subresources.push('status');
      if (sub.scale) subresources.push('scale');
      types.push({
        group: spec.group,
        version: v.name,
        plural: names.plural,
        singular: names.singular || String(names.kind ?? '').toLowerCase(),
        kind: names.kind,
        listKind: names.listKind || `${names.kind}List`,
        namespaced: spec.scope !== 'Cluster',
        shortNames: names.shortNames,
        categories: names.categories,
        subresources,
        verbs: ALL_VERBS,
        scale: sub.scale ? { specReplicasPath: sub.scale.specReplicasPath, statusReplicasPath: sub.scale.statusReplicasPath, labelSelectorPath: sub.scale.labelSelectorPath } : undefined,
        printerColumns: v.additionalPrinterColumns,
        crd: name,
        schema: v.schema?.openAPIV3Schema,
      });
    }
    const before = JSON.stringify(this.crdTypes.get(name) ?? null);
    this.crdTypes.set(name, types);
    if (JSON.stringify(types) !== before) this.rebuild();
  }

  removeCrd(name: string): void {
    if (this.crdTypes.delete(name)) this.rebuild();
  }
}
