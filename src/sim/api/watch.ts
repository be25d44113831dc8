/**
 * Watch: one JSON event per line, flushed per event, starting from a resourceVersion (410
 * Expired as an ERROR event when compacted), with label/field selector transitions (decided from
 * each event's previous object, as the cacher does), bookmarks
 * and timeoutSeconds. Serialised events are cached per store event, so fan-out to many
 * watchers costs one JSON.stringify per event and view.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors.js';
import type { ObjectStore } from '../storage.js';
import type { KObj, StoreEvent } from '../types.js';
import { grKey } from '../types.js';
import { storageKeyOf, type ResourceType } from '../registry/index.js';
import type { ApiCore } from './core.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { tableJson } from './tables.js';

export interface WatchParams {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  table: boolean;
  /** Metadata-only events (PartialObjectMetadata). */
  partial?: boolean;
  includeObject?: string;
  /** Wall-clock ms between bookmarks. */
  bookmarkEveryMs?: number;
  /** The server's set of open watches (closing functions), for stop and dropWatches(). */
  active?: Set<() => void>;
}

const cache = new WeakMap<object, Map<string, string>>();
const MAX_BUFFERED = 16 * 1024 * 1024;

function serialize(core: ApiCore, rt: ResourceType, type: string, obj: KObj, p: WatchParams, ev?: StoreEvent): string {
  const k = `${rt.group}/${rt.version}/${rt.plural}|${type}|${p.table ? `t:${p.includeObject ?? ''}` : p.partial ? 'p' : 'j'}`;
  if (ev) {
    const hit = cache.get(ev)?.get(k);
    if (hit) return hit;
  }
  // Tables are printed from the stored shape; plain events carry the served view.
  const body = p.table ? tableJson(rt, [obj], { resourceVersion: obj.metadata.resourceVersion }, p.includeObject)
    : p.partial ? JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata })
      : JSON.stringify(core.view(rt, obj));
  const line = `{"type":"${type}","object":${body}}\n`;
  if (ev) {
    let m = cache.get(ev);
    if (!m) cache.set(ev, (m = new Map()));
    m.set(k, line);
  }
  return line;
}

export function serveWatch(req: IncomingMessage, res: ServerResponse, store: ObjectStore, core: ApiCore, rt: ResourceType, p: WatchParams): void {
  const ls = parseLabelSelector(p.labelSelector);
  const fs = parseFieldSelector(p.fieldSelector, rt.kind);
  const selective = ls.length > 0 || fs.length > 0;
  const matches = (o: KObj) => {
    if (ls.length && !matchLabels(ls, o.metadata.labels)) return false;
    if (!fs.length) return true;
    for (const r of fs) {
      if (r.field === 'metadata.name' && (o.metadata.name === r.value) === r.neq) return false;
      if (r.field === 'metadata.namespace' && ((o.metadata.namespace ?? '') === r.value) === r.neq) return false;
    }
    return matchFields(fs.filter((r) => !r.field.startsWith('metadata.')), o);
  };
  const gr = storageKeyOf(rt);
  const key = grKey(gr);
  const ns = rt.namespaced ? p.namespace : undefined;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.socket?.setNoDelay(true);
  res.flushHeaders();

  let closed = false;
  let lastRv = store.resourceVersion;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t), clearInterval(t);
    p.active?.delete(close);
    res.end();
  };
  p.active?.add(close);
  const write = (line: string) => {
    if (closed) return;
    res.write(line);
    // A watcher that stops reading is dropped (it relists), instead of buffering forever.
    if (res.writableLength > MAX_BUFFERED) close();
  };
  req.on('close', close);
  res.on('error', close);

  // As the apiserver's cacher: the event type follows whether the object matched before this
  // change (ev.prev) and after it — so a resumed watch and a live one agree, an object created
  // after the resourceVersion is ADDED, and one leaving the selector is DELETED with its old content.
  const onEvent = (ev: StoreEvent) => {
    lastRv = ev.rv;
    const o = ev.object;
    if (!selective) {
      write(serialize(core, rt, ev.type, o, p, ev));
      return;
    }
    const now = ev.type !== 'DELETED' && matches(o);
    const before = ev.prev !== undefined && matches(ev.prev);
    if (now) write(serialize(core, rt, before ? 'MODIFIED' : 'ADDED', o, p, ev));
    else if (before) {
      const gone = ev.type === 'DELETED' ? o : { ...ev.prev!, metadata: { ...ev.prev!.metadata, resourceVersion: String(ev.rv) } };
      write(serialize(core, rt, 'DELETED', gone, p, ev));
    }
  };

  const rvParam = p.resourceVersion;
  const initial = rvParam === undefined || rvParam === '' || rvParam === '0';
  try {
    if (initial) {
      for (const o of store.list(gr, ns).items) if (matches(o)) write(serialize(core, rt, 'ADDED', o, p));
    }
    const from = initial ? undefined : Number(rvParam);
    if (!initial && !Number.isFinite(from)) throw new ApiError(400, 'BadRequest', `invalid resource version: ${rvParam}`);
    unsubscribe = store.watch({ key, namespace: ns }, from, onEvent);
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', String(e));
    write(`{"type":"ERROR","object":${JSON.stringify(err.toStatus())}}\n`);
    close();
    return;
  }

  if (p.allowWatchBookmarks) {
    const every = p.bookmarkEveryMs ?? 5_000;
    timers.push(setInterval(() => {
      // Every store event up to now has been offered to this watcher (delivery is synchronous).
      lastRv = store.resourceVersion;
      const bm = p.table
        ? `{"type":"BOOKMARK","object":{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"${lastRv}"},"columnDefinitions":null,"rows":null}}\n`
        : `{"type":"BOOKMARK","object":{"kind":"${rt.kind}","apiVersion":"${rt.group ? `${rt.group}/${rt.version}` : rt.version}","metadata":{"resourceVersion":"${lastRv}"}}}\n`;
      write(bm);
    }, every));
  }
  // Real servers end watches after timeoutSeconds (default: a random 30–60 min).
  const timeout = p.timeoutSeconds !== undefined && p.timeoutSeconds > 0 ? p.timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
  timers.push(setTimeout(close, timeout));
}
