/**
 * A Service port's targetPort resolved against one pod, as the real endpoints and EndpointSlice
 * controllers do (podutil.FindPort): per pod, because pods behind one Service may name the same
 * port differently during a rollout; a name matches only a container port of the same protocol.
 */
import type { KObj } from '../types.js';

export function resolveTargetPort(pod: KObj, svcPort: KObj): number | undefined {
  const target = svcPort.targetPort as number | string | undefined | null;
  if (target === undefined || target === null || target === '') return svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = svcPort.protocol ?? 'TCP';
  for (const c of (pod.spec?.containers ?? []) as KObj[]) {
    for (const p of (c.ports ?? []) as KObj[]) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** The Service's ports as this pod serves them; ports the pod cannot resolve are left out. */
export function podServicePorts(svc: KObj, pod: KObj): KObj[] {
  const out: KObj[] = [];
  for (const sp of (svc.spec?.ports ?? []) as KObj[]) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    out.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) } as unknown as KObj);
  }
  return out;
}
