/** The scale subresource (autoscaling/v1 Scale) of built-in workloads and CRDs with subresources.scale. */
import { ApiError, notFound } from '../errors.js';
import type { KObj } from '../types.js';
import type { ResourceType } from '../registry/index.js';
import { labelSelectorString } from './selectors.js';
import { jsonPathValue } from './tables.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export function scaleOf(rt: ResourceType, cur: KObj): KObj {
  if (!rt.scale) throw notFound(`${rt.plural}/scale`, cur.metadata.name!, rt.group);
  const spec = jsonPathValue(cur, rt.scale.specReplicasPath);
  const status = jsonPathValue(cur, rt.scale.statusReplicasPath);
  let selector: string | undefined;
  if (!rt.crd) selector = labelSelectorString(cur.spec?.selector);
  else if (rt.scale.labelSelectorPath) {
    const s = jsonPathValue(cur, rt.scale.labelSelectorPath);
    selector = typeof s === 'string' ? s : undefined;
  }
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: cur.metadata.name, namespace: cur.metadata.namespace, uid: cur.metadata.uid, resourceVersion: cur.metadata.resourceVersion, creationTimestamp: cur.metadata.creationTimestamp },
    spec: { replicas: typeof spec === 'number' ? spec : 0 },
    status: { replicas: typeof status === 'number' ? status : 0, ...(selector ? { selector } : {}) },
  };
}

/** A copy of the object (as served) with the Scale's replicas at specReplicasPath, or the 422 a bad count gets. */
export function withScale(rt: ResourceType, view: KObj, cur: KObj, scale: J): KObj {
  const replicas = scale?.spec?.replicas;
  const bad = !Number.isInteger(replicas) || replicas < 0 ? 'must be greater than or equal to 0' : replicas > 2147483647 ? 'must be less than or equal to 2147483647' : undefined;
  if (bad) {
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${cur.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: ${bad}`,
      { name: cur.metadata.name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: ${bad}`, field: 'spec.replicas' }] });
  }
  const o = structuredClone(view);
  const path = rt.scale!.specReplicasPath.replace(/^\./, '').split('.');
  let node: J = o;
  for (const k of path.slice(0, -1)) node = node[k] ??= {};
  node[path[path.length - 1]!] = replicas;
  o.metadata.resourceVersion = scale?.metadata?.resourceVersion || cur.metadata.resourceVersion;
  return o;
}
