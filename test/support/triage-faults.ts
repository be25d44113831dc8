/**
 * The triage fault set: for each category, a realistic faulty manifest (plain YAML, applied with kubectl to the
 * embedded cluster), the object diagnose must name, and the fix that must clear the finding. Each fault lives in
 * its own namespace so they can all run at once. Node faults (node-unhealthy, evicted) change the whole cluster
 * and run on their own sim.
 */
export interface Fault {
  category: string;
  namespace: string;
  /** The object the finding must name (namespace defaults to the fault's). */
  object: { kind: string; name: string; namespace?: string | null };
  faulty: string;
  /** Applied to fix it; `delete` lines are `kubectl delete` arguments run first. */
  fixed: string;
  deleteBeforeFix?: string[];
  /** A symptom the grouping must list beneath the root cause. */
  symptom?: string;
}

const B = 'sim.kai-tui.dev/';
const ns = (n: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${n}}\n---\n`;

function deploy(n: string, name: string, opts: { annotations?: Record<string, string>; image?: string; extra?: string; container?: string; labels?: string; replicas?: number; sa?: string; init?: string } = {}): string {
  const ann = Object.entries(opts.annotations ?? {}).map(([k, v]) => `        ${k}: ${JSON.stringify(v)}`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${n}}
spec:
  replicas: ${opts.replicas ?? 1}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {app: ${name}${opts.labels ? `, ${opts.labels}` : ''}}
${ann ? `      annotations:\n${ann}\n` : ''}    spec:
${opts.sa ? `      serviceAccountName: ${opts.sa}\n` : ''}${opts.init ?? ''}      containers:
      - name: app
        image: ${opts.image ?? 'ghcr.io/acme/app:1.0.0'}
${opts.container ?? '        ports: [{name: http, containerPort: 8080}]\n'}`;
}

const svc = (n: string, name: string, selector: string, port: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${n}}
spec:
  selector: {${selector}}
  ports: [{name: http, port: 80, targetPort: ${port}}]
`;

export const FAULTS: Fault[] = [
  { category: 'crashloop', namespace: 't-crash', object: { kind: 'Deployment', name: 'checkout' },
    faulty: ns('t-crash') + deploy('t-crash', 'checkout', { annotations: { [`${B}behaviour`]: 'crash', [`${B}crash-after`]: '1s', [`${B}exit-code`]: '3' } }) + '---\n' + svc('t-crash', 'checkout', 'app: checkout', 'http'),
    fixed: deploy('t-crash', 'checkout'), symptom: 'no-endpoints' },
  { category: 'oom', namespace: 't-oom', object: { kind: 'Deployment', name: 'cache' },
    faulty: ns('t-oom') + deploy('t-oom', 'cache', { annotations: { [`${B}behaviour`]: 'oom', [`${B}memory-growth`]: '40Mi/s' }, container: '        resources: {requests: {memory: 32Mi}, limits: {memory: 64Mi}}\n' }),
    fixed: deploy('t-oom', 'cache', { container: '        resources: {requests: {memory: 32Mi}, limits: {memory: 256Mi}}\n' }) },
  { category: 'image-pull', namespace: 't-image', object: { kind: 'Deployment', name: 'web' },
    faulty: ns('t-image') + deploy('t-image', 'web', { image: 'ghcr.io/acme/web:9.9.9-does-not-exist' }),
    fixed: deploy('t-image', 'web', { image: 'nginx:1.27.3' }) },
  { category: 'init-failure', namespace: 't-init', object: { kind: 'Deployment', name: 'orders' },
    faulty: ns('t-init') + deploy('t-init', 'orders', { annotations: { [`${B}behaviour.migrate`]: 'crash', [`${B}crash-after`]: '1s' }, init: '      initContainers: [{name: migrate, image: ghcr.io/acme/orders-migrate:1.0.0}]\n' }),
    fixed: deploy('t-init', 'orders', { init: '      initContainers: [{name: migrate, image: ghcr.io/acme/orders-migrate:1.0.0}]\n' }) },
  { category: 'job-failed', namespace: 't-job', object: { kind: 'Job', name: 'report' },
    faulty: ns('t-job') + `apiVersion: batch/v1
kind: Job
metadata: {name: report, namespace: t-job}
spec:
  backoffLimit: 0
  template:
    metadata: {annotations: {${B}behaviour: crash, ${B}crash-after: 1s}}
    spec:
      restartPolicy: Never
      containers: [{name: report, image: ghcr.io/acme/report:1.2.0}]
`,
    deleteBeforeFix: ['job', 'report', '-n', 't-job'],
    fixed: `apiVersion: batch/v1
kind: Job
metadata: {name: report, namespace: t-job}
spec:
  backoffLimit: 0
  template:
    metadata: {annotations: {${B}duration: 1s}}
    spec:
      restartPolicy: Never
      containers: [{name: report, image: ghcr.io/acme/report:1.2.1}]
` },
  { category: 'unschedulable', namespace: 't-sched', object: { kind: 'Deployment', name: 'trainer' },
    faulty: ns('t-sched') + deploy('t-sched', 'trainer', { container: '        resources: {requests: {memory: 64Gi, cpu: 500m}}\n' }),
    fixed: deploy('t-sched', 'trainer', { container: '        resources: {requests: {memory: 64Mi, cpu: 500m}}\n' }) },
  { category: 'probe-failure', namespace: 't-probe', object: { kind: 'Deployment', name: 'api' },
    faulty: ns('t-probe') + deploy('t-probe', 'api', { annotations: { [`${B}behaviour`]: 'readiness-fail' }, container: '        ports: [{name: http, containerPort: 8080}]\n        readinessProbe: {httpGet: {path: /readyz, port: http}, periodSeconds: 2}\n' }),
    fixed: deploy('t-probe', 'api', { container: '        ports: [{name: http, containerPort: 8080}]\n        readinessProbe: {httpGet: {path: /readyz, port: http}, periodSeconds: 2}\n' }) },
  { category: 'no-endpoints', namespace: 't-noep', object: { kind: 'Service', name: 'payments' },
    faulty: ns('t-noep') + deploy('t-noep', 'payments-api') + '---\n' + svc('t-noep', 'payments', 'app: payments', 'http'),
    fixed: svc('t-noep', 'payments', 'app: payments-api', 'http') },
  { category: 'port-mismatch', namespace: 't-port', object: { kind: 'Service', name: 'catalog' },
    faulty: ns('t-port') + deploy('t-port', 'catalog') + '---\n' + svc('t-port', 'catalog', 'app: catalog', '9090'),
    fixed: svc('t-port', 'catalog', 'app: catalog', '8080') },
  { category: 'missing-config', namespace: 't-config', object: { kind: 'Deployment', name: 'frontend' },
    faulty: ns('t-config') + deploy('t-config', 'frontend', { container: '        env: [{name: API_URL, valueFrom: {configMapKeyRef: {name: frontend-config, key: API_URL}}}]\n' }),
    fixed: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: frontend-config, namespace: t-config}\ndata: {API_URL: "http://api:8080"}\n` },
  { category: 'pvc-pending', namespace: 't-pvc', object: { kind: 'PersistentVolumeClaim', name: 'data' },
    faulty: ns('t-pvc') + `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: t-pvc}
spec: {accessModes: [ReadWriteOnce], storageClassName: fast-ssd, resources: {requests: {storage: 5Gi}}}
---
` + deploy('t-pvc', 'db', { container: '        volumeMounts: [{name: data, mountPath: /data}]\n      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]\n' }),
    fixed: `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast-ssd}\nprovisioner: pd.csi.storage.gke.io\nvolumeBindingMode: Immediate\n`,
    symptom: 'unschedulable' },
  { category: 'ingress-backend-missing', namespace: 't-ingb', object: { kind: 'Ingress', name: 'shop' },
    faulty: ns('t-ingb') + `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: t-ingb}
spec:
  ingressClassName: nginx
  rules: [{host: shop.example.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: storefront, port: {number: 80}}}}]}}]
`,
    fixed: deploy('t-ingb', 'storefront') + '---\n' + svc('t-ingb', 'storefront', 'app: storefront', 'http') },
  { category: 'ingress-class-missing', namespace: 't-ingc', object: { kind: 'Ingress', name: 'blog' },
    faulty: ns('t-ingc') + deploy('t-ingc', 'blog') + '---\n' + svc('t-ingc', 'blog', 'app: blog', 'http') + `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: blog, namespace: t-ingc}
spec:
  ingressClassName: haproxy
  rules: [{host: blog.example.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: blog, port: {number: 80}}}}]}}]
`,
    fixed: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: blog, namespace: t-ingc}
spec:
  ingressClassName: nginx
  rules: [{host: blog.example.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: blog, port: {number: 80}}}}]}}]
` },
  { category: 'hpa-broken', namespace: 't-hpa', object: { kind: 'Deployment', name: 'search' },
    faulty: ns('t-hpa') + deploy('t-hpa', 'search') + `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: search, namespace: t-hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: search}
  minReplicas: 1
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
`,
    fixed: deploy('t-hpa', 'search', { container: '        ports: [{name: http, containerPort: 8080}]\n        resources: {requests: {cpu: 100m}}\n' }) },
  { category: 'pdb-blocking', namespace: 't-pdb', object: { kind: 'PodDisruptionBudget', name: 'ledger' },
    faulty: ns('t-pdb') + deploy('t-pdb', 'ledger') + `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ledger, namespace: t-pdb}
spec: {minAvailable: 1, selector: {matchLabels: {app: ledger}}}
`,
    deleteBeforeFix: ['pdb', 'ledger', '-n', 't-pdb'],
    fixed: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ledger, namespace: t-pdb}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: ledger}}}
` },
  { category: 'network-policy', namespace: 't-netpol', object: { kind: 'NetworkPolicy', name: 'db-ingress' },
    faulty: ns('t-netpol') + deploy('t-netpol', 'db', { container: '        ports: [{name: pg, containerPort: 5432}]\n' }) + `---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: t-netpol}
spec: {selector: {app: db}, ports: [{name: pg, port: 5432, targetPort: pg}]}
---
` + deploy('t-netpol', 'billing', {
      annotations: { [`${B}log`]: '{time} ERROR connect to db:5432 failed: dial tcp 10.96.0.40:5432: i/o timeout', [`${B}log-every`]: '1s' },
      container: '        env: [{name: DB_HOST, value: "db:5432"}]\n',
    }) + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-ingress, namespace: t-netpol}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: reporting}}}], ports: [{port: 5432}]}]
`,
    fixed: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-ingress, namespace: t-netpol}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: reporting}}}, {podSelector: {matchLabels: {app: billing}}}], ports: [{port: 5432}]}]
` },
  { category: 'rbac-forbidden', namespace: 't-rbac', object: { kind: 'Role', name: 'pod-reader' },
    faulty: ns('t-rbac') + `apiVersion: v1
kind: ServiceAccount
metadata: {name: autoscaler, namespace: t-rbac}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: t-rbac}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: autoscaler-pod-reader, namespace: t-rbac}
subjects: [{kind: ServiceAccount, name: autoscaler, namespace: t-rbac}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
---
` + deploy('t-rbac', 'autoscaler', {
      sa: 'autoscaler',
      annotations: { [`${B}log`]: 'E1202 {time} reflector.go:158] failed to list *v1.Pod: pods is forbidden: User "system:serviceaccount:t-rbac:autoscaler" cannot list resource "pods" in API group "" in the namespace "t-rbac"', [`${B}log-every`]: '1s' },
    }),
    fixed: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: t-rbac}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]
` },
  { category: 'missing-serviceaccount', namespace: 't-sa', object: { kind: 'Deployment', name: 'exporter' },
    faulty: ns('t-sa') + deploy('t-sa', 'exporter', { sa: 'metrics-exporter' }),
    fixed: `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: metrics-exporter, namespace: t-sa}\n` },
  { category: 'webhook-broken', namespace: 't-hook', object: { kind: 'ValidatingWebhookConfiguration', name: 'policy-guard', namespace: null },
    faulty: ns('t-hook') + `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy-guard}
webhooks:
- name: validate.policy-guard.example.test
  clientConfig: {service: {name: policy-guard, namespace: t-hook, path: /validate}}
  # Its own namespace only: every fault runs in one cluster, and a broken webhook blocks what it matches.
  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: t-hook}}
  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}]
  failurePolicy: Fail
  sideEffects: None
  admissionReviewVersions: [v1]
`,
    fixed: deploy('t-hook', 'policy-guard', { container: '        ports: [{name: https, containerPort: 8443}]\n' }) + `---
apiVersion: v1
kind: Service
metadata: {name: policy-guard, namespace: t-hook}
spec: {selector: {app: policy-guard}, ports: [{port: 443, targetPort: https}]}
` },
  { category: 'gitops-degraded', namespace: 't-argo', object: { kind: 'Application', name: 'storefront', namespace: 'argocd' },
    faulty: ns('t-argo') + ns('argocd').replace('---\n', '') + `---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: storefront, namespace: argocd}
spec:
  project: default
  source: {repoURL: "https://git.example.test/acme/deploy.git", targetRevision: main, path: apps/storefront}
  destination: {server: "https://kubernetes.default.svc", namespace: t-argo}
status:
  sync: {status: OutOfSync, revision: 4b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c}
  health: {status: Missing}
  operationState: {phase: Failed, message: 'one or more objects failed to apply, reason: namespaces "t-argo" is forbidden'}
`,
    fixed: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: storefront, namespace: argocd}
spec:
  project: default
  source: {repoURL: "https://git.example.test/acme/deploy.git", targetRevision: main, path: apps/storefront}
  destination: {server: "https://kubernetes.default.svc", namespace: t-argo}
status:
  sync: {status: Synced, revision: 5c2e3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d}
  health: {status: Healthy}
  operationState: {phase: Succeeded, message: successfully synced (all tasks run)}
` },
];

/** The Argo CD Application CRD (as the argo-cd install ships it, trimmed to what the sim needs). */
export const ARGO_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: applications.argoproj.io}
spec:
  group: argoproj.io
  names: {kind: Application, listKind: ApplicationList, plural: applications, singular: application, shortNames: [app, apps]}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

/** Categories with no fault here yet, and why (reported as not covered in the accuracy figure). */
export const NOT_REPRODUCIBLE: Record<string, string> = {
  'quota-exceeded': 'the embedded cluster has no ResourceQuota controller/admission yet (status.used never set, creations never refused)',
};
