/**
 * Admission webhooks as kube-apiserver calls them — as far as an emulator can: a request that a
 * Validating/MutatingWebhookConfiguration's rules match (operation, group, resource,
 * namespaceSelector, objectSelector) needs its webhook to answer. A webhook whose Service does
 * not exist or has no ready endpoints (or a URL nothing serves) cannot: with failurePolicy Fail
 * (the v1 default) the request fails with the apiserver's words, with Ignore it goes on. A
 * webhook that is reachable is taken to allow (the emulator runs no webhook code).
 */
import { ApiError } from '../errors.js';
import type { ObjectStore } from '../storage.js';
import type { KObj } from '../types.js';
import type { ResourceType } from '../registry/index.js';
import { selectorMatches, type LabelSelector } from '../controllers/util.js';

const ADMISSION = 'admissionregistration.k8s.io';
/** An absent selector selects everything here (webhook namespace/object selectors). */
const selects = (sel: LabelSelector | undefined, labels: Record<string, string> | undefined) => !sel || selectorMatches(sel, labels);

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

function ruleMatches(rules: KObj[] | undefined, rt: ResourceType, op: string): boolean {
  return (rules ?? []).some((r) => has(r.operations, op) && has(r.apiGroups, rt.group) && has(r.apiVersions, rt.version)
    && (has(r.resources, rt.plural) || (r.resources ?? []).includes(`${rt.plural}/*`) || (r.resources ?? []).includes('*/*')));
}

/** Why calling the webhook fails, or undefined when it is reachable. */
function unreachable(store: ObjectStore, w: KObj): string | undefined {
  const svc = w.clientConfig?.service as KObj | undefined;
  if (svc) {
    const port = svc.port ?? 443;
    const url = `https://${svc.name}.${svc.namespace}.svc:${port}${svc.path ?? ''}?timeout=${w.timeoutSeconds ?? 10}s`;
    const s = store.peek({ group: '', resource: 'services' }, svc.namespace, svc.name);
    if (!s) return `failed to call webhook: Post "${url}": service "${svc.name}" not found`;
    const eps = store.peek({ group: '', resource: 'endpoints' }, svc.namespace, svc.name);
    const ready = ((eps?.subsets ?? []) as KObj[]).some((x) => (x.addresses ?? []).length > 0);
    if (!ready) return `failed to call webhook: Post "${url}": no endpoints available for service "${svc.name}"`;
    return undefined;
  }
  const url = w.clientConfig?.url as string | undefined;
  if (url) {
    const u = new URL(url);
    return `failed to call webhook: Post "${url}?timeout=${w.timeoutSeconds ?? 10}s": dial tcp ${u.hostname}:${u.port || 443}: connect: connection refused`;
  }
  return undefined;
}

/** Throws the apiserver's InternalError when a matching webhook with failurePolicy Fail cannot be called. */
export function callWebhooks(store: ObjectStore, rt: ResourceType, o: KObj, op: 'CREATE' | 'UPDATE' | 'DELETE'): void {
  if (rt.group === ADMISSION || (rt.group === 'coordination.k8s.io' && rt.plural === 'leases')) return;
  const ns = o.metadata.namespace as string | undefined;
  const nsLabels = ns ? store.peek({ group: '', resource: 'namespaces' }, undefined, ns)?.metadata.labels : undefined;
  for (const resource of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']) {
    for (const cfg of store.list({ group: ADMISSION, resource }).items) {
      for (const w of (cfg.webhooks ?? []) as KObj[]) {
        if (!ruleMatches(w.rules, rt, op)) continue;
        if (ns && !selects(w.namespaceSelector, nsLabels)) continue;
        if (!selects(w.objectSelector, o.metadata.labels)) continue;
        const why = unreachable(store, w);
        if (!why) continue;
        if ((w.failurePolicy ?? 'Fail') === 'Ignore') continue;
        throw new ApiError(500, 'InternalError', `Internal error occurred: failed calling webhook "${w.name}": ${why}`);
      }
    }
  }
}
