/** Kind names as the model types them → API paths (kubectl's resolution, through KindIndex). */
import type { ResourceKind } from '../../kube/types.js';
import { ToolInputError, type ToolContext } from './types.js';

export function kindOf(ctx: ToolContext, name: string): ResourceKind {
  const k = ctx.kinds.resolve(name);
  if (!k) throw new ToolInputError(`the cluster has no resource type '${name}' (kube_api_resources lists them)`);
  return k;
}

export function collectionPath(k: ResourceKind, namespace: string | undefined): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return k.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${k.resource}` : `${base}/${k.resource}`;
}

export function objectPath(k: ResourceKind, namespace: string | undefined, name: string): string {
  return `${collectionPath(k, k.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
}

/** A GET that failed says so in one line the model can act on. */
export function apiFailure(status: number, json: any, what: string): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const msg = json?.message ?? `HTTP ${status}`;
  return `error: ${what}: ${msg}`;
}
