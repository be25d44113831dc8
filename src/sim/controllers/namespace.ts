/**
 * Namespace controller: a namespace being deleted (phase Terminating) has its contents
 * removed, then its `kubernetes` finalizer, and goes away. If a namespace vanished outright,
 * whatever was left in it is removed too.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { deleteQuietly, startController, writeStatus, type Controller } from './framework.js';
import { GR, nowIso } from './util.js';

export function installNamespaceController(ctx: SimContext): Controller {
  return startController(ctx, 'namespace-controller', (ev) => {
    if (ev.key === '/namespaces') {
      if (ev.type === 'DELETED' || ev.object.metadata.deletionTimestamp) return `/${ev.object.metadata.name}`;
      return;
    }
    // A deleted object in a terminating namespace: the namespace may now be empty.
    const ns = ev.object.metadata.namespace;
    if (ev.type === 'DELETED' && ns) {
      const n = ctx.store.peek(GR.namespaces, undefined, ns);
      if (!n || n.metadata.deletionTimestamp) return `/${ns}`;
    }
  }, (key, c) => sync(ctx, c, key.slice(1)));
}

function sync(ctx: SimContext, c: Controller, name: string): void {
  const ns = ctx.store.peek(GR.namespaces, undefined, name);
  if (ns && !ns.metadata.deletionTimestamp) return;
  const left = c.index.namespacesWithObjects(name).filter((x) => x.gr.resource !== 'events' || !ns);
  let remaining = 0;
  for (const { gr, names } of left) {
    for (const n of names) {
      const o = ctx.store.peek(gr, name, n);
      if (!o) continue;
      remaining++;
      if (!o.metadata.deletionTimestamp) deleteQuietly(ctx, gr, name, n, 'Background');
    }
  }
  if (!ns) return;
  if (ns.status?.phase !== 'Terminating') {
    writeStatus(ctx, GR.namespaces, ns, {
      phase: 'Terminating',
      conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: nowIso(), reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' }],
    });
  }
  // Events go last, once everything else is gone.
  if (remaining > 0) {
    const onlyEvents = left.every((x) => x.gr.resource === 'events');
    if (!onlyEvents) return;
  }
  for (const e of c.index.list(GR.events, name)) deleteQuietly(ctx, GR.events, name, e.metadata.name!);
  const cur = ctx.store.peek(GR.namespaces, undefined, name);
  if (!cur) return;
  const o: KObj = structuredClone(cur);
  if (o.spec?.finalizers?.length) o.spec.finalizers = [];
  o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== 'kubernetes');
  try {
    ctx.store.update(GR.namespaces, o);
    if (ctx.store.peek(GR.namespaces, undefined, name) && !o.metadata.finalizers?.length) ctx.store.delete(GR.namespaces, undefined, name);
  } catch { /* already gone */ }
}
