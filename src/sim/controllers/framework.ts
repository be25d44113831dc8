/**
 * The shape every controller shares: a work queue of "ns/name" keys fed by store events
 * (routed through the shared ClusterIndex), and helpers that write only when something changed,
 * so a controller's own status update never wakes it into a loop.
 */
import type { SimContext } from '../context.js';
import { grKey, type GroupResource, type KObj, type StoreEvent } from '../types.js';
import { clusterIndex, type ClusterIndex } from './cache.js';
import { WorkQueue } from './queue.js';
import { sameJson } from './util.js';

export interface Controller {
  name: string;
  queue: WorkQueue;
  index: ClusterIndex;
}

export const nsKey = (o: KObj): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function splitKey(key: string): { ns: string | undefined; name: string } {
  const i = key.indexOf('/');
  return { ns: key.slice(0, i) || undefined, name: key.slice(i + 1) };
}

/**
 * Starts a controller: `route` maps each store event to the keys to reconcile (or none);
 * `reconcile` is called once per key per batch.
 */
export function startController(
  ctx: SimContext,
  name: string,
  route: (ev: StoreEvent, index: ClusterIndex) => Iterable<string> | string | undefined | void,
  reconcile: (key: string, c: Controller) => void,
): Controller {
  const index = clusterIndex(ctx);
  const c: Controller = { name, index, queue: undefined as unknown as WorkQueue };
  c.queue = new WorkQueue(ctx.clock, (k) => reconcile(k, c), (m) => ctx.log(m), name);
  const unsub = index.onEvent((ev) => {
    const keys = route(ev, index);
    if (!keys) return;
    if (typeof keys === 'string') c.queue.add(keys);
    else for (const k of keys) c.queue.add(k);
  });
  ctx.onStop(() => {
    unsub();
    c.queue.stop();
  });
  return c;
}

/** Key of an event when it is of resource `gr`. */
export const keyIf = (ev: StoreEvent, gr: GroupResource): string | undefined => (ev.key === grKey(gr) ? nsKey(ev.object) : undefined);

/** Key of the controller owner of an event's object when that owner is of `kind`. */
export function ownerKeyIf(ev: StoreEvent, kind: string): string | undefined {
  const r = ev.object.metadata.ownerReferences?.find((x) => x.controller);
  if (!r || r.kind !== kind) return undefined;
  return `${ev.object.metadata.namespace ?? ''}/${r.name}`;
}

/** Writes .status only when it differs from the stored object's. */
export function writeStatus(ctx: SimContext, gr: GroupResource, cur: KObj, status: Record<string, unknown>): KObj {
  if (sameJson(cur.status ?? {}, status)) return cur;
  const o = structuredClone(cur);
  o.status = status;
  return ctx.api.updateStatus(gr, o);
}

/** Applies `mutate` to a copy of the stored object and writes it when it changed. */
export function updateIfChanged(ctx: SimContext, gr: GroupResource, cur: KObj, mutate: (o: KObj) => void): KObj {
  const o = structuredClone(cur);
  mutate(o);
  if (sameJson(o, cur)) return cur;
  return ctx.api.update(gr, o);
}

/** Deletes, ignoring "already gone". */
export function deleteQuietly(ctx: SimContext, gr: GroupResource, ns: string | undefined, name: string, propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'): void {
  try {
    ctx.api.delete(gr, ns, name, propagationPolicy ? { propagationPolicy } : undefined);
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
}
