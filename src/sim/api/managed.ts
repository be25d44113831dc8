/**
 * managedFields and server-side apply, simplified but real: every write records which manager
 * owns which leaf fields (FieldsV1 format); an apply merges the applied configuration into the
 * live object, removes fields the manager applied before but no longer does, and refuses
 * (409 Conflict) to change a value another manager owns unless forced.
 */
import { ApiError } from '../errors.js';
import type { KObj } from '../types.js';
import { listStrategy } from './strategic.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SEP = '\n';
const SERVER_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generateName']);

export interface ManagedEntry { manager: string; operation: 'Apply' | 'Update'; apiVersion: string; time: string; fieldsType: 'FieldsV1'; fieldsV1: J; subresource?: string }

/** Leaf paths → values of an object (segments f:name, k:{json}, v:json). */
export function leaves(obj: J, kind: string, subresource?: string): Map<string, J> {
  const out = new Map<string, J>();
  const walk = (v: J, segs: string[], names: string[]) => {
    if (isObj(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 && segs.length) out.set(segs.join(SEP), v);
      for (const k of keys) {
        if (segs.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
        if (segs.length === 0 && (subresource === 'status' ? k !== 'status' : k === 'status')) continue;
        if (segs.length === 1 && segs[0] === 'f:metadata' && SERVER_META.has(k)) continue;
        walk(v[k], [...segs, `f:${k}`], [...names, k]);
      }
      return;
    }
    if (Array.isArray(v)) {
      const st = listStrategy(kind, names);
      if (st.merge && st.key && v.every((x) => isObj(x) && x[st.key!] !== undefined)) {
        for (const item of v) walk(item, [...segs, `k:${JSON.stringify({ [st.key]: item[st.key] })}`], names);
        return;
      }
      if (st.merge && !st.key) {
        for (const item of v) out.set([...segs, `v:${JSON.stringify(item)}`].join(SEP), item);
        return;
      }
    }
    out.set(segs.join(SEP), v);
  };
  walk(obj, [], []);
  return out;
}

export function toFieldsV1(paths: Iterable<string>): J {
  const root: Record<string, J> = {};
  for (const p of paths) {
    let cur = root;
    const segs = p.split(SEP);
    segs.forEach((s, i) => {
      cur[s] ??= {};
      cur = cur[s];
      if (s.startsWith('k:') && i < segs.length - 1) cur['.'] ??= {};
    });
  }
  return root;
}

export function fromFieldsV1(f: J): Set<string> {
  const out = new Set<string>();
  const walk = (node: J, segs: string[]) => {
    const keys = isObj(node) ? Object.keys(node).filter((k) => k !== '.') : [];
    if (keys.length === 0) {
      if (segs.length) out.add(segs.join(SEP));
      return;
    }
    for (const k of keys) walk(node[k], [...segs, k]);
  };
  walk(f, []);
  return out;
}

/** `.spec.template.spec.containers[name="app"].image`, as the apiserver prints field paths. */
export function readablePath(p: string): string {
  return p.split(SEP).map((s) => {
    if (s.startsWith('f:')) return `.${s.slice(2)}`;
    if (s.startsWith('k:')) {
      const o = JSON.parse(s.slice(2));
      return `[${Object.entries(o).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    }
    return `[=${s.slice(2)}]`;
  }).join('');
}

function valueAt(obj: J, p: string): J {
  let cur = obj;
  for (const s of p.split(SEP)) {
    if (cur === undefined) return undefined;
    if (s.startsWith('f:')) cur = isObj(cur) ? cur[s.slice(2)] : undefined;
    else if (s.startsWith('k:')) {
      const k = Object.entries(JSON.parse(s.slice(2)))[0]!;
      cur = Array.isArray(cur) ? cur.find((x) => isObj(x) && x[k[0]] === k[1]) : undefined;
    } else {
      const want = s.slice(2);
      return Array.isArray(cur) && cur.some((x) => JSON.stringify(x) === want) ? JSON.parse(want) : undefined;
    }
  }
  return cur;
}

function deleteAt(obj: J, p: string): void {
  const segs = p.split(SEP);
  let cur = obj;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const last = i === segs.length - 1;
    if (s.startsWith('f:')) {
      if (!isObj(cur)) return;
      if (last) delete cur[s.slice(2)];
      else cur = cur[s.slice(2)];
    } else if (s.startsWith('k:')) {
      if (!Array.isArray(cur)) return;
      const k = Object.entries(JSON.parse(s.slice(2)))[0]!;
      const idx = cur.findIndex((x) => isObj(x) && x[k[0]] === k[1]);
      if (idx < 0) return;
      if (last) cur.splice(idx, 1);
      else cur = cur[idx];
    } else {
      if (!Array.isArray(cur)) return;
      const idx = cur.findIndex((x) => JSON.stringify(x) === s.slice(2));
      if (idx >= 0) cur.splice(idx, 1);
    }
  }
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function entries(obj: KObj): ManagedEntry[] {
  return Array.isArray(obj.metadata.managedFields) ? (obj.metadata.managedFields as ManagedEntry[]) : [];
}

function setOwnership(obj: KObj, manager: string, operation: 'Apply' | 'Update', owned: Set<string>, taken: Set<string>, apiVersion: string, subresource?: string): void {
  const out: ManagedEntry[] = [];
  let mine: ManagedEntry | undefined;
  for (const e of entries(obj)) {
    if (e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '')) {
      mine = e;
      continue;
    }
    const fs = fromFieldsV1(e.fieldsV1);
    for (const p of taken) fs.delete(p);
    if (fs.size) out.push({ ...e, fieldsV1: toFieldsV1(fs) });
  }
  const all = new Set([...(operation === 'Update' && mine ? fromFieldsV1(mine.fieldsV1) : []), ...owned]);
  if (all.size) {
    out.push({ manager, operation, apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(all), ...(subresource ? { subresource } : {}) });
  }
  obj.metadata.managedFields = out;
}

/** After a create/update/patch by `manager`: it owns every leaf whose value it set or changed. */
export function recordUpdate(oldObj: KObj | undefined, newObj: KObj, manager: string, subresource?: string): void {
  const kind = newObj.kind;
  const nl = leaves(newObj, kind, subresource);
  const ol = oldObj ? leaves(oldObj, kind, subresource) : new Map<string, J>();
  const changed = new Set<string>();
  for (const [p, v] of nl) if (!ol.has(p) || JSON.stringify(ol.get(p)) !== JSON.stringify(v)) changed.add(p);
  // A request that rewrites managedFields itself (kubectl's client-side → server-side apply
  // migration sends a JSON patch of them) is taken as given, as the apiserver does.
  if (oldObj && newObj.metadata.managedFields !== undefined && JSON.stringify(newObj.metadata.managedFields) !== JSON.stringify(oldObj.metadata.managedFields)) return;
  newObj.metadata.managedFields = oldObj ? oldObj.metadata.managedFields : newObj.metadata.managedFields;
  // Fields that no longer exist are owned by nobody.
  const gone = new Set([...ol.keys()].filter((p) => !nl.has(p)));
  setOwnership(newObj, manager, 'Update', changed, new Set([...changed, ...gone]), newObj.apiVersion, subresource);
}

/** Merges an applied configuration into the live object (lists merged by their keys). */
function applyMerge(live: J, cfg: J, kind: string, names: string[]): J {
  if (isObj(cfg)) {
    const out: Record<string, J> = isObj(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(cfg)) out[k] = applyMerge(out[k], v, kind, [...names, k]);
    return out;
  }
  if (Array.isArray(cfg)) {
    const st = listStrategy(kind, names);
    if (st.merge && Array.isArray(live)) {
      if (!st.key) return [...live, ...cfg.filter((x) => !live.some((y: J) => JSON.stringify(y) === JSON.stringify(x)))];
      const out = [...live];
      for (const item of cfg) {
        const i = out.findIndex((x) => isObj(x) && isObj(item) && x[st.key!] === item[st.key!]);
        if (i >= 0) out[i] = applyMerge(out[i], item, kind, names);
        else out.push(item);
      }
      return out;
    }
  }
  return cfg;
}

/**
 * Server-side apply of `cfg` by `manager` onto `live` (undefined → create). Returns the new
 * object with managedFields updated; throws 409 Conflict listing the contested fields.
 */
export function serverSideApply(live: KObj | undefined, cfg: KObj, manager: string, force: boolean, subresource?: string): KObj {
  const kind = cfg.kind;
  const cl = leaves(cfg, kind, subresource);
  if (!live) {
    const obj = structuredClone(cfg);
    obj.metadata.managedFields = [];
    setOwnership(obj, manager, 'Apply', new Set(cl.keys()), new Set(), cfg.apiVersion, subresource);
    return obj;
  }
  const conflicts: Array<{ manager: string; path: string; apiVersion: string }> = [];
  const taken = new Set<string>();
  for (const e of entries(live)) {
    if (e.manager === manager && e.operation === 'Apply') continue;
    const fs = fromFieldsV1(e.fieldsV1);
    for (const [p, v] of cl) {
      if (!fs.has(p)) continue;
      const lv = valueAt(live, p);
      if (lv !== undefined && JSON.stringify(lv) !== JSON.stringify(v)) {
        if (force) taken.add(p);
        else conflicts.push({ manager: e.manager, path: p, apiVersion: e.apiVersion });
      }
    }
  }
  // The apiserver's last-applied upgrade path: fields that client-side apply set (they are in
  // the last-applied-configuration annotation) may be taken over by a server-side apply.
  const lastApplied = live.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (conflicts.length && lastApplied) {
    let la: Map<string, J> | undefined;
    try {
      la = leaves(JSON.parse(lastApplied), kind, subresource);
    } catch { /* not JSON: no upgrade */ }
    if (la && conflicts.every((c) => c.manager === 'kubectl-client-side-apply' && la!.has(c.path))) {
      for (const c of conflicts) taken.add(c.path);
      conflicts.length = 0;
    }
  }
  if (conflicts.length) {
    const msg = conflicts.length === 1
      ? `Apply failed with 1 conflict: conflict with "${conflicts[0]!.manager}"${conflicts[0]!.manager.startsWith('kubectl') ? '' : ''} using ${conflicts[0]!.apiVersion}: ${readablePath(conflicts[0]!.path)}`
      : `Apply failed with ${conflicts.length} conflicts: ${conflicts.map((c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${readablePath(c.path)}`).join('\n')}`;
    throw new ApiError(409, 'Conflict', msg, {
      causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: readablePath(c.path) })),
    });
  }
  const prev = entries(live).find((e) => e.manager === manager && e.operation === 'Apply');
  const merged = applyMerge(structuredClone(live), structuredClone(cfg), kind, []) as KObj;
  merged.metadata = { ...merged.metadata, name: live.metadata.name, namespace: live.metadata.namespace };
  if (prev) {
    const ownedByOthers = new Set<string>();
    for (const e of entries(live)) if (e !== prev) for (const p of fromFieldsV1(e.fieldsV1)) ownedByOthers.add(p);
    for (const p of fromFieldsV1(prev.fieldsV1)) if (!cl.has(p) && !ownedByOthers.has(p)) deleteAt(merged, p);
  }
  merged.metadata.managedFields = live.metadata.managedFields;
  setOwnership(merged, manager, 'Apply', new Set(cl.keys()), taken, cfg.apiVersion, subresource);
  return merged;
}
