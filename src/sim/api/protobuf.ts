/**
 * Decodes the protobuf request bodies kubectl's generator commands send (`kubectl create
 * namespace|configmap|secret|deployment|service|job|cronjob|serviceaccount|pdb|ingress`,
 * `kubectl autoscale` (autoscaling/v1), `kubectl drain`'s evictions, `kubectl auth can-i`):
 * the `k8s\0` envelope (runtime.Unknown) and, for those kinds, the object by the field numbers
 * of Kubernetes' generated.proto. Other kinds → 415 with a message that says so.
 * Go's proto2 marshalling writes every non-pointer field, so empty strings, zeros and false
 * are dropped again (JSON's omitempty) except for pointer fields, marked with `*`.
 */
import { ApiError } from '../errors.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A field: [jsonName, type]; types: s string, b bool, i int, B bytes (base64), msg name, 'map' / 'mapB' (bytes values), 'rs' repeated string. '*' suffix on the name → keep zero values. */
type Field = [string, string];
type Schema = Record<number, Field>;

const S: Record<string, Schema> = {
  Time: {},
  ObjectMeta: {
    1: ['name', 's'], 2: ['generateName', 's'], 3: ['namespace', 's'], 5: ['uid', 's'], 6: ['resourceVersion', 's'], 7: ['generation', 'i'],
    8: ['creationTimestamp', 'Time'], 9: ['deletionTimestamp', 'Time'], 10: ['deletionGracePeriodSeconds*', 'i'], 11: ['labels', 'map'], 12: ['annotations', 'map'],
    13: ['ownerReferences', '[OwnerReference'], 14: ['finalizers', 'rs'],
  },
  OwnerReference: { 1: ['kind', 's'], 3: ['name', 's'], 4: ['uid', 's'], 5: ['apiVersion', 's'], 6: ['controller*', 'b'], 7: ['blockOwnerDeletion*', 'b'] },
  LabelSelector: { 1: ['matchLabels', 'map'], 2: ['matchExpressions', '[LabelSelectorRequirement'] },
  LabelSelectorRequirement: { 1: ['key', 's'], 2: ['operator', 's'], 3: ['values', 'rs'] },
  IntOrString: {},
  Quantity: {},
  Namespace: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'NamespaceSpec'] },
  NamespaceSpec: { 1: ['finalizers', 'rs'] },
  ConfigMap: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'map'], 3: ['binaryData', 'mapB'], 4: ['immutable*', 'b'] },
  Secret: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'mapB'], 3: ['type', 's'], 4: ['stringData', 'map'], 5: ['immutable*', 'b'] },
  ServiceAccount: { 1: ['metadata', 'ObjectMeta'], 3: ['imagePullSecrets', '[LocalObjectReference'], 4: ['automountServiceAccountToken*', 'b'] },
  LocalObjectReference: { 1: ['name', 's'] },
  Service: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'] },
  ServiceSpec: {
    1: ['ports', '[ServicePort'], 2: ['selector', 'map'], 3: ['clusterIP', 's'], 4: ['type', 's'], 5: ['externalIPs', 'rs'], 7: ['sessionAffinity', 's'],
    8: ['loadBalancerIP', 's'], 10: ['externalName', 's'], 11: ['externalTrafficPolicy', 's'], 13: ['publishNotReadyAddresses', 'b'],
  },
  ServicePort: { 1: ['name', 's'], 2: ['protocol', 's'], 3: ['port', 'i'], 4: ['targetPort', 'IntOrString'], 5: ['nodePort', 'i'], 6: ['appProtocol*', 's'] },
  Deployment: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'DeploymentSpec'] },
  DeploymentSpec: {
    1: ['replicas*', 'i'], 2: ['selector', 'LabelSelector'], 3: ['template', 'PodTemplateSpec'], 4: ['strategy', 'DeploymentStrategy'], 5: ['minReadySeconds', 'i'],
    6: ['revisionHistoryLimit*', 'i'], 7: ['paused', 'b'], 9: ['progressDeadlineSeconds*', 'i'],
  },
  DeploymentStrategy: { 1: ['type', 's'], 2: ['rollingUpdate', 'RollingUpdateDeployment'] },
  RollingUpdateDeployment: { 1: ['maxUnavailable', 'IntOrString'], 2: ['maxSurge', 'IntOrString'] },
  PodTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  PodSpec: {
    2: ['containers', '[Container'], 3: ['restartPolicy', 's'], 4: ['terminationGracePeriodSeconds*', 'i'], 5: ['activeDeadlineSeconds*', 'i'], 6: ['dnsPolicy', 's'],
    7: ['nodeSelector', 'map'], 8: ['serviceAccountName', 's'], 10: ['nodeName', 's'], 11: ['hostNetwork', 'b'], 16: ['hostname', 's'], 17: ['subdomain', 's'],
    19: ['schedulerName', 's'], 20: ['initContainers', '[Container'], 24: ['priorityClassName', 's'],
  },
  Container: {
    1: ['name', 's'], 2: ['image', 's'], 3: ['command', 'rs'], 4: ['args', 'rs'], 5: ['workingDir', 's'], 6: ['ports', '[ContainerPort'], 7: ['env', '[EnvVar'],
    8: ['resources', 'ResourceRequirements'], 13: ['terminationMessagePath', 's'], 14: ['imagePullPolicy', 's'], 16: ['stdin', 'b'], 17: ['stdinOnce', 'b'], 18: ['tty', 'b'],
    20: ['terminationMessagePolicy', 's'],
  },
  ContainerPort: { 1: ['name', 's'], 2: ['hostPort', 'i'], 3: ['containerPort', 'i'], 4: ['protocol', 's'], 5: ['hostIP', 's'] },
  EnvVar: { 1: ['name', 's'], 2: ['value', 's'] },
  ResourceRequirements: { 1: ['limits', 'mapQ'], 2: ['requests', 'mapQ'] },
  Job: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'JobSpec'] },
  JobSpec: {
    1: ['parallelism*', 'i'], 2: ['completions*', 'i'], 3: ['activeDeadlineSeconds*', 'i'], 4: ['selector', 'LabelSelector'], 5: ['manualSelector*', 'b'],
    6: ['template', 'PodTemplateSpec'], 7: ['backoffLimit*', 'i'], 8: ['ttlSecondsAfterFinished*', 'i'], 9: ['completionMode*', 's'], 10: ['suspend*', 'b'],
  },
  CronJob: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'CronJobSpec'] },
  CronJobSpec: {
    1: ['schedule', 's'], 2: ['startingDeadlineSeconds*', 'i'], 3: ['concurrencyPolicy', 's'], 4: ['suspend*', 'b'], 5: ['jobTemplate', 'JobTemplateSpec'],
    6: ['successfulJobsHistoryLimit*', 'i'], 7: ['failedJobsHistoryLimit*', 'i'], 8: ['timeZone*', 's'],
  },
  JobTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'JobSpec'] },
  PodDisruptionBudget: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodDisruptionBudgetSpec'] },
  PodDisruptionBudgetSpec: { 1: ['minAvailable', 'IntOrString'], 2: ['selector', 'LabelSelector'], 3: ['maxUnavailable', 'IntOrString'], 4: ['unhealthyPodEvictionPolicy*', 's'] },
  Ingress: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'IngressSpec'] },
  HorizontalPodAutoscaler: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'HPASpecV1'] },
  HPASpecV1: { 1: ['scaleTargetRef', 'CrossVersionObjectReference'], 2: ['minReplicas*', 'i'], 3: ['maxReplicas', 'i'], 4: ['targetCPUUtilizationPercentage*', 'i'] },
  CrossVersionObjectReference: { 1: ['kind', 's'], 2: ['name', 's'], 3: ['apiVersion', 's'] },
  SelfSubjectAccessReview: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'SSARSpec'] },
  SSARSpec: { 1: ['resourceAttributes', 'ResourceAttributes'], 2: ['nonResourceAttributes', 'NonResourceAttributes'] },
  ResourceAttributes: { 1: ['namespace', 's'], 2: ['verb', 's'], 3: ['group', 's'], 4: ['version', 's'], 5: ['resource', 's'], 6: ['subresource', 's'], 7: ['name', 's'] },
  NonResourceAttributes: { 1: ['path', 's'], 2: ['verb', 's'] },
  SelfSubjectRulesReview: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'SSRRSpec'] },
  SSRRSpec: { 1: ['namespace', 's'] },
  SelfSubjectReview: { 1: ['metadata', 'ObjectMeta'] },
  Role: { 1: ['metadata', 'ObjectMeta'], 2: ['rules', '[PolicyRule'] },
  ClusterRole: { 1: ['metadata', 'ObjectMeta'], 2: ['rules', '[PolicyRule'], 3: ['aggregationRule', 'AggregationRule'] },
  PolicyRule: { 1: ['verbs', 'rs'], 2: ['apiGroups', 'rs'], 3: ['resources', 'rs'], 4: ['resourceNames', 'rs'], 5: ['nonResourceURLs', 'rs'] },
  AggregationRule: { 1: ['clusterRoleSelectors', '[LabelSelector'] },
  RoleBinding: { 1: ['metadata', 'ObjectMeta'], 2: ['subjects', '[Subject'], 3: ['roleRef', 'RoleRef'] },
  Subject: { 1: ['kind', 's'], 2: ['apiGroup', 's'], 3: ['name', 's'], 4: ['namespace', 's'] },
  RoleRef: { 1: ['apiGroup', 's'], 2: ['kind', 's'], 3: ['name', 's'] },
  CertificateSigningRequest: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'CSRSpec'], 3: ['status', 'CSRStatus'] },
  CSRSpec: { 1: ['request', 'B'], 2: ['username', 's'], 3: ['uid', 's'], 4: ['groups', 'rs'], 5: ['usages', 'rs'], 7: ['signerName', 's'], 8: ['expirationSeconds*', 'i'] },
  CSRStatus: { 1: ['conditions', '[CSRCondition'], 2: ['certificate', 'B'] },
  CSRCondition: { 1: ['type', 's'], 2: ['reason', 's'], 3: ['message', 's'], 4: ['lastUpdateTime', 'Time'], 5: ['lastTransitionTime', 'Time'], 6: ['status', 's'] },
  PriorityClass: { 1: ['metadata', 'ObjectMeta'], 2: ['value*', 'i'], 3: ['globalDefault', 'b'], 4: ['description', 's'], 5: ['preemptionPolicy*', 's'] },
  Eviction: { 1: ['metadata', 'ObjectMeta'], 2: ['deleteOptions', 'DeleteOptions'] },
  DeleteOptions: { 1: ['gracePeriodSeconds*', 'i'], 2: ['preconditions', 'Preconditions'], 3: ['orphanDependents*', 'b'], 4: ['propagationPolicy*', 's'], 5: ['dryRun', 'rs'] },
  Preconditions: { 1: ['uid*', 's'], 2: ['resourceVersion*', 's'] },
  IngressSpec: { 1: ['defaultBackend', 'IngressBackend'], 2: ['tls', '[IngressTLS'], 3: ['rules', '[IngressRule'], 4: ['ingressClassName*', 's'] },
  IngressTLS: { 1: ['hosts', 'rs'], 2: ['secretName', 's'] },
  IngressRule: { 1: ['host', 's'], 2: ['', 'IngressRuleValue'] },
  IngressRuleValue: { 1: ['http', 'HTTPIngressRuleValue'] },
  HTTPIngressRuleValue: { 1: ['paths', '[HTTPIngressPath'] },
  HTTPIngressPath: { 1: ['path', 's'], 2: ['backend', 'IngressBackend'], 3: ['pathType*', 's'] },
  IngressBackend: { 4: ['service', 'IngressServiceBackend'] },
  IngressServiceBackend: { 1: ['name', 's'], 2: ['port', 'ServiceBackendPort'] },
  ServiceBackendPort: { 1: ['name', 's'], 2: ['number', 'i'] },
};

const KINDS: Record<string, string> = {
  Namespace: 'Namespace', ConfigMap: 'ConfigMap', Secret: 'Secret', ServiceAccount: 'ServiceAccount', Service: 'Service', Deployment: 'Deployment',
  Job: 'Job', CronJob: 'CronJob', PodDisruptionBudget: 'PodDisruptionBudget', Ingress: 'Ingress', Eviction: 'Eviction',
  HorizontalPodAutoscaler: 'HorizontalPodAutoscaler', SelfSubjectAccessReview: 'SelfSubjectAccessReview', SelfSubjectRulesReview: 'SelfSubjectRulesReview',
  SelfSubjectReview: 'SelfSubjectReview', PriorityClass: 'PriorityClass',
  Role: 'Role', ClusterRole: 'ClusterRole', RoleBinding: 'RoleBinding', ClusterRoleBinding: 'RoleBinding',
  CertificateSigningRequest: 'CertificateSigningRequest',
};

class Reader {
  i = 0;
  constructor(readonly b: Buffer) {}
  varint(): bigint {
    let x = 0n, s = 0n;
    for (;;) {
      if (this.i >= this.b.length) throw new Error('truncated varint');
      const c = this.b[this.i++]!;
      x |= BigInt(c & 0x7f) << s;
      s += 7n;
      if (!(c & 0x80)) return x;
      if (s > 70n) throw new Error('varint too long');
    }
  }
  bytes(): Buffer {
    const n = Number(this.varint());
    if (this.i + n > this.b.length) throw new Error('truncated field');
    const out = this.b.subarray(this.i, this.i + n);
    this.i += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.i += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.i += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  *fields(): Generator<{ f: number; wire: number }> {
    while (this.i < this.b.length) {
      const key = Number(this.varint());
      yield { f: key >>> 3, wire: key & 7 };
    }
  }
}

function mapEntry(b: Buffer, valueKind: 's' | 'B' | 'Q'): [string, J] {
  const r = new Reader(b);
  let k = '', v: J = valueKind === 'B' ? '' : '';
  for (const { f, wire } of r.fields()) {
    if (f === 1 && wire === 2) k = r.bytes().toString('utf8');
    else if (f === 2 && wire === 2) {
      const raw = r.bytes();
      v = valueKind === 's' ? raw.toString('utf8') : valueKind === 'B' ? raw.toString('base64') : decode(raw, 'Quantity');
    } else r.skip(wire);
  }
  return [k, v];
}

function decode(b: Buffer, type: string): J {
  if (type === 'IntOrString') {
    const r = new Reader(b);
    let t = 0, iv = 0, sv = '';
    for (const { f, wire } of r.fields()) {
      if (f === 1 && wire === 0) t = Number(r.varint());
      else if (f === 2 && wire === 0) iv = Number(BigInt.asIntN(32, r.varint()));
      else if (f === 3 && wire === 2) sv = r.bytes().toString('utf8');
      else r.skip(wire);
    }
    return t === 1 ? sv : iv;
  }
  if (type === 'Quantity') {
    const r = new Reader(b);
    let s = '';
    for (const { f, wire } of r.fields()) {
      if (f === 1 && wire === 2) s = r.bytes().toString('utf8');
      else r.skip(wire);
    }
    return s;
  }
  if (type === 'Time') {
    const r = new Reader(b);
    let secs = 0n, nanos = 0;
    for (const { f, wire } of r.fields()) {
      if (f === 1 && wire === 0) secs = BigInt.asIntN(64, r.varint());
      else if (f === 2 && wire === 0) nanos = Number(r.varint());
      else r.skip(wire);
    }
    if (secs === 0n && nanos === 0) return undefined;
    return new Date(Number(secs) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  }
  const schema = S[type];
  if (!schema) throw new Error(`no schema for ${type}`);
  const out: Record<string, J> = {};
  const r = new Reader(b);
  for (const { f, wire } of r.fields()) {
    const field = schema[f];
    if (!field) {
      r.skip(wire);
      continue;
    }
    const keep = field[0].endsWith('*');
    const name = keep ? field[0].slice(0, -1) : field[0];
    const t = field[1];
    if (t === 's' || t === 'rs') {
      const s = r.bytes().toString('utf8');
      if (t === 'rs') (out[name] ??= []).push(s);
      else if (s !== '' || keep) out[name] = s;
    } else if (t === 'B') {
      const v = r.bytes();
      if (v.length || keep) out[name] = v.toString('base64');
    } else if (t === 'i') {
      const v = Number(BigInt.asIntN(64, r.varint()));
      if (v !== 0 || keep) out[name] = v;
    } else if (t === 'b') {
      const v = r.varint() !== 0n;
      if (v || keep) out[name] = v;
    } else if (t === 'map' || t === 'mapB' || t === 'mapQ') {
      const [k, v] = mapEntry(r.bytes(), t === 'map' ? 's' : t === 'mapB' ? 'B' : 'Q');
      (out[name] ??= {})[k] = v;
    } else if (t.startsWith('[')) {
      (out[name] ??= []).push(decode(r.bytes(), t.slice(1)));
    } else {
      const v = decode(r.bytes(), t);
      if (v === undefined) continue;
      if (name === '') Object.assign(out, v); // an inlined message (IngressRuleValue)
      else out[name] = v;
    }
  }
  return out;
}

/** The JSON object of a protobuf request body, or a 415 that says what it cannot decode. */
export function decodeProtobufBody(body: Buffer): J {
  const cannot = (what: string) => new ApiError(415, 'UnsupportedMediaType',
    `the server cannot decode application/vnd.kubernetes.protobuf bodies ${what}; send JSON (kubectl create -f / apply -f)`);
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw cannot('without the k8s envelope');
  try {
    const r = new Reader(body.subarray(4));
    let apiVersion = '', kind = '', raw: Buffer | undefined, encoding = '';
    for (const { f, wire } of r.fields()) {
      if (f === 1 && wire === 2) {
        const tm = new Reader(r.bytes());
        for (const x of tm.fields()) {
          if (x.f === 1 && x.wire === 2) apiVersion = tm.bytes().toString('utf8');
          else if (x.f === 2 && x.wire === 2) kind = tm.bytes().toString('utf8');
          else tm.skip(x.wire);
        }
      } else if (f === 2 && wire === 2) raw = r.bytes();
      else if (f === 3 && wire === 2) encoding = r.bytes().toString('utf8');
      else r.skip(wire);
    }
    if (encoding) throw cannot(`with content encoding ${encoding}`);
    if (kind === 'HorizontalPodAutoscaler' && apiVersion !== 'autoscaling/v1') throw cannot(`of ${apiVersion} ${kind}`);
    const type = KINDS[kind];
    if (!type || !raw) throw cannot(`of kind ${kind || 'unknown'}`);
    return { apiVersion, kind, ...decode(raw, type) };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, 'BadRequest', `malformed protobuf body: ${(e as Error).message}`);
  }
}
