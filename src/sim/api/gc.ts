/**
 * What kube-controller-manager does right after deletions, kept beside the API so deletion
 * semantics hold even before any other controller runs:
 *  - garbage collection: dependents whose owners are all gone are deleted (Background);
 *    Foreground owners wait (foregroundDeletion finalizer) until their dependents are gone;
 *    Orphan owners (orphan finalizer) first drop their dependents' ownerReferences;
 *  - namespace lifecycle: a Terminating namespace loses its content, then disappears;
 *  - CRD cleanup: deleting a CRD deletes its custom resources and stops serving them;
 *  - pods being deleted gracefully are removed after their grace period if no kubelet did it.
 * All work is deferred with setImmediate so watchers see events in a real order, and every
 * step tolerates 404 (the controllers engineer's GC may race us harmlessly).
 */
import type { SimClock } from '../context.js';
import type { ObjectStore } from '../storage.js';
import type { GroupResource, KObj, StoreEvent } from '../types.js';
import type { Registry } from '../registry/index.js';
import { storageKeyOf } from '../registry/index.js';
import type { ApiCore } from './core.js';

const grOf = (key: string): GroupResource => {
  const i = key.indexOf('/');
  return { group: key.slice(0, i), resource: key.slice(i + 1) };
};

export interface LifecycleOptions {
  /** Off when the controllers (with their own garbage collector and namespace controller) run. */
  gcAndNamespaces: boolean;
}

export function installLifecycle(store: ObjectStore, core: ApiCore, registry: Registry, clock: SimClock, log: (m: string) => void, opts: LifecycleOptions): () => void {
  /** owner uid → dependents "key|ns|name". */
  const byOwner = new Map<string, Set<string>>();
  const live = new Set<string>();
  const refOf = (ev: StoreEvent) => `${ev.key}|${ev.object.metadata.namespace ?? ''}|${ev.object.metadata.name}`;
  const queue: Array<() => void> = [];
  let scheduled = false;
  const defer = (fn: () => void) => {
    queue.push(fn);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      for (const f of queue.splice(0)) {
        try {
          f();
        } catch (e) {
          const code = (e as { code?: number }).code;
          if (code !== 404 && code !== 409) log(`lifecycle: ${(e as Error).message}`);
        }
      }
    });
  };

  const peekRef = (ref: string): { gr: GroupResource; obj: KObj | undefined } => {
    const [key, ns, name] = ref.split('|') as [string, string, string];
    const gr = grOf(key);
    return { gr, obj: store.peek(gr, ns || undefined, name) };
  };

  const index = (ev: StoreEvent) => {
    const uid = ev.object.metadata.uid!;
    const ref = refOf(ev);
    for (const set of byOwner.values()) set.delete(ref);
    if (ev.type === 'DELETED') {
      live.delete(uid);
      return;
    }
    live.add(uid);
    for (const r of ev.object.metadata.ownerReferences ?? []) {
      if (!byOwner.has(r.uid)) byOwner.set(r.uid, new Set());
      byOwner.get(r.uid)!.add(ref);
    }
  };

  // Seed from what is stored already.
  for (const key of store.keys()) {
    for (const o of store.list(grOf(key)).items) index({ type: 'ADDED', key, object: o, rv: 0 });
  }

  const collectDependents = (ownerUid: string) => {
    for (const ref of [...(byOwner.get(ownerUid) ?? [])]) {
      const { gr, obj } = peekRef(ref);
      if (!obj) continue;
      const others = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid && live.has(r.uid));
      if (others.length) continue;
      if (obj.metadata.deletionTimestamp) continue;
      const rt = registry.types().find((t) => storageKeyOf(t).group === gr.group && storageKeyOf(t).resource === gr.resource);
      if (rt) core.delete(rt, obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: 'Background' });
      else store.delete(gr, obj.metadata.namespace, obj.metadata.name!);
    }
  };

  const maybeFinishForeground = (owner: KObj, key: string) => {
    if (!owner.metadata.deletionTimestamp || !owner.metadata.finalizers?.includes('foregroundDeletion')) return;
    const blocking = [...(byOwner.get(owner.metadata.uid!) ?? [])].filter((ref) => peekRef(ref).obj);
    if (blocking.length) return;
    const cur = store.peek(grOf(key), owner.metadata.namespace, owner.metadata.name!);
    if (!cur) return;
    const o = structuredClone(cur);
    o.metadata.finalizers = o.metadata.finalizers!.filter((f) => f !== 'foregroundDeletion');
    store.update(grOf(key), o);
  };

  /** The `orphan` finalizer: dependents lose their reference to the owner, then the owner goes. */
  const orphanDependents = (owner: KObj, key: string) => {
    const uid = owner.metadata.uid!;
    for (const ref of [...(byOwner.get(uid) ?? [])]) {
      const { gr, obj } = peekRef(ref);
      if (!obj) continue;
      const c = structuredClone(obj);
      c.metadata.ownerReferences = (c.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (!c.metadata.ownerReferences.length) delete c.metadata.ownerReferences;
      store.update(gr, c);
    }
    const cur = store.peek(grOf(key), owner.metadata.namespace, owner.metadata.name!);
    if (!cur || cur.metadata.uid !== uid || !cur.metadata.finalizers?.includes('orphan')) return;
    const o = structuredClone(cur);
    o.metadata.finalizers = o.metadata.finalizers!.filter((f) => f !== 'orphan');
    store.update(grOf(key), o);
  };

  const finishNamespace = (name: string) => {
    const ns = store.peek({ group: '', resource: 'namespaces' }, undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    let left = 0;
    for (const key of store.keys()) {
      for (const o of store.list(grOf(key), name).items) {
        if (o.metadata.namespace !== name) continue;
        left++;
        if (o.metadata.finalizers?.length && o.metadata.deletionTimestamp) continue;
        try {
          store.delete(grOf(key), name, o.metadata.name!);
        } catch { /* already gone */ }
      }
    }
    if (left === 0 || [...store.keys()].every((k) => !store.list(grOf(k), name).items.length)) {
      try {
        store.delete({ group: '', resource: 'namespaces' }, undefined, name);
      } catch { /* gone */ }
    } else {
      clock.setTimeout(() => defer(() => finishNamespace(name)), 1000);
    }
  };

  const stopWatch = store.watch({ key: '*' }, undefined, (ev) => {
    index(ev);
    const o = ev.object;
    if (ev.type === 'DELETED' && ev.key === 'apiextensions.k8s.io/customresourcedefinitions') defer(() => registry.removeCrd(o.metadata.name!));
    if (!opts.gcAndNamespaces) return;
    if (ev.type === 'DELETED') {
      const uid = o.metadata.uid!;
      if (byOwner.get(uid)?.size) defer(() => collectDependents(uid));
      // A dependent went away: its foreground owners may now finish.
      for (const r of o.metadata.ownerReferences ?? []) {
        defer(() => {
          for (const key of store.keys()) {
            const owner = store.peek(grOf(key), o.metadata.namespace, r.name) ?? store.peek(grOf(key), undefined, r.name);
            if (owner && owner.metadata.uid === r.uid) maybeFinishForeground(owner, key);
          }
        });
      }
      return;
    }
    if (!o.metadata.deletionTimestamp) return;
    if (o.metadata.finalizers?.includes('foregroundDeletion')) {
      defer(() => {
        for (const ref of [...(byOwner.get(o.metadata.uid!) ?? [])]) {
          const { gr, obj } = peekRef(ref);
          if (obj && !obj.metadata.deletionTimestamp) {
            const rt = registry.types().find((t) => storageKeyOf(t).group === gr.group && storageKeyOf(t).resource === gr.resource);
            if (rt) core.delete(rt, obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: 'Foreground' });
          }
        }
        maybeFinishForeground(o, ev.key);
      });
    }
    if (o.metadata.finalizers?.includes('orphan')) defer(() => orphanDependents(o, ev.key));
    if (ev.key === '/namespaces') defer(() => finishNamespace(o.metadata.name!));
  });

  // CRDs: drop their custom resources when deleted; pods: remove after grace if nobody did.
  core.afterDelete.push((rt, obj) => {
    if (rt.group === 'apiextensions.k8s.io' && rt.plural === 'customresourcedefinitions') {
      const group = obj.spec?.group, plural = obj.spec?.names?.plural;
      if (group && plural) {
        defer(() => {
          for (const o of [...store.list({ group, resource: plural }).items]) {
            try {
              store.delete({ group, resource: plural }, o.metadata.namespace, o.metadata.name!);
            } catch { /* gone */ }
          }
          registry.removeCrd(obj.metadata.name!);
        });
      }
    }
    if (rt.kind === 'Pod' && !rt.group && obj.metadata.deletionTimestamp) {
      const uid = obj.metadata.uid;
      const grace = (obj.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
      clock.setTimeout(() => {
        const cur = store.peek({ group: '', resource: 'pods' }, obj.metadata.namespace, obj.metadata.name!);
        if (!cur || cur.metadata.uid !== uid) return;
        // A pod on an unreachable node (sim.kai-tui.dev/node-condition: not-ready) stays Terminating, as on a real cluster.
        const node = cur.spec?.nodeName ? store.peek({ group: '', resource: 'nodes' }, undefined, cur.spec.nodeName) : undefined;
        if (/(^|,)\s*not-ready\s*(,|$)/.test(String(node?.metadata.annotations?.['sim.kai-tui.dev/node-condition'] ?? ''))) return;
        try {
          store.delete({ group: '', resource: 'pods' }, obj.metadata.namespace, obj.metadata.name!, { uid });
        } catch { /* gone */ }
      }, grace + 2000);
    }
  });
  return stopWatch;
}
