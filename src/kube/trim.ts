/**
 * What the cache keeps of an object. managedFields and kubectl's last-applied copy are often
 * bigger than the object itself and nothing in the cockpit shows them, so dropping them keeps
 * 20,000 cached pods within a few hundred MB.
 */
import type { KubeObject } from './types.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Trims in place (the object was just parsed from the wire, nobody else holds it). Rebuilds
 * metadata with a rest spread rather than `delete`, which would turn it into a slower,
 * bigger dictionary-mode object in V8.
 */
export function trimObject(obj: KubeObject, apiVersion?: string, kind?: string): KubeObject {
  const md = obj.metadata;
  if (md && ('managedFields' in md || (md.annotations && LAST_APPLIED in md.annotations))) {
    const { managedFields: _drop, ...rest } = md;
    if (rest.annotations && LAST_APPLIED in rest.annotations) {
      const { [LAST_APPLIED]: _last, ...annotations } = rest.annotations;
      if (Object.keys(annotations).length) rest.annotations = annotations;
      else delete rest.annotations;
    }
    obj.metadata = rest as KubeObject['metadata'];
  }
  // Items of a list carry no kind/apiVersion on the wire; the UI wants them.
  if (apiVersion && !obj.apiVersion) obj.apiVersion = apiVersion;
  if (kind && !obj.kind) obj.kind = kind;
  return obj;
}

export const objectKey = (o: KubeObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
