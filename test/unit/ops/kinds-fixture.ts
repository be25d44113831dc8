/** A fixed discovery answer (as the sim reports it) for tests of the parser's pure paths. */
import type { ResourceKind } from '../../../src/kube/types.js';
import { KindIndex } from '../../../src/ops/kinds.js';

const k = (group: string, version: string, resource: string, kind: string, namespaced: boolean, shortNames: string[] = []): ResourceKind =>
  ({ group, version, resource, kind, namespaced, shortNames, verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'], categories: [] });

export const KINDS: ResourceKind[] = [
  k('', 'v1', 'pods', 'Pod', true, ['po']), k('', 'v1', 'services', 'Service', true, ['svc']), k('', 'v1', 'nodes', 'Node', false, ['no']),
  k('', 'v1', 'namespaces', 'Namespace', false, ['ns']), k('', 'v1', 'configmaps', 'ConfigMap', true, ['cm']), k('', 'v1', 'events', 'Event', true, ['ev']),
  k('apps', 'v1', 'deployments', 'Deployment', true, ['deploy']), k('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs']),
  k('apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts']), k('apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds']),
  k('events.k8s.io', 'v1', 'events', 'Event', true, ['ev']), k('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa']),
  k('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb']),
];

export const kindIndex = () => new KindIndex({ kinds: () => KINDS });
