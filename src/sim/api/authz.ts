/**
 * A minimal RBAC for the embedded cluster: two users, chosen by bearer token.
 * - the admin token (`kai-admin`, group system:masters) may do everything;
 * - the viewer token (`kai-viewer`) is bound to a read-only role like Kubernetes' `view`
 *   ClusterRole: get/list/watch on every resource except Secrets, no exec/attach/port-forward/
 *   proxy, no writes. Anything else gets the real 403 Forbidden Status.
 * Access reviews (`kubectl auth can-i`) answer for the user who asks. Anyone else — a user
 * impersonated with `--as` — is judged by the stored RBAC (rbac.ts), as a real cluster does.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';
import type { Registry } from '../registry/index.js';
import { parseResourcePath } from './rest.js';
import { queryBool } from './query.js';
import type { RbacAuthorizer } from './rbac.js';

/** `rbac`: a user whose rights come from the stored RBAC (impersonated with --as, ServiceAccounts). */
export interface SimUser { name: string; groups: string[]; readOnly: boolean; rbac?: boolean }

export const ADMIN_USER: SimUser = { name: 'kai-admin', groups: ['system:masters', 'system:authenticated'], readOnly: false };
export const VIEWER_USER: SimUser = { name: 'kai-viewer', groups: ['kai:viewers', 'system:authenticated'], readOnly: true };

export interface Attributes { verb: string; group: string; resource: string; subresource?: string; namespace?: string; name?: string }

const READ_VERBS = new Set(['get', 'list', 'watch']);
/** What `view` leaves out: secrets (they hold credentials) and the streaming subresources. */
const HIDDEN = new Set(['secrets']);
const HIDDEN_SUB = new Set(['exec', 'attach', 'portforward', 'proxy']);

const users = new WeakMap<IncomingMessage, SimUser>();
/** The server authenticates a request once; handlers read who asked (default: admin). */
export const setRequestUser = (req: IncomingMessage, user: SimUser): void => void users.set(req, user);
export const requestUser = (req: IncomingMessage): SimUser => users.get(req) ?? ADMIN_USER;

export function allowed(user: SimUser, a: Attributes): boolean {
  if (!user.readOnly) return true;
  // Every authenticated user may ask what it may do (system:basic-user).
  if (a.group === 'authorization.k8s.io' && (a.resource === 'selfsubjectaccessreviews' || a.resource === 'selfsubjectrulesreviews') && a.verb === 'create') return true;
  if (a.verb === '*' || !READ_VERBS.has(a.verb)) return false;
  if (a.resource === '*') return false;
  if (HIDDEN.has(a.resource)) return false;
  if (a.subresource && HIDDEN_SUB.has(a.subresource)) return false;
  return true;
}

/** The request's verb and resource as the apiserver's RequestInfo resolves them; undefined for non-resource URLs. */
export function requestAttributes(registry: Registry, method: string, url: URL, upgrade: boolean): Attributes | undefined {
  const p = parseResourcePath(registry, url.pathname);
  if (!p) return undefined;
  if ('unknown' in p) {
    // Not served: still a resource request; judged by its path so a viewer sees 403, not 404, for writes.
    const segs = url.pathname.split('/').filter(Boolean);
    const rest = segs[0] === 'api' ? segs.slice(2) : segs.slice(3);
    const nsd = rest[0] === 'namespaces' && rest.length >= 3;
    return { verb: verbOf(method, url, !!(nsd ? rest[3] : rest[1]), false), group: segs[0] === 'api' ? '' : segs[1] ?? '', resource: (nsd ? rest[2] : rest[0]) ?? '', namespace: nsd ? rest[1] : undefined };
  }
  const sub = p.subresource;
  const streaming = sub !== undefined && HIDDEN_SUB.has(sub);
  return {
    verb: streaming && (upgrade || method === 'POST' || method === 'GET') && sub !== 'proxy' ? 'create' : verbOf(method, url, !!p.name && !p.legacyWatch, p.legacyWatch),
    group: p.rt.group, resource: p.rt.plural, subresource: sub, namespace: p.namespace, name: p.name,
  };
}

function verbOf(method: string, url: URL, named: boolean, legacyWatch: boolean): string {
  const watch = legacyWatch || queryBool(url.searchParams.get('watch'));
  switch (method) {
    case 'GET': case 'HEAD': return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return named ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}

/** The apiserver's 403: `secrets "x" is forbidden: User "u" cannot get resource "secrets" in API group "" in the namespace "ns"`. */
export function forbidden(user: SimUser, a: Attributes): ApiError {
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const what = a.group ? `${a.resource}.${a.group}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const subject = a.name ? `${what} "${a.name}"` : what;
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: User "${user.name}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`,
    { ...(a.name ? { name: a.name } : {}), ...(a.group ? { group: a.group } : {}), kind: a.resource });
}

/** The decision and its reason for any user: the admin, the viewer, or one judged by the stored RBAC. */
export function decide(rbac: RbacAuthorizer | undefined, user: SimUser, a: Attributes): { allowed: boolean; reason: string } {
  if (user.rbac && rbac) return rbac.authorize(user, a);
  if (!user.readOnly) return { allowed: true, reason: '' };
  const ok = allowed(user, a);
  return { allowed: ok, reason: ok ? 'RBAC: allowed by ClusterRoleBinding "kai-viewer" of ClusterRole "view" to User "kai-viewer"' : '' };
}

/**
 * Impersonation (`kubectl --as USER --as-group GROUP`), as the apiserver's filter: the requester
 * needs `impersonate` on users / groups / serviceaccounts; the request then runs as that user
 * (plus system:authenticated; a ServiceAccount without --as-group gets its namespace's groups).
 */
export function impersonate(rbac: RbacAuthorizer | undefined, requester: SimUser, req: IncomingMessage): SimUser {
  const asUser = req.headersDistinct?.['impersonate-user']?.[0];
  const asGroups = (req.headersDistinct?.['impersonate-group'] ?? []).filter(Boolean);
  if (asUser === undefined && !asGroups.length) return requester;
  if (!asUser) throw new ApiError(500, 'InternalError', 'Internal error occurred: requested [{Group  ' + asGroups[0] + '   }] without impersonating a user');
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(asUser);
  const checks: Attributes[] = [
    sa ? { verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: sa[1], name: sa[2] } : { verb: 'impersonate', group: '', resource: 'users', name: asUser },
    ...asGroups.map((g) => ({ verb: 'impersonate', group: '', resource: 'groups', name: g })),
  ];
  for (const a of checks) if (!decide(rbac, requester, a).allowed) throw forbidden(requester, a);
  const groups = asGroups.length ? [...asGroups] : sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`] : [];
  if (asUser !== 'system:anonymous' && !groups.includes('system:authenticated')) groups.push('system:authenticated');
  return { name: asUser, groups, readOnly: false, rbac: true };
}

/** Throws 403 when the request is not allowed for its user. Non-resource URLs (discovery, OpenAPI) are open to every authenticated user. */
export function authorizeRequest(registry: Registry, user: SimUser, req: IncomingMessage, url: URL, rbac?: RbacAuthorizer): void {
  if (user.rbac && rbac) {
    const a = requestAttributes(registry, req.method ?? 'GET', url, !!req.headers.upgrade);
    const verb = String(req.method ?? 'GET').toLowerCase();
    if (!a) {
      if (!rbac.authorize(user, { verb: verb === 'head' ? 'get' : verb, path: url.pathname }).allowed) throw new ApiError(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${verb} path "${url.pathname}"`);
      return;
    }
    if (!rbac.authorize(user, a).allowed) throw forbidden(user, a);
    return;
  }
  if (!user.readOnly) return;
  const a = requestAttributes(registry, req.method ?? 'GET', url, !!req.headers.upgrade);
  if (!a) {
    if ((req.method ?? 'GET') !== 'GET' && req.method !== 'HEAD') throw new ApiError(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${String(req.method).toLowerCase()} path "${url.pathname}"`);
    return;
  }
  if (!allowed(user, a)) throw forbidden(user, a);
}

/** SelfSubjectRulesReview status for a user (the viewer's rules name every readable resource, as `view` does). */
export function rulesFor(registry: Registry, user: SimUser): { resourceRules: unknown[]; nonResourceRules: unknown[]; incomplete: boolean } {
  const review = { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] };
  if (!user.readOnly) return { resourceRules: [review, { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false };
  const byGroup = new Map<string, Set<string>>();
  for (const t of registry.types()) {
    if (HIDDEN.has(t.plural) || t.group === 'authorization.k8s.io') continue;
    let set = byGroup.get(t.group);
    if (!set) byGroup.set(t.group, (set = new Set()));
    set.add(t.plural);
    for (const s of t.subresources) if (!HIDDEN_SUB.has(s)) set.add(`${t.plural}/${s}`);
  }
  const read = [...byGroup].sort(([a], [b]) => (a < b ? -1 : 1)).map(([g, rs]) => ({ verbs: ['get', 'list', 'watch'], apiGroups: [g], resources: [...rs].sort() }));
  return {
    resourceRules: [review, ...read],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] }],
    incomplete: false,
  };
}
