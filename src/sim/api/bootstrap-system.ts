/**
 * What kube-apiserver writes into a fresh cluster besides namespaces: the default RBAC policy
 * (rbac-bootstrap.ts), the two system PriorityClasses, an APIService per served group version
 * (kept in step with CRDs, as the aggregator's autoregistration does) and API Priority and
 * Fairness' mandatory configuration (exempt, catch-all) plus the suggested global-default.
 */
import type { ObjectStore } from '../storage.js';
import type { KObj } from '../types.js';
import type { Registry } from '../registry/index.js';
import type { ApiCore } from './core.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './rbac-bootstrap.js';

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** groupPriorityMinimum / versionPriority of the built-in groups (controlplane's apiVersionPriorities). */
const PRIORITIES: Record<string, [number, number]> = {
  'v1': [18000, 1], 'apps/v1': [17800, 15], 'events.k8s.io/v1': [17750, 15], 'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15], 'autoscaling/v1': [17500, 15], 'autoscaling/v2': [17500, 30], 'batch/v1': [17400, 15],
  'certificates.k8s.io/v1': [17300, 15], 'networking.k8s.io/v1': [17200, 15], 'policy/v1': [17100, 15], 'rbac.authorization.k8s.io/v1': [17000, 15],
  'storage.k8s.io/v1': [16800, 15], 'apiextensions.k8s.io/v1': [16700, 15], 'admissionregistration.k8s.io/v1': [16700, 15],
  'scheduling.k8s.io/v1': [16600, 15], 'coordination.k8s.io/v1': [16500, 15], 'node.k8s.io/v1': [16300, 15],
  'discovery.k8s.io/v1': [16200, 15], 'flowcontrol.apiserver.k8s.io/v1': [16100, 21], 'apiregistration.k8s.io/v1': [18000, 1],
};

const ALL_RULES = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
};
const group = (name: string) => ({ kind: 'Group', group: { name } });

export function seedSystemObjects(store: ObjectStore, core: ApiCore, registry: Registry): () => void {
  const rt = (g: string, r: string) => registry.forResource(g, r)!;
  const put = (g: string, r: string, o: KObj) => {
    try {
      core.create(rt(g, r), undefined, o, { keepStatus: true });
    } catch { /* already there */ }
  };
  for (const o of defaultClusterRoles()) put('rbac.authorization.k8s.io', 'clusterroles', o);
  for (const o of defaultClusterRoleBindings()) put('rbac.authorization.k8s.io', 'clusterrolebindings', o);
  put('scheduling.k8s.io', 'priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' }, value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.', preemptionPolicy: 'PreemptLowerPriority' });
  put('scheduling.k8s.io', 'priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-cluster-critical' }, value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.', preemptionPolicy: 'PreemptLowerPriority' });

  const ann = { 'apf.kubernetes.io/autoupdate-spec': 'true' };
  const plc = (name: string, spec: unknown) => put('flowcontrol.apiserver.k8s.io', 'prioritylevelconfigurations', { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name, annotations: ann }, spec });
  plc('exempt', { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } });
  plc('catch-all', { type: 'Limited', limited: { nominalConcurrencyShares: 5, lendablePercent: 0, limitResponse: { type: 'Reject' } } });
  plc('global-default', { type: 'Limited', limited: { nominalConcurrencyShares: 20, lendablePercent: 50, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } });
  const fs = (name: string, precedence: number, pl: string, subjects: unknown[], byUser: boolean) => put('flowcontrol.apiserver.k8s.io', 'flowschemas', {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name, annotations: ann },
    spec: { priorityLevelConfiguration: { name: pl }, matchingPrecedence: precedence, ...(byUser ? { distinguisherMethod: { type: 'ByUser' } } : {}), rules: [{ subjects, ...ALL_RULES }] },
    status: { conditions: [{ type: 'Dangling', status: 'False', lastTransitionTime: nowIso(), reason: 'Found', message: `This FlowSchema references the PriorityLevelConfiguration object named "${pl}" and it exists` }] },
  });
  fs('exempt', 1, 'exempt', [group('system:masters')], false);
  fs('global-default', 9900, 'global-default', [group('system:unauthenticated'), group('system:authenticated')], true);
  fs('catch-all', 10000, 'catch-all', [group('system:unauthenticated'), group('system:authenticated')], true);

  // APIServices: one per group version, "Local" (served by this server), always Available.
  const apiservices = { group: 'apiregistration.k8s.io', resource: 'apiservices' };
  const syncApiServices = () => {
    const want = new Map<string, KObj>();
    for (const g of registry.groups()) {
      for (const v of g.versions) {
        const name = `${v}.${g.group}`;
        const builtin = !registry.resources(g.group, v).some((t) => t.crd);
        const [gp, vp] = builtin ? PRIORITIES[g.group ? `${g.group}/${v}` : v] ?? [15000, 15] : [1000, 100];
        want.set(name, {
          apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService',
          metadata: { name, labels: { 'kube-aggregator.kubernetes.io/automanaged': builtin ? 'onstart' : 'true' } },
          spec: { ...(g.group ? { group: g.group } : {}), version: v, groupPriorityMinimum: gp, versionPriority: vp },
          status: { conditions: [{ type: 'Available', status: 'True', lastTransitionTime: nowIso(), reason: 'Local', message: 'Local APIServices are always available' }] },
        });
      }
    }
    for (const [name, o] of want) if (!store.peek(apiservices, undefined, name)) put('apiregistration.k8s.io', 'apiservices', o);
    for (const o of store.list(apiservices).items) {
      if (o.metadata.labels?.['kube-aggregator.kubernetes.io/automanaged'] === 'true' && !want.has(o.metadata.name!)) {
        try { store.delete(apiservices, undefined, o.metadata.name!); } catch { /* gone */ }
      }
    }
  };
  syncApiServices();
  return registry.onChange(() => setImmediate(syncApiServices));
}
