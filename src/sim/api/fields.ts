/**
 * Unknown-field detection for fieldValidation (Strict → 400, Warn → warnings): the fields the
 * common built-in kinds know at the places where typos happen (top level, metadata, pod and
 * container specs, deployment/service specs). Deeper or unlisted places are not checked.
 */
type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const set = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

export const META = set(`name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp
  deletionGracePeriodSeconds labels annotations ownerReferences finalizers managedFields`);
const TOP_COMMON = set('apiVersion kind metadata');
const TOP: Record<string, Set<string>> = {
  Pod: set('spec status'), Deployment: set('spec status'), ReplicaSet: set('spec status'), StatefulSet: set('spec status'),
  DaemonSet: set('spec status'), Job: set('spec status'), CronJob: set('spec status'), Service: set('spec status'),
  Namespace: set('spec status'), Node: set('spec status'), PersistentVolumeClaim: set('spec status'), PersistentVolume: set('spec status'),
  HorizontalPodAutoscaler: set('spec status'), PodDisruptionBudget: set('spec status'), Ingress: set('spec status'),
  ConfigMap: set('data binaryData immutable'), Secret: set('data stringData type immutable'),
  ServiceAccount: set('secrets imagePullSecrets automountServiceAccountToken'), Endpoints: set('subsets'),
  StorageClass: set('provisioner parameters reclaimPolicy mountOptions allowVolumeExpansion volumeBindingMode allowedTopologies'),
  ControllerRevision: set('data revision'),
};
const POD_SPEC = set(`volumes initContainers containers ephemeralContainers restartPolicy terminationGracePeriodSeconds
  activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName
  hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity
  schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName
  enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers
  schedulingGates resourceClaims resources`);
const CONTAINER = set(`name image command args workingDir ports envFrom env resources resizePolicy restartPolicy
  volumeMounts volumeDevices livenessProbe readinessProbe startupProbe lifecycle terminationMessagePath
  terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty`);
const DEPLOY_SPEC = set('replicas selector template strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds');
const SERVICE_SPEC = set(`ports selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP
  loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses
  sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass
  internalTrafficPolicy trafficDistribution`);
const TEMPLATE = set('metadata spec');

const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

function check(o: J, known: Set<string>, path: string, out: string[]): void {
  if (!isObj(o)) return;
  for (const k of Object.keys(o)) if (!known.has(k)) out.push(`${path}${path ? '.' : ''}${k}`);
}

function podSpec(spec: J, path: string, out: string[]): void {
  if (!isObj(spec)) return;
  check(spec, POD_SPEC, path, out);
  for (const list of ['containers', 'initContainers']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((c: J, i: number) => check(c, CONTAINER, `${path}.${list}[${i}]`, out));
  }
}

function template(t: J, path: string, out: string[]): void {
  if (!isObj(t)) return;
  check(t, TEMPLATE, path, out);
  check(t.metadata, META, `${path}.metadata`, out);
  podSpec(t.spec, `${path}.spec`, out);
}

/** Paths of fields the kind does not have, as the apiserver names them (`spec.replica`). */
export function unknownFields(o: J): string[] {
  const out: string[] = [];
  if (!isObj(o)) return out;
  const top = TOP[o.kind];
  if (!top) return out;
  for (const k of Object.keys(o)) if (!TOP_COMMON.has(k) && !top.has(k)) out.push(k);
  check(o.metadata, META, 'metadata', out);
  const spec = o.spec;
  switch (o.kind) {
    case 'Pod': podSpec(spec, 'spec', out); break;
    case 'Deployment':
      check(spec, DEPLOY_SPEC, 'spec', out);
      template(spec?.template, 'spec.template', out);
      break;
    case 'ReplicaSet': case 'StatefulSet': case 'DaemonSet': case 'Job':
      template(spec?.template, 'spec.template', out);
      break;
    case 'Service': check(spec, SERVICE_SPEC, 'spec', out); break;
  }
  return out;
}

/** Removes the fields at these paths (`spec.template.spec.containers[0].x`), as decoding into typed structs drops them. */
export function dropFields(o: J, paths: string[]): void {
  for (const p of paths) {
    const segs = p.split('.').flatMap((s) => {
      const m = /^(.+)\[(\d+)\]$/.exec(s);
      return m ? [m[1]!, Number(m[2])] : [s];
    });
    let cur: J = o;
    for (const k of segs.slice(0, -1)) cur = cur?.[k];
    if (isObj(cur)) delete cur[segs[segs.length - 1] as string];
  }
}
