/**
 * The embedded cluster's etcd: every object of every resource, one global monotonic
 * resourceVersion, and a bounded history of change events so that watches can resume from a
 * resourceVersion (older than the history → 410 Expired, as a compacted etcd answers).
 *
 * The store knows nothing of HTTP, validation or defaulting: the API layer and the
 * controllers call it after doing those. Dry-run never reaches the store.
 */
import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, expired, notFound } from './errors.js';
import { grKey, type GroupResource, type KObj, type StoreEvent } from './types.js';

export type Listener = (ev: StoreEvent) => void;

export interface WatchFilter {
  /** grKey of the resource; '*' for every resource. */
  key: string;
  namespace?: string;
}

const objKey = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);

export const deepCopy = <T>(v: T): T => structuredClone(v);

export class ObjectStore {
  private rv = 1;
  private readonly data = new Map<string, Map<string, KObj>>();
  private readonly history: StoreEvent[] = [];
  /** The oldest resourceVersion a watch may still resume from. */
  private compactedRv = 0;
  private readonly listeners = new Set<{ filter: WatchFilter; fn: Listener }>();
  /** Per resource: its object keys in list order, rebuilt only after an add or a removal. */
  private readonly sortedKeys = new Map<string, string[]>();
  /** Per resource: all its objects in list order, rebuilt after any change to the resource. */
  private readonly sortedItems = new Map<string, KObj[]>();

  constructor(private readonly historyLimit = 200_000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  private bucket(key: string): Map<string, KObj> {
    let b = this.data.get(key);
    if (!b) this.data.set(key, (b = new Map()));
    return b;
  }

  /** The stored object itself (do not mutate it; copy first). */
  peek(gr: GroupResource, ns: string | undefined, name: string): KObj | undefined {
    return this.data.get(grKey(gr))?.get(objKey(ns, name));
  }

  get(gr: GroupResource, ns: string | undefined, name: string): KObj {
    const o = this.peek(gr, ns, name);
    if (!o) throw notFound(gr.resource, name, gr.group);
    return deepCopy(o);
  }

  /** Stored objects (not copies) of a resource, optionally in one namespace, sorted by ns/name. */
  list(gr: GroupResource, ns?: string): { items: KObj[]; resourceVersion: number } {
    const key = grKey(gr);
    const b = this.data.get(key);
    const items: KObj[] = [];
    if (!b) return { items, resourceVersion: this.rv };
    let keys = this.sortedKeys.get(key);
    if (!keys) {
      // Same order as comparing "ns/name" strings; cached so big lists do not sort every time.
      keys = [...b.keys()].sort((a, c) => (a < c ? -1 : a > c ? 1 : 0));
      this.sortedKeys.set(key, keys);
    }
    if (!ns) {
      let all = this.sortedItems.get(key);
      if (!all) {
        all = keys.map((k) => b.get(k)!);
        this.sortedItems.set(key, all);
      }
      return { items: all.slice(), resourceVersion: this.rv };
    }
    // Namespaced keys are "ns/name": the namespace's objects are one contiguous run.
    const prefix = `${ns}/`;
    let lo = 0, hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < keys.length && keys[i]!.startsWith(prefix); i++) {
      const o = b.get(keys[i]!)!;
      if (o.metadata.namespace === ns) items.push(o);
    }
    return { items, resourceVersion: this.rv };
  }

  /** Objects whose ownerReferences name this uid (for garbage collection and ownership trees). */
  dependents(uid: string): Array<{ key: string; object: KObj }> {
    const out: Array<{ key: string; object: KObj }> = [];
    for (const [key, b] of this.data) {
      for (const o of b.values()) if (o.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ key, object: o });
    }
    return out;
  }

  keys(): string[] {
    return [...this.data.keys()];
  }

  /** Stores a new object; fills uid, creationTimestamp, resourceVersion, generation. */
  create(gr: GroupResource, obj: KObj): KObj {
    const key = grKey(gr);
    const name = obj.metadata.name!;
    const b = this.bucket(key);
    const k = objKey(obj.metadata.namespace, name);
    if (b.has(k)) throw alreadyExists(gr.resource, name, gr.group);
    const o = deepCopy(obj);
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (o.metadata.generation === undefined && 'spec' in o) o.metadata.generation = 1;
    o.metadata.resourceVersion = String(++this.rv);
    b.set(k, o);
    this.sortedKeys.delete(key);
    this.emit({ type: 'ADDED', key, object: o, rv: this.rv });
    return deepCopy(o);
  }

  /**
   * Bulk loading (`--pods N`): stores an object the caller hands over and never touches again —
   * no defensive copies, so 20,000 pods load in a second or two. Same semantics as create().
   */
  adopt(gr: GroupResource, o: KObj): void {
    const key = grKey(gr);
    const b = this.bucket(key);
    const k = objKey(o.metadata.namespace, o.metadata.name!);
    if (b.has(k)) throw alreadyExists(gr.resource, o.metadata.name!, gr.group);
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (o.metadata.generation === undefined && 'spec' in o) o.metadata.generation = 1;
    o.metadata.resourceVersion = String(++this.rv);
    b.set(k, o);
    this.sortedKeys.delete(key);
    this.emit({ type: 'ADDED', key, object: o, rv: this.rv });
  }

  /**
   * Replaces a stored object. When `obj.metadata.resourceVersion` is set it must match the
   * stored one (optimistic concurrency → 409 Conflict). Bumps generation when spec changed.
   * An object with a deletionTimestamp and no finalizers left is removed.
   */
  update(gr: GroupResource, obj: KObj): KObj {
    const key = grKey(gr);
    const name = obj.metadata.name!;
    const b = this.bucket(key);
    const k = objKey(obj.metadata.namespace, name);
    const cur = b.get(k);
    if (!cur) throw notFound(gr.resource, name, gr.group);
    const want = obj.metadata.resourceVersion;
    if (want && want !== cur.metadata.resourceVersion) throw conflict(gr.resource, name, gr.group);
    const o = deepCopy(obj);
    o.metadata.uid = cur.metadata.uid;
    o.metadata.creationTimestamp = cur.metadata.creationTimestamp;
    if (cur.metadata.deletionTimestamp) o.metadata.deletionTimestamp = cur.metadata.deletionTimestamp;
    o.metadata.generation = cur.metadata.generation;
    if ('spec' in o && JSON.stringify(o.spec) !== JSON.stringify(cur.spec)) {
      o.metadata.generation = (cur.metadata.generation ?? 0) + 1;
    }
    // Removing the last finalizer of an object being deleted completes the deletion (an object
    // marked for graceful deletion without finalizers stays until deleted again).
    // (Pods still in their grace period wait for the kubelet's final delete, as upstream.)
    if (o.metadata.deletionTimestamp && !(o.metadata.finalizers?.length) && cur.metadata.finalizers?.length && !((o.metadata.deletionGracePeriodSeconds ?? 0) > 0)) {
      o.metadata.resourceVersion = cur.metadata.resourceVersion;
      return this.remove(gr, o);
    }
    const probe = { ...o, metadata: { ...o.metadata, resourceVersion: cur.metadata.resourceVersion } };
    if (JSON.stringify(probe) === JSON.stringify(cur)) {
      // No-op update: a real apiserver neither bumps the resourceVersion nor notifies watchers.
      return deepCopy(cur);
    }
    o.metadata.resourceVersion = String(++this.rv);
    b.set(k, o);
    this.emit({ type: 'MODIFIED', key, object: o, rv: this.rv, prev: cur });
    return deepCopy(o);
  }

  /**
   * Deletes an object: with finalizers it only gets a deletionTimestamp (MODIFIED); without,
   * it is removed (DELETED). Returns the object as last seen.
   */
  delete(gr: GroupResource, ns: string | undefined, name: string, opts: { uid?: string; resourceVersion?: string } = {}): KObj {
    const cur = this.peek(gr, ns, name);
    if (!cur) throw notFound(gr.resource, name, gr.group);
    if (opts.uid && opts.uid !== cur.metadata.uid) throw conflict(gr.resource, name, gr.group);
    if (opts.resourceVersion && opts.resourceVersion !== cur.metadata.resourceVersion) throw conflict(gr.resource, name, gr.group);
    if (cur.metadata.finalizers?.length) {
      if (cur.metadata.deletionTimestamp) {
        if (!((cur.metadata.deletionGracePeriodSeconds ?? 0) > 0)) return deepCopy(cur);
        // The kubelet's final delete of a pod held by finalizers: grace over, waits for them.
        const o = deepCopy(cur);
        o.metadata.deletionGracePeriodSeconds = 0;
        return this.update(gr, o);
      }
      const o = deepCopy(cur);
      o.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      o.metadata.deletionGracePeriodSeconds = 0;
      return this.update(gr, o);
    }
    return this.remove(gr, deepCopy(cur));
  }

  /**
   * Sets deletionTimestamp (and the grace period) without removing the object, whatever its
   * finalizers: graceful pod deletion and namespace termination. The object is removed later by
   * a plain delete() once its finalizers are empty.
   */
  markDeleting(gr: GroupResource, ns: string | undefined, name: string, graceSeconds = 0, mutate?: (o: KObj) => void): KObj {
    const key = grKey(gr);
    const k = objKey(ns, name);
    const cur = this.bucket(key).get(k);
    if (!cur) throw notFound(gr.resource, name, gr.group);
    const o = deepCopy(cur);
    o.metadata.deletionTimestamp ??= new Date(Date.now() + graceSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    o.metadata.deletionGracePeriodSeconds = graceSeconds;
    mutate?.(o);
    o.metadata.resourceVersion = String(++this.rv);
    this.bucket(key).set(k, o);
    this.emit({ type: 'MODIFIED', key, object: o, rv: this.rv, prev: cur });
    return deepCopy(o);
  }

  private remove(gr: GroupResource, last: KObj): KObj {
    const key = grKey(gr);
    const k = objKey(last.metadata.namespace, last.metadata.name!);
    const prev = this.bucket(key).get(k);
    this.bucket(key).delete(k);
    this.sortedKeys.delete(key);
    // The DELETED event carries the object at a new resourceVersion, as the apiserver does.
    last.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: 'DELETED', key, object: last, rv: this.rv, prev });
    return deepCopy(last);
  }

  /** Drops the history up to now: watches from older resourceVersions get 410 Expired. */
  compact(): void {
    this.history.length = 0;
    this.compactedRv = this.rv;
  }

  /**
   * Subscribes to changes. With `fromRv`, first replays every retained event newer than it;
   * throws 410 Expired when the history no longer reaches back that far.
   */
  watch(filter: WatchFilter, fromRv: number | undefined, fn: Listener): () => void {
    if (fromRv !== undefined && fromRv < this.rv) {
      if (fromRv < this.compactedRv) {
        throw expired(`too old resource version: ${fromRv} (${this.compactedRv})`);
      }
      for (const ev of this.history) if (ev.rv > fromRv && matches(filter, ev)) fn(ev);
    }
    const entry = { filter, fn };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  private emit(ev: StoreEvent): void {
    this.sortedItems.delete(ev.key);
    this.history.push(ev);
    if (this.history.length > this.historyLimit) {
      const drop = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRv = drop[drop.length - 1]!.rv;
    }
    for (const l of this.listeners) {
      if (!matches(l.filter, ev)) continue;
      try {
        l.fn(ev);
      } catch {
        // A broken watcher must never break the writer.
      }
    }
  }
}

function matches(f: WatchFilter, ev: StoreEvent): boolean {
  if (f.key !== '*' && f.key !== ev.key) return false;
  if (f.namespace && ev.object.metadata.namespace !== f.namespace) return false;
  return true;
}
