/**
 * Resource kinds from discovery, resolved like kubectl does: plural, singular, short name or
 * Kind, optionally qualified with a group ("deployments.apps"). Any object with kinds() —
 * the cockpit's ClusterSource included — can serve; `discoverKinds` reads them over HTTP.
 */
import type { ResourceKind } from '../kube/types.js';
import type { KubeRequester } from '../kube/request.js';

export interface KindSource {
  kinds(): ResourceKind[];
  /** Resolves once discovery has answered (the cockpit discovers after its first list). */
  ready?(): Promise<void>;
}

export class KindIndex {
  constructor(private readonly source: KindSource) {}

  all(): ResourceKind[] { return this.source.kinds(); }

  /** Waits (at most `timeoutMs`) for discovery, so a command typed at start-up is not refused. */
  async ready(timeoutMs = 15_000): Promise<void> {
    if (!this.source.ready || this.all().length > 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.source.ready(), new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); })]);
    clearTimeout(timer);
  }

  /** kubectl's resolution: exact plural, then singular, short names, Kind; "name.group" narrows the group. */
  resolve(name: string): ResourceKind | undefined {
    const lower = name.toLowerCase();
    const kinds = this.all();
    const tryMatch = (n: string, group?: string): ResourceKind | undefined => {
      const pool = group === undefined ? kinds : kinds.filter((k) => k.group === group || k.group.startsWith(group + '.') || k.group === group);
      // Core and well-known groups win ties, as kubectl's priority order does.
      const ranked = [...pool].sort((a, b) => groupRank(a.group) - groupRank(b.group));
      return ranked.find((k) => k.resource === n)
        ?? ranked.find((k) => singular(k) === n)
        ?? ranked.find((k) => k.shortNames.includes(n))
        ?? ranked.find((k) => k.kind.toLowerCase() === n);
    };
    const direct = tryMatch(lower);
    if (direct) return direct;
    const dot = lower.indexOf('.');
    if (dot > 0) {
      const rest = lower.slice(dot + 1);
      const [maybeVersion, ...groupParts] = rest.split('.');
      // "deployments.v1.apps" or "deployments.apps"
      const viaVersion = groupParts.length > 0 ? tryMatch(lower.slice(0, dot), groupParts.join('.')) : undefined;
      if (viaVersion && viaVersion.version === maybeVersion) return viaVersion;
      return tryMatch(lower.slice(0, dot), rest);
    }
    return undefined;
  }

  /** The kind for an object's apiVersion + kind (apply -f, create -f). */
  forObject(apiVersion: string, kind: string): ResourceKind | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') as [string, string] : ['', apiVersion];
    return this.all().find((k) => k.group === group && k.version === version && k.kind === kind)
      ?? this.all().find((k) => k.group === group && k.kind === kind);
  }

  /** Every name a user may type for kinds (completion). */
  names(): string[] {
    const out = new Set<string>();
    for (const k of this.all()) {
      out.add(k.resource);
      for (const s of k.shortNames) out.add(s);
    }
    return [...out].sort();
  }
}

function singular(k: ResourceKind): string {
  return k.kind.toLowerCase();
}

const PREFERRED = ['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io'];
function groupRank(g: string): number {
  const i = PREFERRED.indexOf(g);
  if (i >= 0) return i;
  if (g === 'events.k8s.io' || g.endsWith('metrics.k8s.io')) return 100; // kubectl prefers core events
  return 50;
}

interface APIResource { name: string; singularName?: string; namespaced: boolean; kind: string; verbs?: string[]; shortNames?: string[]; categories?: string[] }

/** Reads discovery (/api/v1 and each group's preferred version) into ResourceKinds. */
export async function discoverKinds(client: KubeRequester): Promise<ResourceKind[]> {
  const out: ResourceKind[] = [];
  const addList = (group: string, version: string, list: { resources?: APIResource[] } | undefined) => {
    for (const r of list?.resources ?? []) {
      if (r.name.includes('/')) continue; // subresources
      out.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, shortNames: r.shortNames ?? [], verbs: r.verbs ?? [], categories: r.categories ?? [] });
    }
  };
  addList('', 'v1', await client.getJson('/api/v1'));
  const groups = await client.getJson('/apis') as { groups?: Array<{ name: string; preferredVersion?: { version: string }; versions: Array<{ version: string }> }> } | undefined;
  const lists = await Promise.all((groups?.groups ?? []).map(async (g) => {
    const v = g.preferredVersion?.version ?? g.versions[0]?.version;
    if (!v) return undefined;
    try {
      return { g: g.name, v, list: await client.getJson(`/apis/${g.name}/${v}`) };
    } catch {
      return undefined; // an aggregated API that is down must not break the palette
    }
  }));
  for (const l of lists) if (l) addList(l.g, l.v, l.list);
  return out;
}

export async function kindIndexFor(client: KubeRequester): Promise<KindIndex> {
  const kinds = await discoverKinds(client);
  return new KindIndex({ kinds: () => kinds });
}
