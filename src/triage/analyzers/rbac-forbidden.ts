import type { KubeObject } from '../../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import { refKey, type Finding, type ObjectRef } from '../types.js';
import { podRef, short, type Analyzer } from './common.js';

// The API server's wording, as client libraries print it in a 403.
const FORBIDDEN = /User "system:serviceaccount:([^:"]+):([^"]+)" cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)"| at the cluster scope)?/;

interface Denial { ns: string; sa: string; verb: string; resource: string; group: string; target?: string; line: string; pod: KubeObject }

function ruleAllows(rule: KubeObject, d: Denial, verbOnly = false): boolean {
  const g = (rule.apiGroups ?? ['']) as string[];
  const r = (rule.resources ?? []) as string[];
  const v = (rule.verbs ?? []) as string[];
  const res = d.resource.split('/')[0]!;
  const resOk = (g.includes('*') || g.includes(d.group)) && (r.includes('*') || r.includes(d.resource) || r.includes(res));
  return verbOnly ? resOk : resOk && (v.includes('*') || v.includes(d.verb));
}

function boundRoles(s: Snapshot, d: Denial): Array<{ role: ObjectRef; rules: KubeObject[] }> {
  const out: Array<{ role: ObjectRef; rules: KubeObject[] }> = [];
  const subj = (b: KubeObject) => ((b.subjects ?? []) as KubeObject[]).some((x) => x.kind === 'ServiceAccount' && x.name === d.sa && (x.namespace ?? b.metadata.namespace) === d.ns);
  const bindings = [...(d.target ? s.inNamespace('rolebindings', d.target) : []), ...s.all('clusterrolebindings')];
  for (const b of bindings) {
    if (!subj(b)) continue;
    const rr = b.roleRef ?? {};
    const role = rr.kind === 'Role' ? s.get('roles', b.metadata.namespace, rr.name) : s.get('clusterroles', undefined, rr.name);
    out.push({ role: { kind: rr.kind, namespace: rr.kind === 'Role' ? b.metadata.namespace : undefined, name: rr.name }, rules: (role?.rules ?? []) as KubeObject[] });
  }
  return out;
}

export const rbacForbidden: Analyzer = {
  category: 'rbac-forbidden',
  explain: 'A pod\'s own log shows the API server refusing its ServiceAccount (403 "… cannot VERB resource …"). No status field shows this, '
    + 'so the rule reads the error lines, then the RoleBindings/ClusterRoleBindings of that ServiceAccount: the Role that covers the resource '
    + 'but lacks the verb is the object to fix; with no binding at all, the ServiceAccount needs one. The workload\'s crash loop or errors are symptoms.',
  analyze(s) {
    const denials = new Map<string, Denial>();
    // Only containers whose log tails were read (a bounded set), not every pod.
    for (const [key, l] of s.logs) {
      const [ns, name] = key.split('/') as [string, string];
      const pod = s.get('pods', ns, name);
      if (!pod) continue;
      for (const line of [...(l.previous ?? []), ...l.current]) {
        if (!line.includes('forbidden')) continue;
        const m = FORBIDDEN.exec(line);
        if (!m) continue;
        const d: Denial = { ns: m[1]!, sa: m[2]!, verb: m[3]!, resource: m[4]!, group: m[5] ?? '', target: m[6], line, pod };
        denials.set(`${d.ns}/${d.sa}/${d.verb}/${d.resource}/${d.group}/${d.target ?? ''}`, d);
      }
    }
    const out = new Map<string, Finding>();
    for (const d of denials.values()) {
      const roles = boundRoles(s, d);
      // The bindings allow it now: the 403 lines are from before the fix.
      if (roles.some((r) => r.rules.some((x) => ruleAllows(x, d)))) continue;
      if (!s.has('rolebindings')) continue;
      const partial = roles.find((r) => r.rules.some((x) => ruleAllows(x, d, true)));
      const object: ObjectRef = partial?.role ?? roles[0]?.role ?? { kind: 'ServiceAccount', namespace: d.ns, name: d.sa };
      const what = `${d.verb} ${d.resource}${d.group ? `.${d.group}` : ''}${d.target ? ` in ${d.target}` : ' cluster-wide'}`;
      const summary = partial ? `${object.kind} ${object.name} lets ServiceAccount ${d.sa} use ${d.resource} but not '${d.verb}': ${what} is forbidden`
        : roles.length ? `${object.kind} ${object.name} (bound to ServiceAccount ${d.sa}) has no rule for ${d.resource}: ${what} is forbidden`
        : `ServiceAccount ${d.sa} has no RoleBinding that allows ${what}`;
      const w = s.workloadOf(d.pod);
      const key = refKey(object);
      const prev = out.get(key);
      const evidence = [`log ${d.pod.metadata.name}: ${short(d.line, 200)}`,
        ...(roles.length ? roles.map((r) => `${r.role.kind} ${r.role.name} rules: ${r.rules.map((x) => `${(x.verbs ?? []).join(',')} ${(x.resources ?? []).join(',')}`).join('; ') || 'none'}`) : [`no RoleBinding or ClusterRoleBinding names ServiceAccount ${d.ns}/${d.sa}`])];
      if (prev) { prev.evidence.push(...evidence.slice(0, 1)); prev.covers!.push(refKey(w), refKey(podRef(d.pod))); continue; }
      out.set(key, {
        category: 'rbac-forbidden', severity: 'high', object, summary, evidence, symptoms: [],
        covers: [key, refKey(w), refKey(podRef(d.pod))], related: [w, { kind: 'ServiceAccount', namespace: d.ns, name: d.sa }],
      });
    }
    return [...out.values()];
  },
};
