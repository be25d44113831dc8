/**
 * Validation with the apiserver's field paths and messages, so 422 Invalid errors read like a
 * real cluster's (kubectl prints them verbatim).
 */
import { invalid, type StatusCause } from '../errors.js';
import type { KObj } from '../types.js';
import type { ResourceType } from '../registry/types.js';
import { fromLabelSelectorObject, matchLabels } from './selectors.js';
import { validateAgainstSchema } from './crd-schema.js';
import { configMapCauses, secretCauses } from './validate-config.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const DNS1123_SUB = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const goMap = (m: Record<string, string>) => `map[string]string{${Object.entries(m).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`;

class Causes {
  list: StatusCause[] = [];
  required(field: string, detail = '') {
    this.list.push({ reason: 'FieldValueRequired', message: `Required value${detail ? `: ${detail}` : ''}`, field });
  }
  invalid(field: string, value: unknown, detail: string) {
    const v = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' && value && !Array.isArray(value) ? goMap(value as Record<string, string>) : String(value);
    this.list.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${v}: ${detail}`, field });
  }
  duplicate(field: string, value: unknown) {
    this.list.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(value)}`, field });
  }
  notSupported(field: string, value: unknown, allowed: string[]) {
    this.list.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`, field });
  }
  forbidden(field: string, detail: string) {
    this.list.push({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });
  }
}

const SUB_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Kinds whose names are only path segments (ValidatePathSegmentName): RBAC's `system:…` names. */
const PATH_SEGMENT_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'APIService']);

function checkName(c: Causes, field: string, name: string, kind: string, obj?: KObj): void {
  if (PATH_SEGMENT_KINDS.has(kind)) {
    if (name === '.' || name === '..') c.invalid(field, name, `may not be '${name}'`);
    else if (name.includes('/')) c.invalid(field, name, "may not contain '/'");
    else if (name.includes('%')) c.invalid(field, name, "may not contain '%'");
    else if (kind === 'APIService') {
      const required = `${obj?.spec?.version ?? ''}.${obj?.spec?.group ?? ''}`;
      if (name !== required) c.invalid(field, name, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(required)}`);
    }
  } else if (kind === 'Namespace' || kind === 'Service') {
    const re = kind === 'Service' ? DNS1035_LABEL : DNS1123_LABEL;
    if (!re.test(name) || name.length > 63) c.invalid(field, name, kind === 'Service' ? DNS1035_MSG : LABEL_MSG);
  } else if (!DNS1123_SUB.test(name) || name.length > 253) {
    c.invalid(field, name, SUB_MSG);
  }
}

function checkLabelKey(c: Causes, field: string, k: string): boolean {
  const parts = k.split('/');
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  const prefix = parts.length === 2 ? parts[0]! : undefined;
  if (parts.length > 2 || !QUALIFIED.test(name) || name.length > 63 || (prefix !== undefined && (!DNS1123_SUB.test(prefix) || prefix.length > 253))) {
    c.invalid(field, k, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    return false;
  }
  return true;
}

function checkMeta(c: Causes, obj: KObj, rt: ResourceType): void {
  const m = obj.metadata;
  if (!m.name) c.required('metadata.name', 'name or generateName is required');
  else checkName(c, 'metadata.name', m.name, obj.kind, obj);
  if (rt.namespaced && !m.namespace) c.required('metadata.namespace');
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    if (!checkLabelKey(c, 'metadata.labels', k)) continue;
    if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) {
      c.invalid('metadata.labels', v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
  }
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    checkLabelKey(c, 'metadata.annotations', k);
    if (typeof v !== 'string') c.invalid(`metadata.annotations`, v, 'must be a string');
  }
}

function checkContainers(c: Causes, list: J, field: string, required: boolean): void {
  if (!Array.isArray(list) || list.length === 0) {
    if (required) c.required(field);
    return;
  }
  const seen = new Set<string>();
  list.forEach((ct: J, i: number) => {
    const f = `${field}[${i}]`;
    if (!ct || typeof ct !== 'object') {
      c.invalid(f, ct, 'must be an object');
      return;
    }
    if (!ct.name) c.required(`${f}.name`);
    else if (!DNS1123_LABEL.test(ct.name)) c.invalid(`${f}.name`, ct.name, LABEL_MSG);
    else if (seen.has(ct.name)) c.duplicate(`${f}.name`, ct.name);
    else seen.add(ct.name);
    if (!ct.image || typeof ct.image !== 'string' || !ct.image.trim()) c.required(`${f}.image`);
    if (ct.imagePullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(ct.imagePullPolicy)) c.notSupported(`${f}.imagePullPolicy`, ct.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']);
    (Array.isArray(ct.ports) ? ct.ports : []).forEach((p: J, j: number) => {
      const port = p?.containerPort;
      if (!Number.isInteger(port) || port < 1 || port > 65535) c.invalid(`${f}.ports[${j}].containerPort`, port, 'must be between 1 and 65535, inclusive');
    });
  });
}

function checkPodSpec(c: Causes, spec: J, field: string): void {
  if (!spec || typeof spec !== 'object') {
    c.required(field);
    return;
  }
  checkContainers(c, spec.containers, `${field}.containers`, true);
  checkContainers(c, spec.initContainers, `${field}.initContainers`, false);
  if (spec.restartPolicy && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) c.notSupported(`${field}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']);
}

function checkWorkload(c: Causes, obj: KObj, selectorRequired = true): void {
  const spec = obj.spec;
  if (!spec) {
    c.required('spec');
    return;
  }
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    c.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0');
  } else if (typeof spec.replicas === 'number' && spec.replicas > 2147483647) {
    // replicas is an int32 in the API: a bigger number cannot be stored.
    c.invalid('spec.replicas', spec.replicas, 'must be less than or equal to 2147483647');
  }
  const sel = spec.selector;
  if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) {
    if (selectorRequired) c.required('spec.selector');
  }
  const labels = spec.template?.metadata?.labels ?? {};
  if (sel && !matchLabels(fromLabelSelectorObject(sel), labels)) {
    c.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`');
  }
  checkPodSpec(c, spec.template?.spec, 'spec.template.spec');
  if (obj.kind === 'Deployment' || obj.kind === 'ReplicaSet') {
    const rp = spec.template?.spec?.restartPolicy;
    if (rp && rp !== 'Always') c.notSupported('spec.template.spec.restartPolicy', rp, ['Always']);
  }
}

function checkService(c: Causes, obj: KObj): void {
  const spec = obj.spec ?? {};
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (spec.type && !types.includes(spec.type)) c.notSupported('spec.type', spec.type, types);
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (!ports.length && spec.clusterIP !== 'None' && spec.type !== 'ExternalName') c.required('spec.ports');
  const names = new Set<string>();
  ports.forEach((p: J, i: number) => {
    if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) c.invalid(`spec.ports[${i}].port`, p?.port, 'must be between 1 and 65535, inclusive');
    if (ports.length > 1 && !p?.name) c.required(`spec.ports[${i}].name`);
    if (p?.name) {
      if (names.has(p.name)) c.duplicate(`spec.ports[${i}].name`, p.name);
      names.add(p.name);
    }
  });
}

function checkCrd(c: Causes, obj: KObj): void {
  const s = obj.spec ?? {};
  if (!s.group) c.required('spec.group');
  if (!s.names?.plural) c.required('spec.names.plural');
  if (!s.names?.kind) c.required('spec.names.kind');
  if (!['Namespaced', 'Cluster'].includes(s.scope)) c.notSupported('spec.scope', s.scope, ['Cluster', 'Namespaced']);
  if (s.group && s.names?.plural && obj.metadata.name !== `${s.names.plural}.${s.group}`) {
    c.invalid('metadata.name', obj.metadata.name, `must be spec.names.plural+"."+spec.group`);
  }
  const vs = Array.isArray(s.versions) ? s.versions : [];
  if (!vs.length) c.required('spec.versions', 'must have exactly one version marked as storage version');
  else if (vs.filter((v: J) => v?.storage).length !== 1) c.invalid('spec.versions', vs.length, 'must have exactly one version marked as storage version');
}

/** Throws 422 Invalid when the object would be rejected; `old` is set on update. */
export function validate(obj: KObj, rt: ResourceType, old?: KObj): void {
  const c = new Causes();
  checkMeta(c, obj, rt);
  switch (obj.kind) {
    case 'Pod':
      checkPodSpec(c, obj.spec, 'spec');
      if (old && old.spec) {
        // Pod spec is immutable except images, activeDeadlineSeconds, tolerations (additions).
        const strip = (s: J) => JSON.stringify({ ...s, containers: (s?.containers ?? []).map((x: J) => ({ ...x, image: '' })), initContainers: (s?.initContainers ?? []).map((x: J) => ({ ...x, image: '' })), activeDeadlineSeconds: 0, tolerations: 0, nodeName: 0 });
        if (strip(obj.spec) !== strip(old.spec)) c.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
      }
      break;
    case 'Deployment': case 'ReplicaSet': case 'StatefulSet': case 'DaemonSet':
      checkWorkload(c, obj);
      if (obj.kind === 'Deployment' && obj.spec?.strategy?.type === 'Recreate' && obj.spec.strategy.rollingUpdate) {
        c.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'");
      }
      if (obj.kind === 'Deployment' && obj.spec?.strategy?.type && !['Recreate', 'RollingUpdate'].includes(obj.spec.strategy.type)) {
        c.notSupported('spec.strategy.type', obj.spec.strategy.type, ['Recreate', 'RollingUpdate']);
      }
      if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(obj.spec?.selector)) {
        c.invalid('spec.selector', obj.spec?.selector, 'field is immutable');
      }
      break;
    case 'Job':
      checkWorkload(c, obj, false);
      if (obj.spec?.template?.spec?.restartPolicy === 'Always') c.notSupported('spec.template.spec.restartPolicy', 'Always', ['OnFailure', 'Never']);
      break;
    case 'CronJob':
      if (!obj.spec?.schedule) c.required('spec.schedule');
      checkPodSpec(c, obj.spec?.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec');
      break;
    case 'Service':
      checkService(c, obj);
      if (old && old.spec?.clusterIP && obj.spec?.clusterIP && old.spec.clusterIP !== obj.spec.clusterIP) c.invalid('spec.clusterIPs[0]', obj.spec.clusterIP, 'may not change once set');
      break;
    case 'ConfigMap':
      c.list.push(...configMapCauses(obj, old));
      break;
    case 'Secret':
      c.list.push(...secretCauses(obj, old));
      break;
    case 'CustomResourceDefinition':
      checkCrd(c, obj);
      break;
    case 'EndpointSlice':
      if (!obj.addressType) c.required('addressType');
      else if (!['IPv4', 'IPv6', 'FQDN'].includes(obj.addressType)) c.notSupported('addressType', obj.addressType, ['IPv4', 'IPv6', 'FQDN']);
      else if (old && old.addressType !== obj.addressType) c.invalid('addressType', obj.addressType, 'field is immutable');
      ((obj.endpoints ?? []) as J[]).forEach((e, i) => {
        if (!e?.addresses?.length) c.required(`endpoints[${i}].addresses`, 'must contain at least 1 address');
      });
      break;
    case 'Lease':
      if (obj.spec?.leaseDurationSeconds !== undefined && !(Number.isInteger(obj.spec.leaseDurationSeconds) && obj.spec.leaseDurationSeconds > 0)) {
        c.invalid('spec.leaseDurationSeconds', obj.spec.leaseDurationSeconds, 'must be greater than 0');
      }
      break;
    case 'HorizontalPodAutoscaler':
      if (!obj.spec?.scaleTargetRef?.name) c.required('spec.scaleTargetRef.name');
      if (!Number.isInteger(obj.spec?.maxReplicas) || obj.spec.maxReplicas < 1) c.invalid('spec.maxReplicas', obj.spec?.maxReplicas, 'must be greater than or equal to 1');
      break;
  }
  if (rt.crd && rt.schema) c.list.push(...validateAgainstSchema(rt.schema, obj));
  if (c.list.length) throw invalid(obj.kind, obj.metadata.name ?? '', c.list, rt.group);
}
