/**
 * InternalApi: what controllers, the kubelet and scenarios use to write objects in-process,
 * with the same defaulting and validation as the HTTPS API (preferred version of each resource).
 * Differences from REST, on purpose: create keeps .status as given (scenarios seed it), and
 * deleting a pod that is already terminating removes it (the kubelet's final delete).
 */
import type { InternalApi } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import type { ObjectStore } from '../storage.js';
import type { GroupResource, KObj } from '../types.js';
import type { Registry, ResourceType } from '../registry/index.js';
import type { ApiCore } from './core.js';
import type { EventRecorder } from './events.js';
import { matchLabels, parseLabelSelector } from './selectors.js';

export function createInternalApi(store: ObjectStore, core: ApiCore, registry: Registry, events: EventRecorder): InternalApi {
  const typeOf = (gr: GroupResource): ResourceType => {
    const rt = registry.forResource(gr.group, gr.resource);
    if (!rt) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${gr.resource}${gr.group ? `.${gr.group}` : ''})`);
    return rt;
  };
  return {
    get(gr, ns, name) {
      const rt = typeOf(gr);
      const o = store.peek({ group: rt.storage?.group ?? rt.group, resource: rt.storage?.resource ?? rt.plural }, rt.namespaced ? ns : undefined, name);
      return o ? structuredClone(core.view(rt, o)) : undefined;
    },
    list(gr, ns, labelSelector) {
      const rt = typeOf(gr);
      const sel = parseLabelSelector(labelSelector);
      return core.list(rt, ns).items.filter((o) => matchLabels(sel, o.metadata.labels)).map((o) => structuredClone(core.view(rt, o)));
    },
    create(gr, obj) {
      const rt = typeOf(gr);
      return core.create(rt, obj.metadata?.namespace, structuredClone(obj), { keepStatus: true });
    },
    update(gr, obj) {
      const rt = typeOf(gr);
      return core.update(rt, obj.metadata.namespace, obj.metadata.name!, structuredClone(obj));
    },
    updateStatus(gr, obj) {
      const rt = typeOf(gr);
      if (!rt.subresources.includes('status')) return core.update(rt, obj.metadata.namespace, obj.metadata.name!, structuredClone(obj));
      return core.update(rt, obj.metadata.namespace, obj.metadata.name!, structuredClone(obj), { subresource: 'status' });
    },
    delete(gr, ns, name, opts) {
      const rt = typeOf(gr);
      const cur = store.peek({ group: rt.storage?.group ?? rt.group, resource: rt.storage?.resource ?? rt.plural }, rt.namespaced ? ns : undefined, name);
      if (!cur) throw notFound(rt.plural, name, rt.group);
      if (rt.kind === 'Pod' && !rt.group && cur.metadata.deletionTimestamp) {
        store.delete(gr, ns, name);
        return;
      }
      core.delete(rt, ns, name, { propagationPolicy: opts?.propagationPolicy });
    },
    recordEvent(about: KObj, type, reason, message, source) {
      events.record(about, type, reason, message, source);
    },
  };
}
