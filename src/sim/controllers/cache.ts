/**
 * Indexes over the object store that every controller shares (one per SimContext): objects of
 * a resource by namespace, dependents by owner uid, pods by node. Keeps names only; objects
 * are read from the store on demand, so the index never holds stale copies.
 */
import type { SimContext } from '../context.js';
import { grKey, type GroupResource, type KObj, type StoreEvent } from '../types.js';

type Ref = string; // `${grKey}|${ns}|${name}`

export const refOf = (key: string, o: KObj): Ref => `${key}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

export function parseRef(r: Ref): { key: string; gr: GroupResource; ns: string | undefined; name: string } {
  const [key, ns, name] = r.split('|') as [string, string, string];
  const slash = key.indexOf('/');
  return { key, gr: { group: key.slice(0, slash), resource: key.slice(slash + 1) }, ns: ns || undefined, name };
}

export class ClusterIndex {
  private readonly byNs = new Map<string, Map<string, Set<string>>>();
  private readonly byOwner = new Map<string, Set<Ref>>();
  private readonly ownersOf = new Map<Ref, string[]>();
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly podNode = new Map<string, string>();
  private readonly listeners = new Set<(ev: StoreEvent) => void>();

  constructor(private readonly ctx: SimContext) {
    for (const key of ctx.store.keys()) {
      const slash = key.indexOf('/');
      const gr = { group: key.slice(0, slash), resource: key.slice(slash + 1) };
      for (const o of ctx.store.list(gr).items) this.index('ADDED', key, o);
    }
    ctx.store.watch({ key: '*' }, undefined, (ev) => {
      this.index(ev.type, ev.key, ev.object);
      for (const l of this.listeners) {
        try {
          l(ev);
        } catch (e) {
          ctx.log(`index listener: ${(e as Error).message}`);
        }
      }
    });
  }

  /** Every controller subscribes here, after the index has been updated for the event. */
  onEvent(fn: (ev: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private index(type: string, key: string, o: KObj): void {
    const ns = o.metadata.namespace ?? '';
    const name = o.metadata.name!;
    const ref = refOf(key, o);
    let perNs = this.byNs.get(key);
    if (!perNs) this.byNs.set(key, (perNs = new Map()));
    let names = perNs.get(ns);
    if (!names) perNs.set(ns, (names = new Set()));
    const old = this.ownersOf.get(ref) ?? [];
    for (const uid of old) this.byOwner.get(uid)?.delete(ref);
    if (type === 'DELETED') {
      names.delete(name);
      this.ownersOf.delete(ref);
    } else {
      names.add(name);
      const uids = (o.metadata.ownerReferences ?? []).map((r) => r.uid);
      if (uids.length) this.ownersOf.set(ref, uids);
      else this.ownersOf.delete(ref);
      for (const uid of uids) {
        let s = this.byOwner.get(uid);
        if (!s) this.byOwner.set(uid, (s = new Set()));
        s.add(ref);
      }
    }
    if (key === '/pods') {
      const pk = `${ns}/${name}`;
      const prev = this.podNode.get(pk);
      const node = type === 'DELETED' ? undefined : (o.spec?.nodeName as string | undefined);
      if (prev !== node) {
        if (prev) this.podsByNode.get(prev)?.delete(pk);
        if (node) {
          let s = this.podsByNode.get(node);
          if (!s) this.podsByNode.set(node, (s = new Set()));
          s.add(pk);
          this.podNode.set(pk, node);
        } else this.podNode.delete(pk);
      }
    }
  }

  /** Stored objects (not copies) of a resource in a namespace (or all namespaces). */
  list(gr: GroupResource, ns?: string): KObj[] {
    const perNs = this.byNs.get(grKey(gr));
    if (!perNs) return [];
    const out: KObj[] = [];
    const spaces = ns !== undefined ? [ns] : [...perNs.keys()];
    for (const n of spaces) {
      for (const name of perNs.get(n) ?? []) {
        const o = this.ctx.store.peek(gr, n || undefined, name);
        if (o) out.push(o);
      }
    }
    return out;
  }

  /** Objects whose ownerReferences name this uid. */
  dependents(uid: string): Array<{ ref: Ref; gr: GroupResource; object: KObj }> {
    const out: Array<{ ref: Ref; gr: GroupResource; object: KObj }> = [];
    for (const ref of this.byOwner.get(uid) ?? []) {
      const p = parseRef(ref);
      const o = this.ctx.store.peek(p.gr, p.ns, p.name);
      if (o) out.push({ ref, gr: p.gr, object: o });
    }
    return out;
  }

  /** Dependents of one resource kind whose controller owner is this uid. */
  controlled(uid: string, gr: GroupResource): KObj[] {
    const key = grKey(gr);
    return this.dependents(uid)
      .filter((d) => d.ref.startsWith(`${key}|`) && d.object.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller))
      .map((d) => d.object);
  }

  podsOnNode(node: string): KObj[] {
    const out: KObj[] = [];
    for (const pk of this.podsByNode.get(node) ?? []) {
      const i = pk.indexOf('/');
      const o = this.ctx.store.peek({ group: '', resource: 'pods' }, pk.slice(0, i), pk.slice(i + 1));
      if (o) out.push(o);
    }
    return out;
  }

  namespacesWithObjects(ns: string): Array<{ gr: GroupResource; names: string[] }> {
    const out: Array<{ gr: GroupResource; names: string[] }> = [];
    for (const [key, perNs] of this.byNs) {
      const names = perNs.get(ns);
      if (!names?.size) continue;
      const slash = key.indexOf('/');
      out.push({ gr: { group: key.slice(0, slash), resource: key.slice(slash + 1) }, names: [...names] });
    }
    return out;
  }

  resourceKeys(): string[] {
    return [...this.byNs.keys()];
  }

  /** Whether any stored object has this uid (for the garbage collector). */
  uidExists(uid: string, hint: { apiVersion: string; kind: string; name: string }, ns: string | undefined): boolean {
    return this.uidLookup(uid, hint, ns) !== undefined;
  }

  private uidLookup(uid: string, hint: { kind: string; name: string }, ns: string | undefined): KObj | undefined {
    return this.findUid(uid, hint.name, ns)?.object;
  }

  /** The object with this uid and name, in namespace `ns` or cluster-scoped. */
  findUid(uid: string, name: string, ns: string | undefined): { ref: Ref; object: KObj } | undefined {
    for (const [key, perNs] of this.byNs) {
      const slash = key.indexOf('/');
      const gr = { group: key.slice(0, slash), resource: key.slice(slash + 1) };
      for (const n of ns ? [ns, ''] : ['']) {
        if (!perNs.get(n)?.has(name)) continue;
        const o = this.ctx.store.peek(gr, n || undefined, name);
        if (o && o.metadata.uid === uid) return { ref: `${key}|${n}|${name}`, object: o };
      }
    }
    return undefined;
  }
}

const indexes = new WeakMap<SimContext, ClusterIndex>();

export function clusterIndex(ctx: SimContext): ClusterIndex {
  let ix = indexes.get(ctx);
  if (!ix) indexes.set(ctx, (ix = new ClusterIndex(ctx)));
  return ix;
}
