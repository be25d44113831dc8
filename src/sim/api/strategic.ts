/**
 * Strategic merge patch as the apiserver applies it to built-in kinds: maps merge, lists with a
 * merge key (containers by name, ports by containerPort, …) merge item by item, and the
 * directives kubectl sends ($patch, $setElementOrder/…, $retainKeys, $deleteFromPrimitiveList/…).
 */
type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ListStrategy { merge: boolean; key?: string }

/** The patch strategy of the list at `path` (field names from the root, no indices). */
export function listStrategy(kind: string, path: string[]): ListStrategy {
  const f = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (f) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'env': case 'volumes':
    case 'imagePullSecrets': case 'resourceClaims': case 'schedulingGates':
      return { merge: true, key: 'name' };
    case 'volumeMounts': return { merge: true, key: 'mountPath' };
    case 'volumeDevices': return { merge: true, key: 'devicePath' };
    case 'hostAliases': return { merge: true, key: 'ip' };
    case 'topologySpreadConstraints': return { merge: true, key: 'topologyKey' };
    case 'ownerReferences': return parent === 'metadata' ? { merge: true, key: 'uid' } : { merge: false };
    case 'finalizers': return parent === 'metadata' ? { merge: true } : { merge: false };
    case 'conditions': return parent === 'status' ? { merge: true, key: 'type' } : { merge: false };
    case 'addresses': return kind === 'Node' && parent === 'status' ? { merge: true, key: 'type' } : { merge: false };
    case 'ports':
      if (kind === 'Service' && parent === 'spec' && path.length === 2) return { merge: true, key: 'port' };
      if (parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers') return { merge: true, key: 'containerPort' };
      return { merge: false };
    default:
      return { merge: false };
  }
}

export class PatchError extends Error {}

/** Removes directive keys from a patch fragment that becomes new content. */
function clean(v: J, kind: string, path: string[]): J {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x.$patch)).map((x) => clean(x, kind, path));
  if (!isObj(v)) return v;
  const out: Record<string, J> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    if (x === null) continue;
    out[k] = clean(x, kind, [...path, k]);
  }
  return out;
}

function applyOrder(items: J[], order: J[] | undefined, key: string | undefined): J[] {
  if (!order) return items;
  const idOf = (x: J) => (key ? (isObj(x) ? x[key] : undefined) : x);
  const pos = new Map(order.map((o, i) => [JSON.stringify(key ? (isObj(o) ? o[key] : o) : o), i]));
  const indexed = items.map((x, i) => ({ x, i, p: pos.get(JSON.stringify(idOf(x))) }));
  indexed.sort((a, b) => {
    if (a.p !== undefined && b.p !== undefined) return a.p - b.p;
    if (a.p !== undefined) return -1;
    if (b.p !== undefined) return 1;
    return a.i - b.i;
  });
  return indexed.map((e) => e.x);
}

function mergeList(orig: J[] | undefined, patch: J[], kind: string, path: string[], order?: J[], delPrim?: J[]): J[] {
  const strat = listStrategy(kind, path);
  if (patch.some((x) => isObj(x) && x.$patch === 'replace')) return clean(patch, kind, path);
  if (!strat.merge) return clean(patch, kind, path);
  const base = Array.isArray(orig) ? [...orig] : [];
  if (!strat.key) {
    const out = [...base];
    for (const p of patch) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(p))) out.push(p);
    const del = new Set((delPrim ?? []).map((x) => JSON.stringify(x)));
    return applyOrder(out.filter((x) => !del.has(JSON.stringify(x))), order, undefined);
  }
  const key = strat.key;
  let out = base;
  for (const p of patch) {
    if (!isObj(p)) continue;
    const i = out.findIndex((x) => isObj(x) && x[key] === p[key]);
    if (p.$patch === 'delete') {
      if (i >= 0) out = out.filter((_, j) => j !== i);
      continue;
    }
    if (i >= 0) out[i] = mergeMap(out[i], p, kind, path);
    else out.push(clean(p, kind, path));
  }
  return applyOrder(out, order, key);
}

export function mergeMap(orig: J, patch: Record<string, J>, kind: string, path: string[] = []): J {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') return clean(patch, kind, path);
  const out: Record<string, J> = isObj(orig) ? { ...orig } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    const p = [...path, k];
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      out[k] = mergeList(out[k], v, kind, p, patch[`$setElementOrder/${k}`], patch[`$deleteFromPrimitiveList/${k}`]);
    } else if (isObj(v)) {
      const merged = mergeMap(out[k], v, kind, p);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = v;
    }
  }
  // Directives that name a list the patch itself does not carry.
  for (const [k, v] of Object.entries(patch)) {
    const m = /^\$(setElementOrder|deleteFromPrimitiveList)\/(.+)$/.exec(k);
    if (!m || m[2]! in patch || !Array.isArray(v)) continue;
    const f = m[2]!;
    if (m[1] === 'deleteFromPrimitiveList') {
      if (Array.isArray(out[f])) {
        const del = new Set(v.map((x: J) => JSON.stringify(x)));
        out[f] = out[f].filter((x: J) => !del.has(JSON.stringify(x)));
      }
    } else if (Array.isArray(out[f])) {
      out[f] = applyOrder(out[f], v, listStrategy(kind, [...path, f]).key);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set<string>(patch.$retainKeys);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

export function strategicMergePatch(orig: J, patch: J, kind: string): J {
  if (!isObj(patch)) throw new PatchError('strategic merge patch must be a JSON object');
  return mergeMap(orig, patch, kind, []) ?? {};
}
