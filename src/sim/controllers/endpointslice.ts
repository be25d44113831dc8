/**
 * EndpointSlice controllers (discovery.k8s.io/v1), as kube-controller-manager runs them:
 * - for a Service with a selector, slices named `<service>-<random>` labelled
 *   `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
 *   endpointslice-controller.k8s.io`, owned by the Service; one slice per distinct port set
 *   (targetPorts resolve per pod), at most 100 endpoints each; ready, serving and terminating
 *   conditions per pod; a Service without endpoints keeps one empty placeholder slice;
 * - for a selector-less Service, the mirroring controller copies its user-managed Endpoints
 *   (managed-by `endpointslicemirroring-controller.k8s.io`), except Endpoints labelled
 *   `endpointslice.kubernetes.io/skip-mirror`; the API server itself keeps `default/kubernetes`.
 */
import type { SimContext } from '../context.js';
import { grKey, type KObj } from '../types.js';
import { deleteQuietly, keyIf, splitKey, startController, type Controller } from './framework.js';
import { podServicePorts } from './service-ports.js';
import { GR, isPodReady, mapSelectorMatches, ownerRef, sameJson } from './util.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
const MAX_ENDPOINTS = 100;
const SLICES_KEY = grKey(GR.endpointslices);

interface Desired { ports: KObj[]; endpoints: KObj[] }

export function installEndpointSliceController(ctx: SimContext): Controller {
  return startController(ctx, 'endpointslice-controller', (ev, index) => {
    const k = keyIf(ev, GR.services) ?? keyIf(ev, GR.endpoints);
    if (k) return k;
    if (ev.key === SLICES_KEY) {
      const svc = ev.object.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc ? `${ev.object.metadata.namespace}/${svc}` : undefined;
    }
    if (ev.key !== '/pods') return;
    return index.list(GR.services, ev.object.metadata.namespace)
      .filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length)
      .map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
  }, (key, c) => sync(ctx, c, key));
}

function sync(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  const svc = ctx.store.peek(GR.services, ns, name);
  const ours = (managedBy: string) => c.index.list(GR.endpointslices, ns)
    .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === managedBy && !s.metadata.deletionTimestamp);
  if (!svc || svc.metadata.deletionTimestamp) {
    for (const s of [...ours(SLICE_CONTROLLER), ...ours(MIRROR_CONTROLLER)]) deleteQuietly(ctx, GR.endpointslices, ns, s.metadata.name!);
    return;
  }
  const selector = svc.spec?.selector as Record<string, string> | undefined;
  if (selector && Object.keys(selector).length) {
    for (const s of ours(MIRROR_CONTROLLER)) deleteQuietly(ctx, GR.endpointslices, ns, s.metadata.name!);
    reconcile(ctx, svc, ours(SLICE_CONTROLLER), fromPods(ctx, c, svc, selector), SLICE_CONTROLLER, true);
    return;
  }
  for (const s of ours(SLICE_CONTROLLER)) deleteQuietly(ctx, GR.endpointslices, ns, s.metadata.name!);
  const ep = ctx.store.peek(GR.endpoints, ns, name);
  if (ns === 'default' && name === 'kubernetes') return apiserverSlice(ctx, svc, ep);
  const mirror = ep && !ep.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'] ? fromEndpoints(ep) : [];
  reconcile(ctx, svc, ours(MIRROR_CONTROLLER), mirror, MIRROR_CONTROLLER, false);
}

function fromPods(ctx: SimContext, c: Controller, svc: KObj, selector: Record<string, string>): Desired[] {
  const ns = svc.metadata.namespace;
  const publishNotReady = !!svc.spec?.publishNotReadyAddresses;
  const pods = c.index.list(GR.pods, ns).filter((p) => mapSelectorMatches(selector, p.metadata.labels)
    && p.status?.podIP && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const groups = new Map<string, Desired>();
  const hasPorts = ((svc.spec?.ports ?? []) as KObj[]).length > 0;
  for (const p of pods.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))) {
    const ports = podServicePorts(svc, p);
    if (hasPorts && !ports.length) continue;
    const k = JSON.stringify(ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports, endpoints: [] }));
    const terminating = !!p.metadata.deletionTimestamp;
    const serving = isPodReady(p);
    const node = p.spec?.nodeName ? ctx.store.peek(GR.nodes, undefined, p.spec.nodeName) : undefined;
    const zone = node?.metadata.labels?.['topology.kubernetes.io/zone'];
    g.endpoints.push({
      addresses: [p.status.podIP],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
      ...(zone ? { zone } : {}),
    } as unknown as KObj);
  }
  return chunk([...groups.values()]);
}

function fromEndpoints(ep: KObj): Desired[] {
  const out: Desired[] = [];
  for (const s of (ep.subsets ?? []) as KObj[]) {
    const ports = ((s.ports ?? []) as KObj[]).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? 'TCP' }) as unknown as KObj);
    const endpoint = (a: KObj, ready: boolean) => ({
      addresses: [a.ip], conditions: { ready },
      ...(a.nodeName ? { nodeName: a.nodeName } : {}), ...(a.targetRef ? { targetRef: a.targetRef } : {}),
    } as unknown as KObj);
    out.push({ ports, endpoints: [...((s.addresses ?? []) as KObj[]).map((a) => endpoint(a, true)), ...((s.notReadyAddresses ?? []) as KObj[]).map((a) => endpoint(a, false))] });
  }
  return chunk(out);
}

function chunk(groups: Desired[]): Desired[] {
  const out: Desired[] = [];
  for (const g of groups) {
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS) });
  }
  return out;
}

function sliceLabels(svc: KObj, managedBy: string, copyServiceLabels: boolean): Record<string, string> {
  return {
    ...(copyServiceLabels ? svc.metadata.labels ?? {} : {}),
    ...(svc.spec?.clusterIP === 'None' ? { 'service.kubernetes.io/headless': '' } : {}),
    [SERVICE_NAME_LABEL]: svc.metadata.name!,
    [MANAGED_BY_LABEL]: managedBy,
  };
}

/** Updates existing slices in place (same port set first), creates what is missing, deletes the rest. */
function reconcile(ctx: SimContext, svc: KObj, existing: KObj[], desired: Desired[], managedBy: string, placeholder: boolean): void {
  const ns = svc.metadata.namespace;
  // A selector Service with no endpoints keeps one empty slice, as the real controller does.
  if (!desired.length && placeholder) desired = [{ ports: [], endpoints: [] }];
  const labels = sliceLabels(svc, managedBy, managedBy === SLICE_CONTROLLER);
  const left = [...existing].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const take = (d: Desired): KObj | undefined => {
    const i = left.findIndex((s) => sameJson(s.ports ?? [], d.ports));
    const j = i >= 0 ? i : left.length ? 0 : -1;
    return j >= 0 ? left.splice(j, 1)[0] : undefined;
  };
  for (const d of desired) {
    const cur = take(d);
    const body = { addressType: 'IPv4', endpoints: d.endpoints, ...(d.ports.length ? { ports: d.ports } : {}) };
    if (!cur) {
      ctx.api.create(GR.endpointslices, {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { generateName: `${svc.metadata.name}-`, namespace: ns, labels, ownerReferences: [ownerRef(svc)] },
        ...body,
      });
      continue;
    }
    if (sameJson(cur.endpoints ?? [], body.endpoints) && sameJson(cur.ports ?? [], d.ports) && sameJson(cur.metadata.labels ?? {}, labels)) continue;
    const o = structuredClone(cur);
    o.endpoints = body.endpoints;
    if (d.ports.length) o.ports = d.ports;
    else delete o.ports;
    o.metadata.labels = labels;
    ctx.api.update(GR.endpointslices, o);
  }
  for (const s of left) deleteQuietly(ctx, GR.endpointslices, ns, s.metadata.name!);
}

/** The API server's own slice for `default/kubernetes`: named like the Service, no managed-by. */
function apiserverSlice(ctx: SimContext, svc: KObj, ep: KObj | undefined): void {
  const d = ep ? fromEndpoints(ep)[0] : undefined;
  if (!d) return;
  const cur = ctx.store.peek(GR.endpointslices, 'default', 'kubernetes');
  const body = { addressType: 'IPv4', endpoints: d.endpoints, ports: d.ports };
  if (!cur) {
    ctx.api.create(GR.endpointslices, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: svc.metadata.name! } }, ...body });
    return;
  }
  if (sameJson(cur.endpoints ?? [], body.endpoints) && sameJson(cur.ports ?? [], body.ports)) return;
  ctx.api.update(GR.endpointslices, { ...structuredClone(cur), ...body });
}
