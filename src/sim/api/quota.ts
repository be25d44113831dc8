/**
 * ResourceQuota as kube-apiserver's admission plugin and the resourcequota controller count it
 * (pkg/quota/v1/evaluator/core): what an object uses (pods: pods, cpu/memory requests and limits;
 * services, configmaps, secrets, persistentvolumeclaims and requests.storage; count/<resource>),
 * the namespace's current usage, the quantities written as apimachinery prints them ("1Gi",
 * "500m"), and the admission check with the real 403 messages:
 *   exceeded quota: NAME, requested: limits.memory=512Mi, used: limits.memory=1Gi, limited: limits.memory=1Gi
 *   failed quota: NAME: must specify limits.cpu for: web; limits.memory for: web
 * Quotas with scopes or a scopeSelector are stored but not enforced.
 */
import type { ObjectStore } from '../storage.js';
import type { KObj } from '../types.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Usage = Map<string, number>;

const QUOTAS = { group: '', resource: 'resourcequotas' };
const CPU = new Set(['cpu', 'requests.cpu', 'limits.cpu']);
const COMPUTE = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

const BIN: Array<[string, number]> = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
const DEC: Array<[string, number]> = [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]];

/** A quantity in base units (cpu: millicores; everything else: units) and whether it was written in binary SI. */
export function parseQuantity(q: unknown, resource: string): { value: number; binary: boolean } {
  const s = String(q ?? '').trim();
  const m = /^([+-]?[0-9.]+)(?:e(\d+))?([a-zA-Z]*)$/.exec(s);
  if (!m) return { value: 0, binary: false };
  let n = Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1);
  const suf = m[3] ?? '';
  const bin = BIN.find(([x]) => x === suf);
  const dec = DEC.find(([x]) => x === suf);
  if (bin) n *= bin[1];
  else if (dec) n *= dec[1];
  else if (suf === 'm') n /= 1000;
  return { value: CPU.has(resource) ? Math.round(n * 1000) : Math.round(n), binary: !!bin };
}

/** Quantity.String() of a base-unit value: cpu "500m" / "2"; memory "1Gi" (binary) or "1G"; counts "3". */
export function formatQuantity(value: number, resource: string, binary: boolean): string {
  if (CPU.has(resource)) return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
  if (value === 0) return '0';
  for (const [suf, base] of binary ? BIN : DEC) if (value % base === 0) return `${value / base}${suf}`;
  return String(value);
}

/** The resources an object counts against (after defaulting). */
export function usageOf(plural: string, group: string, o: KObj): Usage {
  const u: Usage = new Map();
  u.set(group ? `count/${plural}.${group}` : `count/${plural}`, 1);
  if (!group) {
    if (plural === 'pods') {
      if (o.status?.phase === 'Succeeded' || o.status?.phase === 'Failed') return new Map();
      u.set('pods', 1);
      const sum = (part: 'requests' | 'limits', r: string) => {
        let total = 0;
        for (const c of (o.spec?.containers ?? []) as J[]) total += parseQuantity(c.resources?.[part]?.[r], r === 'cpu' ? 'cpu' : r).value;
        for (const c of (o.spec?.initContainers ?? []) as J[]) total = Math.max(total, parseQuantity(c.resources?.[part]?.[r], r === 'cpu' ? 'cpu' : r).value);
        return total;
      };
      const has = (part: 'requests' | 'limits', r: string) => [...(o.spec?.containers ?? []), ...(o.spec?.initContainers ?? [])].some((c: J) => c.resources?.[part]?.[r] !== undefined);
      if (has('requests', 'cpu')) { u.set('requests.cpu', sum('requests', 'cpu')); u.set('cpu', sum('requests', 'cpu')); }
      if (has('requests', 'memory')) { u.set('requests.memory', sum('requests', 'memory')); u.set('memory', sum('requests', 'memory')); }
      if (has('limits', 'cpu')) u.set('limits.cpu', sum('limits', 'cpu'));
      if (has('limits', 'memory')) u.set('limits.memory', sum('limits', 'memory'));
    } else if (plural === 'services') {
      u.set('services', 1);
      const type = o.spec?.type ?? 'ClusterIP';
      if (type === 'LoadBalancer') u.set('services.loadbalancers', 1);
      if (type === 'NodePort' || type === 'LoadBalancer') u.set('services.nodeports', (o.spec?.ports ?? []).length);
    } else if (plural === 'persistentvolumeclaims') {
      u.set('persistentvolumeclaims', 1);
      u.set('requests.storage', parseQuantity(o.spec?.resources?.requests?.storage, 'requests.storage').value);
    } else if (plural === 'configmaps' || plural === 'secrets' || plural === 'resourcequotas' || plural === 'replicationcontrollers') {
      u.set(plural, 1);
    }
  }
  return u;
}

/** A Go-style ResourceList string: "a=1,b=2Gi" sorted by name. */
function pretty(u: Usage, keys: string[], fmt: (k: string, v: number) => string): string {
  return [...keys].sort().map((k) => `${k}=${fmt(k, u.get(k) ?? 0)}`).join(',');
}

export class QuotaTracker {
  constructor(private readonly store: ObjectStore) {}

  /** Enforced quotas of a namespace (no scopes), in name order. */
  quotas(ns: string): KObj[] {
    return this.store.list(QUOTAS, ns).items.filter((q) => !q.spec?.scopes?.length && !q.spec?.scopeSelector);
  }

  /** Current usage of the resources `keys` in a namespace, and whether memory-like values were written in binary SI. */
  usage(ns: string, keys: Iterable<string>): { used: Usage; binary: Set<string> } {
    const want = new Set(keys);
    const used: Usage = new Map([...want].map((k) => [k, 0]));
    const binary = new Set<string>();
    const sources: Array<[string, string]> = [['', 'pods'], ['', 'services'], ['', 'persistentvolumeclaims'], ['', 'configmaps'], ['', 'secrets'], ['', 'resourcequotas']];
    for (const k of want) {
      const m = /^count\/([^.]+)(?:\.(.+))?$/.exec(k);
      if (m && !sources.some(([g, r]) => g === (m[2] ?? '') && r === m[1])) sources.push([m[2] ?? '', m[1]!]);
    }
    for (const [group, plural] of sources) {
      if (![...want].some((k) => k.startsWith('count/') ? k === (group ? `count/${plural}.${group}` : `count/${plural}`) : true)) continue;
      for (const o of this.store.list({ group, resource: plural }, ns).items) {
        if (o.metadata.namespace !== ns) continue;
        for (const [k, v] of usageOf(plural, group, o)) {
          if (!want.has(k)) continue;
          used.set(k, (used.get(k) ?? 0) + v);
          if (!binary.has(k) && plural === 'pods' && /memory/.test(k) && this.writtenBinary(o, k)) binary.add(k);
        }
      }
    }
    return { used, binary };
  }

  private writtenBinary(pod: KObj, key: string): boolean {
    const part = key.startsWith('limits') ? 'limits' : 'requests';
    return [...(pod.spec?.containers ?? [])].some((c: J) => parseQuantity(c.resources?.[part]?.memory, 'memory').binary);
  }

  /** status.hard and status.used of a quota, as the resourcequota controller writes them. */
  status(q: KObj): { hard: Record<string, string>; used: Record<string, string> } {
    const hardIn: Record<string, unknown> = q.spec?.hard ?? {};
    const keys = Object.keys(hardIn);
    const { used, binary } = this.usage(q.metadata.namespace!, keys);
    const hard: Record<string, string> = {};
    const out: Record<string, string> = {};
    for (const k of keys.sort()) {
      const h = parseQuantity(hardIn[k], k);
      hard[k] = formatQuantity(h.value, k, h.binary);
      out[k] = formatQuantity(used.get(k) ?? 0, k, binary.has(k) || h.binary);
    }
    return { hard, used: out };
  }

  /** Admission of a new object: throws the apiserver's 403 text (prefix added by the caller). */
  admit(plural: string, group: string, o: KObj): string | undefined {
    const ns = o.metadata.namespace;
    if (!ns) return undefined;
    const delta = usageOf(plural, group, o);
    if (!delta.size) return undefined;
    for (const q of this.quotas(ns)) {
      const hardIn: Record<string, unknown> = q.spec?.hard ?? {};
      const keys = Object.keys(hardIn);
      if (plural === 'pods' && !group) {
        const missing = this.missingCompute(o, keys);
        if (missing) return `failed quota: ${q.metadata.name}: must specify ${missing}`;
      }
      const relevant = keys.filter((k) => delta.has(k));
      if (!relevant.length) continue;
      const { used, binary } = this.usage(ns, relevant);
      const exceeded = relevant.filter((k) => (used.get(k) ?? 0) + (delta.get(k) ?? 0) > parseQuantity(hardIn[k], k).value);
      if (!exceeded.length) continue;
      const reqBinary = (k: string) => plural === 'pods' && /memory/.test(k) && this.writtenBinary(o, k);
      const hardBinary = (k: string) => parseQuantity(hardIn[k], k).binary;
      return `exceeded quota: ${q.metadata.name}, requested: ${pretty(delta, exceeded, (k, v) => formatQuantity(v, k, reqBinary(k)))}, `
        + `used: ${pretty(used, exceeded, (k, v) => formatQuantity(v, k, binary.has(k) || hardBinary(k)))}, `
        + `limited: ${pretty(new Map(exceeded.map((k) => [k, parseQuantity(hardIn[k], k).value])), exceeded, (k, v) => formatQuantity(v, k, hardBinary(k)))}`;
    }
    return undefined;
  }

  /** The pod evaluator's Constraints: each container must name the compute resources the quota tracks. */
  private missingCompute(pod: KObj, keys: string[]): string | undefined {
    const required = keys.filter((k) => COMPUTE.has(k));
    if (!required.length) return undefined;
    const missing = new Map<string, Set<string>>();
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as J[]) {
      const have = new Set<string>();
      if (c.resources?.requests?.cpu !== undefined) have.add('cpu').add('requests.cpu');
      if (c.resources?.requests?.memory !== undefined) have.add('memory').add('requests.memory');
      if (c.resources?.limits?.cpu !== undefined) have.add('limits.cpu');
      if (c.resources?.limits?.memory !== undefined) have.add('limits.memory');
      for (const r of required) if (!have.has(r)) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(c.name);
    }
    if (!missing.size) return undefined;
    return [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`).join('; ');
  }
}
