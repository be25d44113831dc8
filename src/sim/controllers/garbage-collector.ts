/**
 * Garbage collector: dependents whose owners are all gone are deleted; owners being deleted
 * with the foregroundDeletion finalizer wait for their blocking dependents; with the orphan
 * finalizer they release their dependents first.
 */
import type { SimContext } from '../context.js';
import type { GroupResource, KObj } from '../types.js';
import { parseRef, type ClusterIndex } from './cache.js';
import { deleteQuietly, startController, type Controller } from './framework.js';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

export function installGarbageCollector(ctx: SimContext): Controller {
  return startController(ctx, 'garbage-collector', (ev, index) => {
    const ref = `${ev.key}|${ev.object.metadata.namespace ?? ''}|${ev.object.metadata.name}`;
    const keys: string[] = [];
    if (ev.type === 'DELETED') {
      // Its dependents may now be orphans.
      for (const d of index.dependents(ev.object.metadata.uid!)) keys.push(`dep:${d.ref}`);
      // A dependent of a foreground-deleting owner went away: the owner may finish.
      for (const r of ev.object.metadata.ownerReferences ?? []) keys.push(`uid:${r.uid}|${ev.object.metadata.namespace ?? ''}|${r.kind}|${r.name}`);
    } else {
      if (ev.object.metadata.deletionTimestamp && ev.object.metadata.finalizers?.some((f) => f === FOREGROUND || f === ORPHAN)) keys.push(`own:${ref}`);
      if (ev.type === 'ADDED' && ev.object.metadata.ownerReferences?.length) keys.push(`dep:${ref}`);
    }
    return keys;
  }, (key, c) => {
    if (key.startsWith('dep:')) return collectDependent(ctx, c.index, key.slice(4));
    if (key.startsWith('own:')) return finishOwner(ctx, c, key.slice(4));
    if (key.startsWith('uid:')) {
      const [uid, ns, , name] = key.slice(4).split('|') as [string, string, string, string];
      const owner = c.index.findUid(uid, name, ns || undefined);
      if (owner) c.queue.add(`own:${owner.ref}`);
    }
  });
}

function collectDependent(ctx: SimContext, index: ClusterIndex, ref: string): void {
  const p = parseRef(ref);
  const o = ctx.store.peek(p.gr, p.ns, p.name);
  if (!o?.metadata.ownerReferences?.length || o.metadata.deletionTimestamp) return;
  const ns = o.metadata.namespace;
  const alive = o.metadata.ownerReferences.filter((r) => index.uidExists(r.uid, r, ns));
  if (alive.length === 0) {
    // Owners being deleted in the foreground propagate that to their dependents.
    deleteQuietly(ctx, p.gr, p.ns, p.name, 'Background');
  } else if (alive.length < o.metadata.ownerReferences.length) {
    const c = structuredClone(o);
    c.metadata.ownerReferences = alive;
    ctx.api.update(p.gr, c);
  }
}

function finishOwner(ctx: SimContext, c: Controller, ref: string): void {
  const p = parseRef(ref);
  const owner = ctx.store.peek(p.gr, p.ns, p.name);
  if (!owner?.metadata.deletionTimestamp) return;
  const fin = owner.metadata.finalizers ?? [];
  const uid = owner.metadata.uid!;
  const deps = c.index.dependents(uid);
  if (fin.includes(ORPHAN)) {
    for (const d of deps) {
      const o = structuredClone(d.object);
      o.metadata.ownerReferences = o.metadata.ownerReferences!.filter((r) => r.uid !== uid);
      if (!o.metadata.ownerReferences.length) delete o.metadata.ownerReferences;
      try { ctx.api.update(d.gr, o); } catch { /* gone */ }
    }
    return removeFinalizer(ctx, p.gr, owner, ORPHAN);
  }
  if (fin.includes(FOREGROUND)) {
    const blocking = deps.filter((d) => d.object.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion));
    for (const d of deps) {
      if (d.object.metadata.deletionTimestamp) continue;
      deleteQuietly(ctx, d.gr, d.object.metadata.namespace, d.object.metadata.name!, 'Foreground');
    }
    if (blocking.length === 0) removeFinalizer(ctx, p.gr, owner, FOREGROUND);
  }
}

function removeFinalizer(ctx: SimContext, gr: GroupResource, owner: KObj, f: string): void {
  const o = structuredClone(owner);
  o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((x) => x !== f);
  try { ctx.store.update(gr, o); } catch { /* gone */ }
}
