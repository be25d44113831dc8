/** Which columns a kind gets; NAMESPACE is prepended when all namespaces are shown. */
import type { ResourceKind } from '../../kube/types.js';
import { NAMESPACE } from './format.js';
import { podsView } from './pods.js';
import {
  configMapsView, endpointsView, eventsView, genericView, hpasView, ingressesView, namespacesView, nodesView,
  pdbsView, pvcsView, pvsView, secretsView, serviceAccountsView, servicesView,
} from './core.js';
import { cronJobsView, daemonSetsView, deploymentsView, jobsView, replicaSetsView, statefulSetsView } from './workloads.js';
import type { KindView } from './types.js';

const BY_RESOURCE: Record<string, KindView> = {
  pods: podsView,
  deployments: deploymentsView,
  replicasets: replicaSetsView,
  statefulsets: statefulSetsView,
  daemonsets: daemonSetsView,
  jobs: jobsView,
  cronjobs: cronJobsView,
  services: servicesView,
  nodes: nodesView,
  events: eventsView,
  configmaps: configMapsView,
  secrets: secretsView,
  namespaces: namespacesView,
  persistentvolumeclaims: pvcsView,
  persistentvolumes: pvsView,
  horizontalpodautoscalers: hpasView,
  poddisruptionbudgets: pdbsView,
  ingresses: ingressesView,
  endpoints: endpointsView,
  serviceaccounts: serviceAccountsView,
};

/** Built-in groups only: a CRD that reuses a plural like "pods" gets the generic view. */
const BUILTIN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'events.k8s.io']);

export function viewFor(kind: Pick<ResourceKind, 'resource' | 'group'>, allNamespaces = false): KindView {
  const base = BUILTIN_GROUPS.has(kind.group) ? (BY_RESOURCE[kind.resource] ?? genericView) : genericView;
  if (!allNamespaces) return base;
  return { ...base, columns: [NAMESPACE, ...base.columns] };
}

export type { KindView, Column, Health, RowContext } from './types.js';
