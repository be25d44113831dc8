/**
 * API discovery as kubectl does it without a cache: /api and /apis, then every group version's
 * APIResourceList. Each group's preferred version comes first; a resource that exists only in
 * another version of the group is still listed (like `kubectl api-resources`). Subresources
 * (`pods/log`, `deployments/scale`) are skipped. A group version that fails (an aggregated API
 * that is down) is reported, not fatal.
 */
import type { Capabilities, ResourceKind } from './types.js';

export type { Capabilities };
import type { Transport } from './transport.js';

interface APIVersions { versions?: string[] }
interface APIGroupList {
  groups?: Array<{ name: string; versions?: Array<{ groupVersion: string; version: string }>; preferredVersion?: { groupVersion: string; version: string } }>;
}
interface APIResourceList {
  groupVersion?: string;
  resources?: Array<{ name: string; singularName?: string; namespaced?: boolean; kind: string; verbs?: string[]; shortNames?: string[]; categories?: string[] }>;
}

export interface DiscoveredKind extends ResourceKind {
  /** Singular name from discovery ('' when the server left it out). */
  singular: string;
  /** True when this is the group's preferred version. */
  preferred: boolean;
}

export interface Discovery {
  kinds: DiscoveredKind[];
  /** Group versions whose resource list could not be read, with why. */
  failed: Array<{ groupVersion: string; message: string }>;
  capabilities: Capabilities;
}

export interface DiscoverOptions {
  timeoutMs?: number;
  /** Parallel per-group-version requests. */
  concurrency?: number;
}

/** One entry per group, preferred version first, in the order the server lists groups. */
export function groupVersionOrder(core: APIVersions, groups: APIGroupList): Array<{ group: string; version: string; preferred: boolean }> {
  const out: Array<{ group: string; version: string; preferred: boolean }> = [];
  const coreVersions = core.versions ?? [];
  coreVersions.forEach((v, i) => out.push({ group: '', version: v, preferred: i === 0 }));
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    const versions = (g.versions ?? []).map((v) => v.version);
    const ordered = preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
    for (const v of ordered) out.push({ group: g.name, version: v, preferred: v === preferred });
  }
  return out;
}

/**
 * Merges resource lists (given in groupVersionOrder) into kinds: the first version of a group
 * that has a resource wins, subresources are dropped.
 */
export function mergeResourceLists(lists: Array<{ group: string; version: string; preferred: boolean; list: APIResourceList }>): DiscoveredKind[] {
  const seen = new Set<string>();
  const kinds: DiscoveredKind[] = [];
  for (const { group, version, preferred, list } of lists) {
    for (const r of list.resources ?? []) {
      if (!r.name || r.name.includes('/')) continue;
      const key = `${group}/${r.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      kinds.push({
        group,
        version,
        resource: r.name,
        kind: r.kind,
        namespaced: !!r.namespaced,
        shortNames: r.shortNames ?? [],
        verbs: r.verbs ?? [],
        categories: r.categories ?? [],
        singular: r.singularName || r.kind.toLowerCase(),
        preferred,
      });
    }
  }
  return kinds;
}

export function capabilitiesOf(kinds: ResourceKind[], groups: string[]): Capabilities {
  const has = (g: string) => groups.includes(g);
  const hasKind = (g: string, resource: string) => kinds.some((k) => k.group === g && k.resource === resource);
  return {
    metrics: has('metrics.k8s.io'),
    keda: hasKind('keda.sh', 'scaledobjects'),
    velero: hasKind('velero.io', 'backups'),
    prometheusOperator: hasKind('monitoring.coreos.com', 'servicemonitors') || hasKind('monitoring.coreos.com', 'prometheusrules'),
    argocd: hasKind('argoproj.io', 'applications'),
  };
}

async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** Full discovery; throws only when /api or /apis cannot be read. */
export async function discover(t: Transport, opts: DiscoverOptions = {}): Promise<Discovery> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const [core, groups] = await Promise.all([
    t.json<APIVersions>('/api', { timeoutMs }),
    t.json<APIGroupList>('/apis', { timeoutMs }),
  ]);
  const order = groupVersionOrder(core, groups);
  const failed: Discovery['failed'] = [];
  const lists = await pool(order, opts.concurrency ?? 8, async (gv) => {
    const path = gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`;
    try {
      return { ...gv, list: await t.json<APIResourceList>(path, { timeoutMs }) };
    } catch (err) {
      failed.push({ groupVersion: gv.group ? `${gv.group}/${gv.version}` : gv.version, message: (err as Error).message });
      return { ...gv, list: {} as APIResourceList };
    }
  });
  const kinds = mergeResourceLists(lists);
  return { kinds, failed, capabilities: capabilitiesOf(kinds, (groups.groups ?? []).map((g) => g.name)) };
}

/**
 * Finds a kind as kubectl does: "resource.group" or "resource.version.group" qualifiers; then
 * short names, plural, singular, and Kind, case-insensitively; ties go to the earlier group in
 * discovery order (core first), so `events` is core/v1 Event.
 */
export function resolveKind<K extends ResourceKind & { singular?: string }>(kinds: K[], name: string): K | undefined {
  const wanted = name.trim().toLowerCase();
  if (!wanted) return undefined;
  const byName = (n: string, pool: K[]) => {
    const tests: Array<(k: K) => boolean> = [
      (k) => k.shortNames.some((s) => s.toLowerCase() === n),
      (k) => k.resource.toLowerCase() === n,
      (k) => (k.singular ?? '').toLowerCase() === n,
      (k) => k.kind.toLowerCase() === n,
    ];
    for (const test of tests) {
      const hit = pool.find(test);
      if (hit) return hit;
    }
    return undefined;
  };
  const direct = byName(wanted, kinds);
  if (direct) return direct;
  // "deployments.apps", "deploy.apps", "deployments.v1.apps", "Deployment.apps"
  const parts = wanted.split('.');
  for (let i = 1; i < parts.length; i++) {
    const res = parts.slice(0, i).join('.');
    const rest = parts.slice(i);
    const inGroup = kinds.filter((k) => k.group.toLowerCase() === rest.join('.'));
    const hit = byName(res, inGroup);
    if (hit) return hit;
    if (rest.length > 1) {
      const inGv = kinds.filter((k) => k.version.toLowerCase() === rest[0] && k.group.toLowerCase() === rest.slice(1).join('.'));
      const gvHit = byName(res, inGv);
      if (gvHit) return gvHit;
    }
  }
  return undefined;
}

/** core/v1 pods, served by every cluster: its list can start before discovery has answered. */
export const CORE_PODS: ResourceKind = {
  group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], categories: ['all'],
};

/** The URL path of a collection: /api/v1/pods, /apis/apps/v1/namespaces/ns/deployments. */
export function collectionPath(k: ResourceKind, namespace?: string): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return k.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${k.resource}` : `${base}/${k.resource}`;
}
