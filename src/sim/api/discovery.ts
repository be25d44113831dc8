/**
 * Discovery documents (legacy, plain JSON: /version, /api, /apis, /api/v1, /apis/<g>[/<v>]) and
 * the minimal OpenAPI v3 that makes `kubectl apply` validate server-side (fieldValidation=Strict).
 */
import type { DiscoveryGroup } from '../plugin.js';
import type { Registry, ResourceType } from '../registry/index.js';
import { SUBRESOURCE_INFO } from '../registry/builtin.js';
import { componentSchemas } from './openapi-schemas.js';
import { OpenApiV2 } from './openapi-v2.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const VERSION_INFO = {
  major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53', gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z', goVersion: 'go1.23.3', compiler: 'gc', platform: 'linux/amd64',
};

/** /version for another release (`v1.31.4`): the fleet's clusters run different versions. */
export function versionInfo(gitVersion?: string): typeof VERSION_INFO {
  const m = gitVersion ? /^v(\d+)\.(\d+)\.(\d+)$/.exec(gitVersion) : null;
  if (!m) return VERSION_INFO;
  return { ...VERSION_INFO, major: m[1]!, minor: m[2]!, gitVersion: gitVersion! };
}

function resourceEntries(types: ResourceType[]): J[] {
  const out: J[] = [];
  for (const t of types) {
    out.push({
      name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs,
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories?.length ? { categories: t.categories } : {}),
    });
    for (const s of t.subresources) {
      const info = SUBRESOURCE_INFO[s] ?? { verbs: ['get'] };
      out.push({
        name: `${t.plural}/${s}`, singularName: '', namespaced: t.namespaced,
        ...(info.group !== undefined ? { group: info.group, version: info.version } : {}),
        kind: info.kind ?? t.kind, verbs: info.verbs,
      });
    }
  }
  return out;
}

export class Discovery {
  /** /openapi/v2 (JSON and protobuf), cached per registry generation. */
  readonly openapiV2: OpenApiV2;
  constructor(private readonly registry: Registry, private readonly pluginGroups: () => DiscoveryGroup[]) {
    this.openapiV2 = new OpenApiV2(registry);
  }

  apiVersions(serverAddress: string): J {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }

  private allGroups(): Array<{ group: string; versions: string[]; preferred: string }> {
    const gs = this.registry.groups().filter((g) => g.group !== '');
    for (const pg of this.pluginGroups()) {
      const g = gs.find((x) => x.group === pg.group);
      if (g) {
        if (!g.versions.includes(pg.version)) g.versions.push(pg.version);
      } else gs.push({ group: pg.group, versions: [pg.version], preferred: pg.version });
    }
    return gs;
  }

  private groupDoc(g: { group: string; versions: string[]; preferred: string }): J {
    return {
      name: g.group,
      versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.group}/${g.preferred}`, version: g.preferred },
    };
  }

  apiGroupList(): J {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.allGroups().map((g) => this.groupDoc(g)) };
  }

  apiGroup(group: string): J | undefined {
    const g = this.allGroups().find((x) => x.group === group);
    return g ? { kind: 'APIGroup', apiVersion: 'v1', ...this.groupDoc(g) } : undefined;
  }

  resourceList(group: string, version: string): J | undefined {
    const types = this.registry.resources(group, version);
    const plugin = this.pluginGroups().filter((p) => p.group === group && p.version === version);
    if (!types.length && !plugin.length) return undefined;
    const resources = [
      ...resourceEntries(types),
      ...plugin.flatMap((p) => p.resources.map((r) => {
        const { group: _g, version: _v, ...rest } = r;
        return rest;
      })),
    ];
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }

  // ---- OpenAPI v3 ----
  private hash(gv: string): string {
    let h = 2166136261;
    const [g, v] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
    const s = `${gv}|${this.registry.generation}|${JSON.stringify(this.registry.resources(g, v).map((t) => t.kind))}`;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    return h.toString(16).padStart(8, '0').toUpperCase() + (this.registry.generation).toString(16).toUpperCase();
  }

  openapiRoot(): J {
    const paths: Record<string, J> = {};
    for (const g of this.registry.groups()) {
      for (const v of g.versions) {
        const key = g.group ? `apis/${g.group}/${v}` : `api/${v}`;
        paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${this.hash(g.group ? `${g.group}/${v}` : v)}` };
      }
    }
    return { paths };
  }

  /** The document of one group version: one patch operation per kind, enough for kubectl. */
  openapiGroupVersion(group: string, version: string): J | undefined {
    const types = this.registry.resources(group, version);
    if (!types.length) return undefined;
    const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const paths: Record<string, J> = {};
    const fieldValidation = { name: 'fieldValidation', in: 'query', description: 'fieldValidation instructs the server on how to handle objects in the request', schema: { type: 'string', uniqueItems: true } };
    for (const t of types) {
      const path = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}/{name}` : `${prefix}/${t.plural}/{name}`;
      const gvk = { group, version, kind: t.kind };
      paths[path] = {
        get: { operationId: `read${t.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: { 200: { description: 'OK' } } },
        patch: {
          operationId: `patch${t.kind}`, 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk,
          parameters: [{ name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } }, fieldValidation, { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
          responses: { 200: { description: 'OK' } },
        },
      };
    }
    // Component schemas only for `kubectl explain` (core/v1 and apps/v1 kinds); no requestBody on
    // the patch operations, so kubectl still computes patches from its compiled-in types (§1c of the note).
    const schemas = (group === '' || group === 'apps') && version === 'v1' ? componentSchemas() : {};
    return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
  }
}
