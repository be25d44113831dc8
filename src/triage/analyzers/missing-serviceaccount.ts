import { refKey, type Finding } from '../types.js';
import { short, type Analyzer } from './common.js';

const TEMPLATED: Array<[string, string]> = [['Deployment', 'deployments'], ['StatefulSet', 'statefulsets'], ['DaemonSet', 'daemonsets'], ['Job', 'jobs'], ['CronJob', 'cronjobs']];

export const missingServiceAccount: Analyzer = {
  category: 'missing-serviceaccount',
  explain: 'A workload\'s pod template names a serviceAccountName that does not exist in its namespace: the API server refuses every pod '
    + '("error looking up service account … not found", FailedCreate on the ReplicaSet/Job), so no replica ever appears and nothing shows on a pod. '
    + 'The workload is the object to fix (or create the ServiceAccount it expects).',
  analyze(s) {
    if (!s.has('serviceaccounts')) return [];
    const out: Finding[] = [];
    for (const [kind, key] of TEMPLATED) {
      for (const o of s.all(key)) {
        if (kind === 'Job' && o.metadata.ownerReferences?.some((r) => r.kind === 'CronJob')) continue;
        const ns = o.metadata.namespace;
        const ref = { kind, namespace: ns, name: o.metadata.name };
        const spec = s.podSpec(ref);
        const sa: string | undefined = spec?.serviceAccountName ?? spec?.serviceAccount;
        if (!sa || s.get('serviceaccounts', ns, sa)) continue;
        // The system creates "default" in every namespace; a moment after creation it may not be cached yet.
        if (sa === 'default') continue;
        const ev = [...s.warnings(kind, ns, o.metadata.name, /^FailedCreate$/), ...s.all('replicasets').filter((r) => r.metadata.namespace === ns && r.metadata.ownerReferences?.some((x) => x.name === o.metadata.name)).flatMap((r) => s.warnings('ReplicaSet', ns, r.metadata.name, /^FailedCreate$/))]
          .filter((e) => /service ?account/i.test(e.message ?? '')).at(-1);
        const rsKeys = s.all('replicasets').filter((r) => r.metadata.namespace === ns && r.metadata.ownerReferences?.some((x) => x.kind === kind && x.name === o.metadata.name)).map((r) => refKey({ kind: 'ReplicaSet', namespace: ns, name: r.metadata.name }));
        out.push({
          category: 'missing-serviceaccount', severity: 'high', object: ref,
          summary: `${kind} ${o.metadata.name} uses ServiceAccount ${sa}, which does not exist: no pod can be created`,
          evidence: [`spec.template.spec.serviceAccountName: ${sa}; not found in namespace ${ns}`, ...(ev ? [`event FailedCreate: ${short(ev.message)}`] : [])],
          symptoms: [], covers: [refKey(ref), ...rsKeys], related: [{ kind: 'ServiceAccount', namespace: ns, name: sa }],
        });
      }
    }
    return out;
  },
};
