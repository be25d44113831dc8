/**
 * ControllerRefManager: a controller claims the objects its selector matches that have no
 * controller (adoption) and releases the ones it controls that no longer match (orphaning).
 */
import type { SimContext } from '../context.js';
import type { GroupResource, KObj } from '../types.js';
import type { ClusterIndex } from './cache.js';
import { controllerOf, isTerminating, ownerRef, selectorMatches, type LabelSelector } from './util.js';

export function claim(ctx: SimContext, index: ClusterIndex, owner: KObj, gr: GroupResource, selector: LabelSelector | undefined,
  extraMatch: (o: KObj) => boolean = () => true): KObj[] {
  const uid = owner.metadata.uid!;
  const out: KObj[] = [];
  for (const o of index.controlled(uid, gr)) {
    if (selectorMatches(selector, o.metadata.labels) && extraMatch(o)) out.push(o);
    else if (!isTerminating(o)) {
      // Release: the object no longer matches, so drop our controller reference.
      const c = structuredClone(o);
      c.metadata.ownerReferences = c.metadata.ownerReferences!.filter((r) => r.uid !== uid);
      try { ctx.api.update(gr, c); } catch { /* gone or changed: next event retries */ }
    }
  }
  if (isTerminating(owner)) return out;
  for (const o of index.list(gr, owner.metadata.namespace)) {
    if (controllerOf(o) || isTerminating(o) || !selectorMatches(selector, o.metadata.labels) || !extraMatch(o)) continue;
    if (Object.keys(selector?.matchLabels ?? {}).length === 0 && !(selector?.matchExpressions?.length)) continue;
    const c = structuredClone(o);
    c.metadata.ownerReferences = [...(c.metadata.ownerReferences ?? []), ownerRef(owner)];
    try { out.push(ctx.api.update(gr, c)); } catch { /* retried on the next event */ }
  }
  return out;
}
