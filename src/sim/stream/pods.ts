/** Finding the pod and container a streaming request is about, with the apiserver's errors. */
import { ApiError, badRequest, notFound } from '../errors.js';
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';

export const PODS = { group: '', resource: 'pods' };

export interface PodTarget { namespace: string; pod: string; sub: string }

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|exec|attach|portforward)\/?$/;

export function parsePodPath(pathname: string): PodTarget | undefined {
  const m = PATH.exec(pathname);
  if (!m) return undefined;
  return { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), sub: m[3]! };
}

export function getPod(ctx: SimContext, ns: string, name: string): KObj {
  const pod = ctx.api.get(PODS, ns, name);
  if (!pod) throw notFound('pods', name);
  return pod;
}

export const containerNames = (pod: KObj): string[] => (pod.spec?.containers ?? []).map((c: KObj) => c.name as string);
export const initContainerNames = (pod: KObj): string[] => (pod.spec?.initContainers ?? []).map((c: KObj) => c.name as string);

/**
 * The container a request names, or the only/default one; the same rules and messages as the
 * apiserver's pod LogLocation / streamLocation.
 */
export function resolveContainer(pod: KObj, requested: string | null | undefined): string {
  const all = [...containerNames(pod), ...initContainerNames(pod), ...(pod.spec?.ephemeralContainers ?? []).map((c: KObj) => c.name)];
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (def && all.includes(def)) return def;
  const names = containerNames(pod);
  if (names.length === 1) return names[0]!;
  const inits = initContainerNames(pod);
  let msg = `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`;
  if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
  throw badRequest(msg);
}

export function containerSpec(pod: KObj, name: string): KObj | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c: KObj) => c.name === name);
}

export function containerStatus(pod: KObj, name: string): KObj | undefined {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return all.find((s: KObj) => s.name === name);
}

/** Exec/attach need the container running, as the kubelet checks. */
export function requireRunningContainer(pod: KObj, container: string): void {
  if (!pod.spec?.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const st = containerStatus(pod, container);
  if (!st?.state?.running) {
    throw new ApiError(400, 'BadRequest', `unable to upgrade connection: container not found ("${container}")`);
  }
}

/** Port-forward needs a Running pod on a node. */
export function requireRunningPod(pod: KObj): void {
  if (!pod.spec?.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  if (pod.status?.phase !== 'Running') {
    throw new ApiError(400, 'BadRequest', 'unable to upgrade connection: pod does not exist');
  }
}

/** A stable 64-hex sandbox id per pod, as container runtimes show in their messages. */
export function sandboxId(pod: KObj): string {
  const uid = String(pod.metadata.uid ?? pod.metadata.name);
  let h = '';
  let x = 0x811c9dc5;
  for (let i = 0; h.length < 64; i++) {
    x ^= uid.charCodeAt(i % uid.length) + i;
    x = Math.imul(x, 0x01000193) >>> 0;
    h += x.toString(16).padStart(8, '0');
  }
  return h.slice(0, 64);
}
