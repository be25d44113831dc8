/**
 * Endpoints controller: each Service with a selector gets an Endpoints object of the same name
 * listing its matching pods — Ready ones under addresses, the others under notReadyAddresses —
 * with the Service's ports resolved against the pods' named container ports.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { deleteQuietly, keyIf, splitKey, startController, type Controller } from './framework.js';
import { podServicePorts } from './service-ports.js';
import { GR, isPodReady, mapSelectorMatches, sameJson } from './util.js';

export function installEndpointsController(ctx: SimContext): Controller {
  return startController(ctx, 'endpoint-controller', (ev, index) => {
    const k = keyIf(ev, GR.services);
    if (k) return k;
    if (ev.key !== '/pods') return;
    // A pod change can matter to any selector-based service of its namespace (labels may have changed).
    return index.list(GR.services, ev.object.metadata.namespace)
      .filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length)
      .map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
  }, (key, c) => sync(ctx, c, key));
}

function sync(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  const svc = ctx.store.peek(GR.services, ns, name);
  const existing = ctx.store.peek(GR.endpoints, ns, name);
  if (!svc) {
    if (existing && !existing.metadata.labels?.['endpoints.kubernetes.io/managed-by-user']) deleteQuietly(ctx, GR.endpoints, ns, name);
    return;
  }
  const selector = svc.spec?.selector as Record<string, string> | undefined;
  if (!selector || !Object.keys(selector).length) return; // selector-less services keep user-managed endpoints
  const pods = c.index.list(GR.pods, ns).filter((p) => mapSelectorMatches(selector, p.metadata.labels)
    && p.status?.podIP && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const svcPorts = (svc.spec?.ports ?? []) as KObj[];
  // Pods that resolve to the same port set share a subset, as the real controller packs them.
  const subsets = new Map<string, { addresses: KObj[]; notReadyAddresses: KObj[]; ports: KObj[] }>();
  const publishNotReady = !!svc.spec?.publishNotReadyAddresses;
  for (const p of pods.sort((a, b) => (a.status.podIP < b.status.podIP ? -1 : 1))) {
    const ports = podServicePorts(svc, p);
    if (svcPorts.length && !ports.length) continue;
    const k = JSON.stringify(ports);
    let s = subsets.get(k);
    if (!s) subsets.set(k, (s = { addresses: [], notReadyAddresses: [], ports }));
    const addr = { ip: p.status.podIP, nodeName: p.spec?.nodeName, targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid } } as unknown as KObj;
    if (isPodReady(p) || publishNotReady) s.addresses.push(addr);
    else s.notReadyAddresses.push(addr);
  }
  const subsetList = [...subsets.values()].map((s) => ({
    ...(s.addresses.length ? { addresses: s.addresses } : {}),
    ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses } : {}),
    ports: s.ports,
  }));
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (!existing) {
    ctx.api.create(GR.endpoints, {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name, namespace: ns, ...(Object.keys(labels).length ? { labels } : {}) },
      ...(subsetList.length ? { subsets: subsetList } : {}),
    });
    return;
  }
  if (sameJson(existing.subsets ?? [], subsetList) && sameJson(existing.metadata.labels ?? {}, labels)) return;
  const o = structuredClone(existing);
  if (subsetList.length) o.subsets = subsetList;
  else delete o.subsets;
  o.metadata.labels = labels;
  ctx.api.update(GR.endpoints, o);
}
