/**
 * The review kinds, answered at once and never stored (authorization.k8s.io and
 * authentication.k8s.io): SelfSubjectAccessReview (`kubectl auth can-i`, with `--as` through
 * impersonation), SelfSubjectRulesReview (`can-i --list`), SubjectAccessReview and
 * LocalSubjectAccessReview for any user or group, TokenReview, SelfSubjectReview (`kubectl auth
 * whoami`). Decisions come from authz.ts: the admin, the viewer, or the stored RBAC (rbac.ts).
 */
import { ApiError, badRequest } from '../errors.js';
import type { Registry, ResourceType } from '../registry/index.js';
import { VIEWER_USER, decide, rulesFor, type Attributes, type SimUser } from './authz.js';
import type { RbacAuthorizer } from './rbac.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ReviewDeps {
  registry: Registry;
  rbac?: RbacAuthorizer;
  /** The user a bearer token authenticates as (TokenReview). */
  tokenUser?: (token: string) => SimUser | undefined;
}

const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(kind: string, group: string, field: string, value: unknown, detail: string): ApiError {
  const msg = `Invalid value: ${JSON.stringify(value)}: ${detail}`;
  return new ApiError(422, 'Invalid', `${kind}.${group} "" is invalid: ${field}: ${msg}`,
    { group, kind, causes: [{ reason: 'FieldValueInvalid', message: msg, field }] });
}

/** Resource or non-resource attributes of a review spec; the decision for `user`. */
function access(deps: ReviewDeps, user: SimUser, spec: J): { allowed: boolean; reason: string } {
  const ra = spec.resourceAttributes;
  if (isObj(ra)) {
    const a: Attributes = { verb: ra.verb ?? '', group: ra.group ?? '', resource: ra.resource ?? '', subresource: ra.subresource || undefined, namespace: ra.namespace || undefined, name: ra.name || undefined };
    return decide(deps.rbac, user, a);
  }
  const nra = isObj(spec.nonResourceAttributes) ? spec.nonResourceAttributes : {};
  const verb = nra.verb ?? 'get';
  if (user.rbac && deps.rbac) return deps.rbac.authorize(user, { verb, path: nra.path ?? '' });
  return { allowed: !user.readOnly || verb === 'get', reason: '' };
}

const status = (d: { allowed: boolean; reason: string }) => (d.reason ? { allowed: d.allowed, reason: d.reason } : { allowed: d.allowed });

export function answerReview(deps: ReviewDeps, rt: ResourceType, namespace: string | undefined, body: J, user: SimUser): J {
  if (!isObj(body)) throw badRequest(`the body of the request was not a ${rt.kind} object`);
  const spec: J = isObj(body.spec) ? body.spec : {};
  const reply = (st: J, s: J = spec) => ({ kind: rt.kind, apiVersion: `${rt.group}/v1`, metadata: { creationTimestamp: null, ...(namespace ? { namespace } : {}) }, spec: s, status: st });
  switch (rt.kind) {
    case 'SelfSubjectAccessReview':
      return reply(status(access(deps, user, spec)));
    case 'SelfSubjectRulesReview': {
      if (user.rbac && deps.rbac) return reply({ ...deps.rbac.rules(user, spec.namespace ?? ''), incomplete: false });
      return reply(rulesFor(deps.registry, user));
    }
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      const hasRa = isObj(spec.resourceAttributes), hasNra = isObj(spec.nonResourceAttributes);
      if (rt.kind === 'LocalSubjectAccessReview') {
        if (spec.resourceAttributes?.namespace !== namespace) throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
        if (hasNra) throw invalid(rt.kind, rt.group, 'spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request');
      }
      if (hasRa && hasNra) throw invalid(rt.kind, rt.group, 'spec.resourceAttributes', spec.resourceAttributes, 'cannot be specified in combination with nonResourceAttributes');
      if (!hasRa && !hasNra) throw invalid(rt.kind, rt.group, 'spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified');
      if (!spec.user && !(spec.groups?.length)) throw invalid(rt.kind, rt.group, 'spec.user', spec.user ?? '', 'at least one of user or group must be specified');
      const subject: SimUser = spec.user === VIEWER_USER.name ? VIEWER_USER : { name: spec.user ?? '', groups: spec.groups ?? [], readOnly: false, rbac: true };
      return reply(status(access(deps, subject, spec)));
    }
    case 'TokenReview': {
      const who = typeof spec.token === 'string' ? deps.tokenUser?.(spec.token) : undefined;
      if (!who) return reply({ user: {} });
      return reply({ authenticated: true, user: { username: who.name, groups: who.groups }, audiences: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'] });
    }
    case 'SelfSubjectReview':
      return { kind: rt.kind, apiVersion: `${rt.group}/v1`, metadata: { creationTimestamp: null }, status: { userInfo: { username: user.name, groups: user.groups } } };
    default:
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
}
