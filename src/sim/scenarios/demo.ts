/**
 * The `demo` scenario: a small company's production cluster, healthy in most places and broken
 * in a few on purpose, so every triage path of kai-tui has a real case to find:
 *  - shop: frontend, api (+HPA), postgres StatefulSet (1 replica, no PDB), redis; a Service
 *    with no endpoints (payments); a Deployment stuck on ImagePullBackOff (recommendations);
 *  - jokes: a web service that answers 500 on ~20% of requests, an API that crash-loops, a
 *    cache that gets OOMKilled;
 *  - batch: a failing Job, a CronJob that backs up the database, a Pending trainer that fits no node;
 *  - monitoring / argocd / velero / keda: CRDs and custom resources (one Argo CD app Degraded);
 *  - secrets with obviously fake credentials.
 */
import type { SimContext } from '../context.js';
import { GR } from '../controllers/util.js';
import { container, crd, deployment, httpProbe, put, secret, service, type J } from './build.js';
import { loadEmpty, type ClusterShape } from './empty.js';

const B = 'sim.kai-tui.dev/';

function ns(ctx: SimContext, name: string, labels: Record<string, string> = {}): void {
  put(ctx, GR.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });
}

export function loadDemo(ctx: SimContext, shape: ClusterShape = {}): void {
  loadEmpty(ctx, shape);
  // kai-node-3 is short of disk: DiskPressure with its NoSchedule taint (a node problem to triage).
  const n3 = ctx.api.get(GR.nodes, undefined, 'kai-node-3');
  if (n3 && !n3.metadata.annotations?.['sim.kai-tui.dev/node-condition']) {
    n3.metadata.annotations = { ...(n3.metadata.annotations ?? {}), 'sim.kai-tui.dev/node-condition': 'disk-pressure' };
    ctx.api.update(GR.nodes, n3);
  }
  for (const n of ['shop', 'jokes', 'batch', 'monitoring', 'argocd', 'velero', 'keda']) ns(ctx, n, n === 'shop' || n === 'jokes' ? { team: n } : {});
  shop(ctx);
  jokes(ctx);
  batch(ctx);
  crds(ctx);
  monitoring(ctx);
  argocd(ctx);
  velero(ctx);
  keda(ctx);
}

function shop(ctx: SimContext): void {
  put(ctx, GR.secrets, secret('shop', 'shop-db-credentials', {
    username: 'shop', password: 'demo-password-not-real', url: 'postgres://shop:demo-password-not-real@postgres:5432/shop',
  }));
  put(ctx, GR.secrets, secret('shop', 'payment-provider', { 'api-key': 'sk_test_FAKE_FAKE_FAKE_not_a_real_key_0000' }));
  put(ctx, GR.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frontend-config', namespace: 'shop' },
    data: { 'API_URL': 'http://api.shop.svc.cluster.local:8080', 'FEATURE_FLAGS': 'new-checkout=false,recommendations=true' } });
  const annotations = { 'kubernetes.io/change-cause': 'initial release' };
  put(ctx, GR.deployments, deployment('shop', 'frontend', 2, [container({
    image: 'nginx:1.27.3', port: 80, cpu: '50m', memory: '64Mi', memoryLimit: '128Mi', readiness: httpProbe('http', '/', 2),
  })], { labels: { tier: 'web' }, annotations, podAnnotations: { [`${B}cpu`]: '10m-80m' } }));
  put(ctx, GR.services, service('shop', 'frontend', { app: 'frontend' }, [{ name: 'http', port: 80, targetPort: 'http' }]));
  put(ctx, GR.deployments, deployment('shop', 'api', 2, [container({
    image: 'ghcr.io/acme/shop-api:3.4.1', port: 8080, cpu: '100m', memory: '128Mi', memoryLimit: '256Mi',
    readiness: httpProbe('http', '/readyz', 3), liveness: httpProbe('http', '/livez', 10),
    env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'shop-db-credentials', key: 'url' } } }, { name: 'REDIS_ADDR', value: 'redis:6379' }],
  })], { labels: { tier: 'backend' }, annotations, podAnnotations: { [`${B}cpu`]: '25m-60m', [`${B}memory`]: '110Mi' } }));
  put(ctx, GR.services, service('shop', 'api', { app: 'api' }, [{ name: 'http', port: 8080, targetPort: 'http' }]));
  put(ctx, GR.hpas, {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
  });
  put(ctx, GR.statefulsets, {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'postgres', namespace: 'shop', labels: { app: 'postgres' } },
    spec: {
      replicas: 1, serviceName: 'postgres', selector: { matchLabels: { app: 'postgres' } },
      template: {
        metadata: { labels: { app: 'postgres' }, annotations: { [`${B}cpu`]: '20m-120m', [`${B}memory`]: '180Mi' } },
        spec: { containers: [container({
          name: 'postgres', image: 'postgres:16.4', port: 5432, portName: 'postgres', cpu: '250m', memory: '512Mi', memoryLimit: '1Gi',
          env: [{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db-credentials', key: 'password' } } }, { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }],
          readiness: { tcpSocket: { port: 5432 }, initialDelaySeconds: 5, periodSeconds: 10 },
          volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
        })] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard-rwo', resources: { requests: { storage: '10Gi' } } } }],
    },
  });
  put(ctx, GR.services, service('shop', 'postgres', { app: 'postgres' }, [{ name: 'postgres', port: 5432 }], { clusterIP: 'None' }));
  put(ctx, GR.deployments, deployment('shop', 'redis', 1, [container({ name: 'redis', image: 'redis:7.4.1', port: 6379, portName: 'redis', cpu: '50m', memory: '64Mi', memoryLimit: '256Mi' })]));
  put(ctx, GR.services, service('shop', 'redis', { app: 'redis' }, [{ name: 'redis', port: 6379 }]));
  // A Service whose selector matches nothing: the payments team has not deployed yet.
  put(ctx, GR.services, service('shop', 'payments', { app: 'payments' }, [{ name: 'http', port: 8080 }]));
  put(ctx, GR.deployments, deployment('shop', 'recommendations', 1, [container({ image: 'ghcr.io/acme/recommendations:2.0.0-does-not-exist', port: 8080 })],
    { annotations: { 'kubernetes.io/change-cause': 'kubectl set image deployment/recommendations app=ghcr.io/acme/recommendations:2.0.0-does-not-exist' } }));
  put(ctx, GR.pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'frontend', namespace: 'shop' },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'frontend' } } } });
  // The ingress-nginx controller's class (triage reports an Ingress whose class is missing).
  put(ctx, { group: 'networking.k8s.io', resource: 'ingressclasses' }, { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx',
    annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } });
  put(ctx, { group: 'networking.k8s.io', resource: 'ingresses' }, {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'shop' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.acme.example', http: { paths: [
      { path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 80 } } } },
      { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } },
    ] } }] },
  });
}

/** What Argo CD (v2, label tracking) puts on the objects it applies for Application `app`. */
function argoTracked(app: string, o: J): J {
  o.metadata.labels = { ...(o.metadata.labels ?? {}), 'app.kubernetes.io/instance': app };
  return o;
}

function jokes(ctx: SimContext): void {
  // The jokes objects come from the Argo CD Application "jokes" (see argocd()): their fixes belong in Git.
  put(ctx, GR.deployments, argoTracked('jokes', deployment('jokes', 'jokes-web', 2, [container({ image: 'ghcr.io/acme/jokes-web:1.8.0', port: 8080, readiness: httpProbe('http', '/healthz', 2) })],
    { podAnnotations: { [`${B}cpu`]: '20m-90m' } })));
  put(ctx, GR.services, argoTracked('jokes', service('jokes', 'jokes', { app: 'jokes-web' }, [{ name: 'http', port: 80, targetPort: 'http' }])));
  put(ctx, GR.deployments, argoTracked('jokes', deployment('jokes', 'jokes-api', 1, [container({ image: 'ghcr.io/acme/jokes-api:2.1.0', port: 8080 })], {
    podAnnotations: { [`${B}behaviour`]: 'crash', [`${B}crash-after`]: '6s', [`${B}exit-code`]: '2' },
  })));
  put(ctx, GR.deployments, argoTracked('jokes', deployment('jokes', 'jokes-cache', 1, [container({ image: 'ghcr.io/acme/jokes-cache:0.9.2', cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' })], {
    podAnnotations: { [`${B}behaviour`]: 'oom', [`${B}memory-growth`]: '12Mi/s' },
  })));
}

function batch(ctx: SimContext): void {
  put(ctx, GR.jobs, {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'nightly-report', namespace: 'batch' },
    spec: { backoffLimit: 2, template: {
      metadata: { annotations: { [`${B}behaviour`]: 'crash', [`${B}crash-after`]: '4s' } },
      spec: { restartPolicy: 'Never', containers: [container({ name: 'report', image: 'ghcr.io/acme/report-generator:1.2.0' })] },
    } },
  });
  put(ctx, GR.cronjobs, {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'db-backup', namespace: 'batch' },
    spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { spec: { backoffLimit: 1, template: {
      metadata: { annotations: { [`${B}duration`]: '20s' } },
      spec: { restartPolicy: 'OnFailure', containers: [container({ name: 'backup', image: 'ghcr.io/acme/pg-backup:1.0.3' })] },
    } } } },
  });
  // Asks for more memory than any node has: Pending with FailedScheduling.
  put(ctx, GR.deployments, deployment('batch', 'ml-trainer', 1, [container({ name: 'trainer', image: 'ghcr.io/acme/ml-trainer:0.4.0', cpu: '2', memory: '48Gi', memoryLimit: '48Gi' })]));
}

function crds(ctx: SimContext): void {
  const age = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
  put(ctx, { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, crd('keda.sh', 'ScaledObject', 'scaledobjects', { version: 'v1alpha1', shortNames: ['so'], columns: [
    { name: 'ScaleTargetName', type: 'string', jsonPath: '.spec.scaleTargetRef.name' },
    { name: 'Min', type: 'integer', jsonPath: '.spec.minReplicaCount' }, { name: 'Max', type: 'integer', jsonPath: '.spec.maxReplicaCount' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' }, age] }));
  put(ctx, { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, crd('velero.io', 'Schedule', 'schedules', { columns: [
    { name: 'Status', type: 'string', jsonPath: '.status.phase' }, { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
    { name: 'LastBackup', type: 'date', jsonPath: '.status.lastBackup' }, age] }));
  put(ctx, { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, crd('velero.io', 'Backup', 'backups', { columns: [
    { name: 'Status', type: 'string', jsonPath: '.status.phase' }, { name: 'Errors', type: 'integer', jsonPath: '.status.errors' }, age] }));
  put(ctx, { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, crd('monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors', { shortNames: ['smon'], categories: ['prometheus-operator'] }));
  put(ctx, { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, crd('argoproj.io', 'Application', 'applications', { version: 'v1alpha1', shortNames: ['app', 'apps'], categories: ['argoproj'], columns: [
    { name: 'Sync Status', type: 'string', jsonPath: '.status.sync.status' }, { name: 'Health Status', type: 'string', jsonPath: '.status.health.status' },
    { name: 'Revision', type: 'string', jsonPath: '.status.sync.revision', priority: 10 }] }));
}

function cr(ctx: SimContext, group: string, plural: string, obj: J): void {
  put(ctx, { group, resource: plural }, obj);
}

function monitoring(ctx: SimContext): void {
  put(ctx, GR.deployments, deployment('monitoring', 'prometheus', 1, [container({ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.54.1', port: 9090, portName: 'web', cpu: '200m', memory: '512Mi', memoryLimit: '1Gi' })],
    { podAnnotations: { [`${B}cpu`]: '80m-300m', [`${B}memory`]: '420Mi' } }));
  put(ctx, GR.services, service('monitoring', 'prometheus', { app: 'prometheus' }, [{ name: 'web', port: 9090 }]));
  put(ctx, GR.deployments, deployment('monitoring', 'grafana', 1, [container({ name: 'grafana', image: 'grafana/grafana:11.2.0', port: 3000, cpu: '100m', memory: '128Mi', memoryLimit: '256Mi' })]));
  put(ctx, GR.services, service('monitoring', 'grafana', { app: 'grafana' }, [{ name: 'http', port: 80, targetPort: 3000 }]));
  put(ctx, GR.secrets, secret('monitoring', 'grafana-admin', { 'admin-user': 'admin', 'admin-password': 'grafana-demo-not-a-secret' }));
  put(ctx, GR.daemonsets, {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node-exporter', namespace: 'monitoring', labels: { app: 'node-exporter' } },
    spec: { selector: { matchLabels: { app: 'node-exporter' } }, template: {
      metadata: { labels: { app: 'node-exporter' }, annotations: { [`${B}cpu`]: '5m-25m', [`${B}memory`]: '22Mi' } },
      spec: { containers: [container({ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.2', port: 9100, portName: 'metrics', cpu: '20m', memory: '32Mi' })] },
    } },
  });
  for (const [name, app, port] of [['shop-api', 'api', 'http'], ['frontend', 'frontend', 'http'], ['jokes', 'jokes-web', 'http']] as const) {
    cr(ctx, 'monitoring.coreos.com', 'servicemonitors', {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name, namespace: 'monitoring', labels: { release: 'prometheus' } },
      spec: { selector: { matchLabels: { app } }, namespaceSelector: { matchNames: [app.startsWith('jokes') ? 'jokes' : 'shop'] }, endpoints: [{ port, path: '/metrics', interval: '30s' }] },
    });
  }
}

function argocd(ctx: SimContext): void {
  put(ctx, GR.deployments, deployment('argocd', 'argocd-server', 1, [container({ name: 'argocd-server', image: 'quay.io/argoproj/argocd:v2.13.1', port: 8080, cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' })]));
  put(ctx, GR.deployments, deployment('argocd', 'argocd-repo-server', 1, [container({ name: 'argocd-repo-server', image: 'quay.io/argoproj/argocd:v2.13.1', port: 8081, cpu: '50m', memory: '128Mi', memoryLimit: '256Mi' })]));
  put(ctx, GR.secrets, secret('argocd', 'argocd-initial-admin-secret', { password: 'argocd-demo-password-fake' }));
  const app = (name: string, path: string, dest: string, health: string, message?: string): J => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' },
    spec: { project: 'default', source: { repoURL: 'https://github.com/acme/deploy.git', targetRevision: 'main', path },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
    status: {
      sync: { status: 'Synced', revision: '9f3c2a1b7e4d5c6f8a9b0c1d2e3f4a5b6c7d8e9f' },
      health: { status: health, ...(message ? { message } : {}) },
      operationState: { phase: 'Succeeded', message: 'successfully synced (all tasks run)', finishedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
    },
  });
  cr(ctx, 'argoproj.io', 'applications', app('shop', 'apps/shop', 'shop', 'Progressing', 'Waiting for rollout of deployment "recommendations" to finish'));
  cr(ctx, 'argoproj.io', 'applications', app('jokes', 'apps/jokes', 'jokes', 'Degraded', 'Deployment "jokes-api" exceeded its progress deadline'));
  cr(ctx, 'argoproj.io', 'applications', app('monitoring', 'apps/monitoring', 'monitoring', 'Healthy'));
}

/** The last `n` 02:00 UTC runs of the daily schedule before now, oldest first. */
function dailyRuns(n: number): Date[] {
  const d = new Date();
  d.setUTCHours(2, 0, 0, 0);
  if (d.getTime() > Date.now()) d.setUTCDate(d.getUTCDate() - 1);
  const out: Date[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(new Date(d.getTime() - i * 86_400_000));
  return out;
}

function velero(ctx: SimContext): void {
  put(ctx, GR.secrets, secret('velero', 'cloud-credentials', { cloud: '[default]\naws_access_key_id=AKIAFAKEFAKEFAKEFAKE\naws_secret_access_key=fake/secret/not-real/0000000000000000\n' }));
  // Backups are named after their run (Velero's <schedule>-<yyyyMMddHHmmss>), so names, times and LASTBACKUP agree on any day.
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const [older, newer] = dailyRuns(2) as [Date, Date];
  const name = (d: Date) => `daily-${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
  const times = (d: Date, minutes: number) => ({ startTimestamp: iso(d.getTime() + 2_000), completionTimestamp: iso(d.getTime() + minutes * 60_000), expiration: iso(d.getTime() + 720 * 3600_000) });
  cr(ctx, 'velero.io', 'schedules', {
    apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'daily', namespace: 'velero' },
    spec: { schedule: '0 2 * * *', template: { includedNamespaces: ['shop'], ttl: '720h0m0s' } },
    status: { phase: 'Enabled', lastBackup: iso(newer.getTime()) },
  });
  cr(ctx, 'velero.io', 'backups', {
    apiVersion: 'velero.io/v1', kind: 'Backup', metadata: { name: name(older), namespace: 'velero', labels: { 'velero.io/schedule-name': 'daily' } },
    spec: { includedNamespaces: ['shop'], ttl: '720h0m0s' }, status: { phase: 'Completed', errors: 0, warnings: 0, itemsBackedUp: 84, totalItems: 84, ...times(older, 3) },
  });
  cr(ctx, 'velero.io', 'backups', {
    apiVersion: 'velero.io/v1', kind: 'Backup', metadata: { name: name(newer), namespace: 'velero', labels: { 'velero.io/schedule-name': 'daily' } },
    spec: { includedNamespaces: ['shop'], ttl: '720h0m0s' }, status: { phase: 'PartiallyFailed', errors: 2, warnings: 1, itemsBackedUp: 81, totalItems: 84, ...times(newer, 4) },
  });
}

function keda(ctx: SimContext): void {
  cr(ctx, 'keda.sh', 'scaledobjects', {
    apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'jokes-web', namespace: 'jokes' },
    spec: { scaleTargetRef: { name: 'jokes-web' }, minReplicaCount: 2, maxReplicaCount: 8,
      triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total{app="jokes-web"}[1m]))', threshold: '50' } }] },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ScaledObjectReady', message: 'ScaledObject is defined correctly and is ready for scaling' },
      { type: 'Active', status: 'False', reason: 'ScalerNotActive', message: 'Scaling is not performed because triggers are not active' }] },
  });
}
