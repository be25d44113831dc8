/**
 * RBAC as kube-apiserver's authorizer (plugin/pkg/auth/authorizer/rbac) evaluates it, over the
 * Roles, ClusterRoles and bindings stored in the cluster: ClusterRoleBindings first, then the
 * RoleBindings of the request's namespace; the first rule that allows wins and names its source
 * ("RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to Group "z""). Aggregated
 * ClusterRoles (aggregationRule) get the rules of the ClusterRoles their selectors match, as the
 * clusterrole-aggregation controller writes them. Members of system:masters are allowed
 * everything before RBAC is asked (the privileged-group authorizer), with no reason.
 */
import type { ObjectStore } from '../storage.js';
import type { KObj } from '../types.js';
import { fromLabelSelectorObject, matchLabels } from './selectors.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Subject { name: string; groups: string[] }
export interface RbacAttributes { verb: string; group?: string; resource?: string; subresource?: string; namespace?: string; name?: string; path?: string }
export interface PolicyRule { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }

const RBAC = 'rbac.authorization.k8s.io';
const GR = {
  roles: { group: RBAC, resource: 'roles' }, clusterroles: { group: RBAC, resource: 'clusterroles' },
  rolebindings: { group: RBAC, resource: 'rolebindings' }, clusterrolebindings: { group: RBAC, resource: 'clusterrolebindings' },
};

const has = (xs: string[] | undefined, x: string) => !!xs && (xs.includes('*') || xs.includes(x));

export function ruleAllows(a: RbacAttributes, r: PolicyRule): boolean {
  if (!has(r.verbs, a.verb)) return false;
  if (a.resource === undefined) {
    const path = a.path ?? '';
    return (r.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
  }
  if (!has(r.apiGroups, a.group ?? '')) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resOk = (r.resources ?? []).some((x) => x === '*' || x === combined || (!!a.subresource && x === `*/${a.subresource}`));
  if (!resOk) return false;
  return !r.resourceNames?.length || (a.name !== undefined && r.resourceNames.includes(a.name));
}

function appliesTo(s: J, user: Subject, bindingNs: string | undefined): boolean {
  switch (s?.kind) {
    case 'User': return user.name === s.name;
    case 'Group': return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNs;
      return !!ns && user.name === `system:serviceaccount:${ns}:${s.name}`;
    }
    default: return false;
  }
}

function describeSubject(s: J, bindingNs: string | undefined): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNs}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

export class RbacAuthorizer {
  constructor(private readonly store: ObjectStore) {}

  /** The rules of a ClusterRole, with those aggregated into it (cycles cut). */
  clusterRoleRules(name: string, seen = new Set<string>()): PolicyRule[] {
    if (seen.has(name)) return [];
    seen.add(name);
    const role = this.store.peek(GR.clusterroles, undefined, name);
    if (!role) return [];
    const rules: PolicyRule[] = [...(role.rules ?? [])];
    const selectors: J[] = role.aggregationRule?.clusterRoleSelectors ?? [];
    if (selectors.length) {
      const sels = selectors.map((s) => fromLabelSelectorObject(s));
      for (const other of this.store.list(GR.clusterroles).items) {
        if (other.metadata.name === name || !sels.some((sel) => sel.length && matchLabels(sel, other.metadata.labels))) continue;
        for (const r of this.clusterRoleRules(other.metadata.name!, seen)) if (!rules.some((x) => JSON.stringify(x) === JSON.stringify(r))) rules.push(r);
      }
    }
    return rules;
  }

  private roleRules(binding: KObj): PolicyRule[] {
    const ref = binding.roleRef ?? {};
    if (ref.kind === 'ClusterRole') return this.clusterRoleRules(ref.name);
    if (ref.kind === 'Role') return this.store.peek(GR.roles, binding.metadata.namespace, ref.name)?.rules ?? [];
    return [];
  }

  /** Visits every (binding, subject, rules) that applies to the user in this namespace, in the authorizer's order; stop by returning true. */
  private visit(user: Subject, ns: string | undefined, fn: (source: string, rules: PolicyRule[]) => boolean): void {
    for (const b of this.store.list(GR.clusterrolebindings).items) {
      const s = (b.subjects ?? []).find((x: J) => appliesTo(x, user, undefined));
      if (s && fn(`ClusterRoleBinding ${JSON.stringify(b.metadata.name)} of ${b.roleRef?.kind} ${JSON.stringify(b.roleRef?.name)} to ${describeSubject(s, undefined)}`, this.roleRules(b))) return;
    }
    if (!ns) return;
    for (const b of this.store.list(GR.rolebindings, ns).items) {
      const s = (b.subjects ?? []).find((x: J) => appliesTo(x, user, ns));
      if (s && fn(`RoleBinding ${JSON.stringify(`${b.metadata.name}/${ns}`)} of ${b.roleRef?.kind} ${JSON.stringify(b.roleRef?.name)} to ${describeSubject(s, ns)}`, this.roleRules(b))) return;
    }
  }

  authorize(user: Subject, a: RbacAttributes): { allowed: boolean; reason: string } {
    if (user.groups.includes('system:masters')) return { allowed: true, reason: '' };
    let reason = '';
    this.visit(user, a.resource === undefined ? undefined : a.namespace, (source, rules) => {
      if (!rules.some((r) => ruleAllows(a, r))) return false;
      reason = `RBAC: allowed by ${source}`;
      return true;
    });
    return { allowed: reason !== '', reason };
  }

  /** What SelfSubjectRulesReview lists: every rule that applies to the user in a namespace. */
  rules(user: Subject, ns: string): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[] } {
    if (user.groups.includes('system:masters')) {
      return { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }] };
    }
    const resourceRules: PolicyRule[] = [];
    const nonResourceRules: PolicyRule[] = [];
    this.visit(user, ns, (_s, rules) => {
      for (const r of rules) {
        if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
        else resourceRules.push({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) });
      }
      return false;
    });
    return { resourceRules, nonResourceRules };
  }
}
