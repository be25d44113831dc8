/**
 * The collections triage reads. Every analyzer works from these cached objects only (the cockpit's
 * informers, or one list of each in `kai-tui diagnose`); kinds a cluster does not serve are skipped.
 */
export interface TriageKind { key: string; group: string; resource: string; kind: string; namespaced: boolean }

const k = (key: string, group: string, kind: string, namespaced = true): TriageKind => ({ key, group, resource: key, kind, namespaced });

export const TRIAGE_KINDS: TriageKind[] = [
  k('pods', '', 'Pod'), k('nodes', '', 'Node', false), k('namespaces', '', 'Namespace', false), k('events', '', 'Event'), k('services', '', 'Service'),
  k('endpoints', '', 'Endpoints'), k('configmaps', '', 'ConfigMap'), k('secrets', '', 'Secret'),
  k('serviceaccounts', '', 'ServiceAccount'), k('persistentvolumeclaims', '', 'PersistentVolumeClaim'),
  k('resourcequotas', '', 'ResourceQuota'),
  k('deployments', 'apps', 'Deployment'), k('replicasets', 'apps', 'ReplicaSet'), k('statefulsets', 'apps', 'StatefulSet'),
  k('daemonsets', 'apps', 'DaemonSet'), k('jobs', 'batch', 'Job'), k('cronjobs', 'batch', 'CronJob'),
  k('horizontalpodautoscalers', 'autoscaling', 'HorizontalPodAutoscaler'), k('poddisruptionbudgets', 'policy', 'PodDisruptionBudget'),
  k('ingresses', 'networking.k8s.io', 'Ingress'), k('ingressclasses', 'networking.k8s.io', 'IngressClass', false),
  k('networkpolicies', 'networking.k8s.io', 'NetworkPolicy'), k('storageclasses', 'storage.k8s.io', 'StorageClass', false),
  k('roles', 'rbac.authorization.k8s.io', 'Role'), k('rolebindings', 'rbac.authorization.k8s.io', 'RoleBinding'),
  k('clusterroles', 'rbac.authorization.k8s.io', 'ClusterRole', false), k('clusterrolebindings', 'rbac.authorization.k8s.io', 'ClusterRoleBinding', false),
  k('validatingwebhookconfigurations', 'admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', false),
  k('mutatingwebhookconfigurations', 'admissionregistration.k8s.io', 'MutatingWebhookConfiguration', false),
  k('applications', 'argoproj.io', 'Application'),
  k('kustomizations', 'kustomize.toolkit.fluxcd.io', 'Kustomization'), k('helmreleases', 'helm.toolkit.fluxcd.io', 'HelmRelease'),
];

/** Kinds that are always read cluster-wide even for `diagnose -n NS` (they are cluster-scoped or cross-namespace). */
export const CLUSTER_WIDE = new Set(['nodes', 'namespaces', 'ingressclasses', 'storageclasses', 'clusterroles', 'clusterrolebindings',
  'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'applications', 'kustomizations', 'helmreleases']);
