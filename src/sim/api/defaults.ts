/**
 * Defaulting as the real apiserver (and its admission plugins) does it, so objects read back
 * look like a real cluster's: pod and pod-template defaults, workload strategies, service IPs.
 */
import { randomUUID } from 'node:crypto';
import type { KObj } from '../types.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const setIf = (o: Record<string, J>, k: string, v: J) => {
  if (o[k] === undefined) o[k] = v;
};

function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.split('/').pop()!;
  return last.includes(':') ? last.split(':').pop() : undefined;
}

function containerDefaults(c: J): void {
  if (!c || typeof c !== 'object') return;
  if (typeof c.image === 'string' && c.image) {
    const tag = imageTag(c.image);
    setIf(c, 'imagePullPolicy', c.image.includes('@') ? 'IfNotPresent' : !tag || tag === 'latest' ? 'Always' : 'IfNotPresent');
  }
  setIf(c, 'terminationMessagePath', '/dev/termination-log');
  setIf(c, 'terminationMessagePolicy', 'File');
  setIf(c, 'resources', {});
  if (c.resources && c.resources.limits && !c.resources.requests) c.resources.requests = { ...c.resources.limits };
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (p && typeof p === 'object') setIf(p, 'protocol', 'TCP');
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!probe || typeof probe !== 'object') continue;
    setIf(probe, 'timeoutSeconds', 1);
    setIf(probe, 'periodSeconds', 10);
    setIf(probe, 'successThreshold', 1);
    setIf(probe, 'failureThreshold', 3);
    if (probe.httpGet) setIf(probe.httpGet, 'scheme', 'HTTP'), setIf(probe.httpGet, 'path', '/');
  }
}

/** SetDefaults_PodSpec (used for pods and every pod template). */
export function podSpecDefaults(spec: J): void {
  if (!spec || typeof spec !== 'object') return;
  setIf(spec, 'restartPolicy', 'Always');
  setIf(spec, 'dnsPolicy', 'ClusterFirst');
  setIf(spec, 'schedulerName', 'default-scheduler');
  setIf(spec, 'terminationGracePeriodSeconds', 30);
  setIf(spec, 'securityContext', {});
  for (const c of [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])]) containerDefaults(c);
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (v?.configMap) setIf(v.configMap, 'defaultMode', 420);
    if (v?.secret) setIf(v.secret, 'defaultMode', 420);
  }
}

function podDefaults(pod: KObj): void {
  pod.spec ??= {};
  const spec = pod.spec;
  podSpecDefaults(spec);
  // Admission: ServiceAccount, DefaultTolerationSeconds, Priority.
  setIf(spec, 'serviceAccountName', spec.serviceAccount ?? 'default');
  setIf(spec, 'serviceAccount', spec.serviceAccountName);
  setIf(spec, 'enableServiceLinks', true);
  setIf(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  setIf(spec, 'priority', 0);
  spec.tolerations ??= [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!spec.tolerations.some((t: J) => t?.key === key)) spec.tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
}

const SA_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const GEN = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The ServiceAccount admission plugin's projected token volume (`kube-api-access-xxxxx`) and its
 * read-only mount in every container, unless the pod opts out or mounts that path itself.
 */
function serviceAccountTokenVolume(spec: J): void {
  if (spec.automountServiceAccountToken === false) return;
  const all: J[] = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])];
  if (all.some((c) => (c?.volumeMounts ?? []).some((m: J) => m?.mountPath === SA_MOUNT))) return;
  let name = 'kube-api-access-';
  for (let i = 0; i < 5; i++) name += GEN[Math.floor(Math.random() * GEN.length)];
  spec.volumes = [...(Array.isArray(spec.volumes) ? spec.volumes : []), {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  }];
  for (const c of all) if (c && typeof c === 'object') c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: SA_MOUNT }];
}

function templateDefaults(t: J): void {
  if (t && typeof t === 'object') podSpecDefaults((t.spec ??= {}));
}

export interface DefaultingEnv {
  /** Next free ClusterIP for a new Service. */
  allocateClusterIP(): string;
  allocateNodePort(): number;
}

/** Applies create-time defaults in place. `isCreate` false → only the idempotent ones. */
export function applyDefaults(obj: KObj, env: DefaultingEnv, isCreate: boolean): void {
  const spec = obj.spec;
  switch (obj.kind) {
    case 'Pod':
      podDefaults(obj);
      if (isCreate) serviceAccountTokenVolume(obj.spec);
      if (isCreate) obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec), ...(obj.status ?? {}) };
      break;
    case 'Deployment':
      if (!spec) break;
      setIf(spec, 'replicas', 1);
      setIf(spec, 'revisionHistoryLimit', 10);
      setIf(spec, 'progressDeadlineSeconds', 600);
      spec.strategy ??= {};
      setIf(spec.strategy, 'type', 'RollingUpdate');
      if (spec.strategy.type === 'RollingUpdate') {
        spec.strategy.rollingUpdate ??= {};
        setIf(spec.strategy.rollingUpdate, 'maxSurge', '25%');
        setIf(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
      }
      templateDefaults(spec.template);
      break;
    case 'ReplicaSet':
      if (!spec) break;
      setIf(spec, 'replicas', 1);
      templateDefaults(spec.template);
      break;
    case 'StatefulSet':
      if (!spec) break;
      setIf(spec, 'replicas', 1);
      setIf(spec, 'podManagementPolicy', 'OrderedReady');
      setIf(spec, 'revisionHistoryLimit', 10);
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      setIf(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      templateDefaults(spec.template);
      break;
    case 'DaemonSet':
      if (!spec) break;
      setIf(spec, 'revisionHistoryLimit', 10);
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      templateDefaults(spec.template);
      break;
    case 'Job':
      if (!spec) break;
      jobSpecDefaults(obj, spec, isCreate);
      break;
    case 'CronJob':
      if (!spec) break;
      setIf(spec, 'concurrencyPolicy', 'Allow');
      setIf(spec, 'suspend', false);
      setIf(spec, 'successfulJobsHistoryLimit', 3);
      setIf(spec, 'failedJobsHistoryLimit', 1);
      if (spec.jobTemplate?.spec) {
        const js = spec.jobTemplate.spec;
        setIf(js, 'backoffLimit', 6);
        setIf(js, 'completionMode', 'NonIndexed');
        setIf(js, 'suspend', false);
        templateDefaults(js.template);
      }
      break;
    case 'Service':
      serviceDefaults(obj, env, isCreate);
      break;
    case 'Namespace':
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name! };
      obj.spec ??= {};
      setIf(obj.spec, 'finalizers', ['kubernetes']);
      obj.status ??= {};
      setIf(obj.status, 'phase', 'Active');
      break;
    case 'Secret':
      setIf(obj, 'type', 'Opaque');
      // The apiserver merges write-only stringData into data (base64) and never stores it.
      if (obj.stringData && typeof obj.stringData === 'object') {
        obj.data ??= {};
        for (const [k, v] of Object.entries(obj.stringData as Record<string, unknown>)) obj.data[k] = Buffer.from(String(v)).toString('base64');
        delete obj.stringData;
      }
      break;
    case 'PersistentVolumeClaim':
      if (spec) setIf(spec, 'volumeMode', 'Filesystem');
      if (isCreate) obj.status = { phase: 'Pending', ...(obj.status ?? {}) };
      break;
    case 'PersistentVolume':
      if (spec) {
        setIf(spec, 'persistentVolumeReclaimPolicy', 'Retain');
        setIf(spec, 'volumeMode', 'Filesystem');
      }
      if (isCreate) obj.status = { phase: 'Available', ...(obj.status ?? {}) };
      break;
    case 'StorageClass':
      setIf(obj, 'reclaimPolicy', 'Delete');
      setIf(obj, 'volumeBindingMode', 'Immediate');
      break;
    case 'HorizontalPodAutoscaler':
      if (spec) setIf(spec, 'minReplicas', 1);
      break;
    case 'PriorityClass':
      setIf(obj, 'preemptionPolicy', 'PreemptLowerPriority');
      break;
  }
}

function jobSpecDefaults(obj: KObj, spec: J, isCreate: boolean): void {
  setIf(spec, 'backoffLimit', 6);
  setIf(spec, 'completionMode', 'NonIndexed');
  setIf(spec, 'suspend', false);
  setIf(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setIf(spec, 'parallelism', 1);
  if (isCreate && !spec.manualSelector && !spec.selector) {
    // The Job strategy generates a selector on the object's uid.
    obj.metadata.uid ??= randomUUID();
    const uid = obj.metadata.uid;
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    spec.template ??= {};
    spec.template.metadata ??= {};
    spec.template.metadata.labels = {
      ...(spec.template.metadata.labels ?? {}),
      'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': obj.metadata.name!, 'controller-uid': uid, 'job-name': obj.metadata.name!,
    };
  }
  // SetDefaults_Job: a Job without labels takes its template's (the real apiserver applies this
  // again when reading the stored Job, so the generated controller-uid/job-name labels show up).
  const tl = spec.template?.metadata?.labels;
  if (tl && Object.keys(tl).length && !Object.keys(obj.metadata.labels ?? {}).length) obj.metadata.labels = { ...tl };
  templateDefaults(spec.template);
}

function serviceDefaults(obj: KObj, env: DefaultingEnv, isCreate: boolean): void {
  const spec = (obj.spec ??= {});
  setIf(spec, 'type', 'ClusterIP');
  setIf(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    if (isCreate && !spec.clusterIP) spec.clusterIP = env.allocateClusterIP();
    if (spec.clusterIP && !spec.clusterIPs) spec.clusterIPs = [spec.clusterIP];
    setIf(spec, 'ipFamilies', ['IPv4']);
    setIf(spec, 'ipFamilyPolicy', 'SingleStack');
    setIf(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setIf(spec, 'externalTrafficPolicy', 'Cluster');
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!p || typeof p !== 'object') continue;
    setIf(p, 'protocol', 'TCP');
    setIf(p, 'targetPort', p.port);
    if (isCreate && (spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !p.nodePort) p.nodePort = env.allocateNodePort();
  }
  if (isCreate) obj.status ??= { loadBalancer: {} };
}

/** Guaranteed / Burstable / BestEffort, from the containers' requests and limits. */
export function qosClass(spec: J): string {
  const cs = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false, guaranteed = true;
  for (const c of cs) {
    const req = c?.resources?.requests ?? {}, lim = c?.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (!lim[r] || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
