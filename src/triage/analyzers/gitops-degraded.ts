import type { KubeObject } from '../../kube/types.js';
import { refKey, type Finding, type ObjectRef } from '../types.js';
import { short, type Analyzer } from './common.js';

const WORKLOADS: Array<[string, string]> = [['Deployment', 'deployments'], ['StatefulSet', 'statefulsets'], ['DaemonSet', 'daemonsets'], ['Job', 'jobs'], ['CronJob', 'cronjobs'], ['Service', 'services']];

export const gitopsDegraded: Analyzer = {
  category: 'gitops-degraded',
  explain: 'An Argo CD Application is Degraded/Missing or OutOfSync (or its last sync failed), or a Flux Kustomization/HelmRelease is not Ready. '
    + 'When a workload it deploys has its own fault, that fault is the root cause (fix it in Git) and the Application is listed as its symptom; '
    + 'otherwise the Application itself is named: a sync error, drift, or a manifest Git cannot apply.',
  analyze(s) {
    const out: Finding[] = [];
    for (const app of s.all('applications')) {
      const health = app.status?.health?.status;
      const sync = app.status?.sync?.status;
      const op = app.status?.operationState?.phase;
      const bad = health === 'Degraded' || health === 'Missing' || sync === 'OutOfSync' || op === 'Failed' || op === 'Error';
      if (!bad) continue;
      const dest = app.spec?.destination?.namespace as string | undefined;
      const resources = (app.status?.resources ?? []) as KubeObject[];
      const deployed: ObjectRef[] = resources.length ? resources.map((r) => ({ kind: String(r.kind), namespace: r.namespace ?? dest, name: r.name }))
        : WORKLOADS.flatMap(([kind, key]) => s.inNamespace(key, dest).map((o) => ({ kind, namespace: dest, name: o.metadata.name })));
      // The workload Argo CD's health message names is the likeliest cause: try it first.
      const msg = String(app.status?.health?.message ?? '');
      deployed.sort((a, b) => Number(msg.includes(`"${b.name}"`)) - Number(msg.includes(`"${a.name}"`)));
      const ref = { kind: 'Application', namespace: app.metadata.namespace, name: app.metadata.name };
      const what = [health && health !== 'Healthy' ? health : '', sync === 'OutOfSync' ? 'OutOfSync' : '', op === 'Failed' || op === 'Error' ? `sync ${op}` : ''].filter(Boolean).join(', ');
      out.push({
        category: 'gitops-degraded', severity: health === 'Degraded' || health === 'Missing' ? 'high' : 'medium', object: ref,
        summary: `Argo CD Application ${app.metadata.name} is ${what}${app.status?.health?.message ? `: ${short(app.status.health.message, 120)}` : ''}`,
        evidence: [`health ${health ?? '?'}, sync ${sync ?? '?'} at revision ${(app.status?.sync?.revision ?? '').slice(0, 7) || '?'}; source ${app.spec?.source?.repoURL ?? '?'} path ${app.spec?.source?.path ?? '?'}`,
          ...(app.status?.operationState?.message ? [`last operation ${op}: ${short(app.status.operationState.message)}`] : []),
          ...resources.filter((r) => r.health?.status && r.health.status !== 'Healthy').slice(0, 3).map((r) => `${r.kind} ${r.name}: ${r.health.status}${r.health.message ? ` — ${short(r.health.message, 100)}` : ''}`)],
        symptoms: [], covers: [refKey(ref)], dependsOn: deployed.map(refKey), since: app.status?.operationState?.finishedAt,
      });
    }
    for (const [kind, key] of [['Kustomization', 'kustomizations'], ['HelmRelease', 'helmreleases']] as const) {
      for (const o of s.all(key)) {
        const ready = ((o.status?.conditions ?? []) as KubeObject[]).find((c) => c.type === 'Ready');
        if (!ready || ready.status !== 'False') continue;
        const dest = (o.spec?.targetNamespace ?? o.metadata.namespace) as string;
        const ref = { kind, namespace: o.metadata.namespace, name: o.metadata.name };
        out.push({
          category: 'gitops-degraded', severity: 'high', object: ref,
          summary: `Flux ${kind} ${o.metadata.name} is not Ready (${ready.reason ?? '?'})`,
          evidence: [`condition Ready=False (${ready.reason}): ${short(ready.message)}`, `last applied revision ${o.status?.lastAppliedRevision ?? '?'}`],
          symptoms: [], covers: [refKey(ref)], since: ready.lastTransitionTime,
          dependsOn: WORKLOADS.flatMap(([k, kk]) => s.inNamespace(kk, dest).filter((x) => x.metadata.labels?.[`${kind === 'Kustomization' ? 'kustomize' : 'helm'}.toolkit.fluxcd.io/name`] === o.metadata.name).map((x) => refKey({ kind: k, namespace: dest, name: x.metadata.name }))),
        });
      }
    }
    return out;
  },
};
