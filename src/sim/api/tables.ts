/**
 * Server-side Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): for each
 * kind the columns and cells kubectl 1.32's printers produce; priority-1 columns show with -o wide.
 * Rows carry a PartialObjectMetadata that shares the stored metadata (no deep copy).
 */
import type { KObj } from '../types.js';
import type { PrinterColumn, ResourceType } from '../registry/types.js';
import { humanDuration, since } from './humanize.js';
import { podCells } from './podstatus.js';
import { labelSelectorString } from './selectors.js';
import { ADMIN_PRINTERS } from './tables-admin.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ColumnDefinition { name: string; type: string; format: string; description: string; priority: number }
type Cell = string | number | boolean | null;
interface Printer { columns: ColumnDefinition[]; cells(o: KObj, now: number): Cell[]; conditions?(o: KObj): J[] | undefined }

const col = (name: string, type = 'string', priority = 0, format = ''): ColumnDefinition => ({ name, type, format, description: '', priority });
const NAME = col('Name', 'string', 0, 'name');
const AGE = col('Age');
const age = (o: KObj, now: number) => since(o.metadata.creationTimestamp, now);
const none = (s: string | undefined | null) => (s ? s : '<none>');
const labelsStr = (m: Record<string, string> | undefined) => {
  const e = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
};
const containers = (spec: J) => (spec?.containers ?? []).map((c: J) => c.name).join(',');
const images = (spec: J) => (spec?.containers ?? []).map((c: J) => c.image).join(',');
const selector = (s: J) => {
  if (!s) return '<none>';
  const str = labelSelectorString(s);
  return str || '<none>';
};

function servicePorts(spec: J): string {
  const ps = spec?.ports ?? [];
  if (!ps.length) return '<none>';
  return ps.map((p: J) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function externalIP(svc: KObj): string {
  const spec = svc.spec ?? {};
  const ext: string[] = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP': case 'NodePort': case undefined:
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const ing = (svc.status?.loadBalancer?.ingress ?? []).map((i: J) => i.ip || i.hostname).filter(Boolean);
      const all = [...ing, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '<none>';
    default:
      return '<unknown>';
  }
}

function nodeStatus(n: KObj): string {
  const ready = (n.status?.conditions ?? []).find((c: J) => c.type === 'Ready');
  // As kubectl's printNode: any Ready status but True (False or Unknown) prints NotReady.
  let s = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (n.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(n: KObj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const addr = (n: KObj, type: string) => (n.status?.addresses ?? []).find((a: J) => a.type === type)?.address ?? '<none>';

function jobStatus(j: KObj): string {
  const conds: J[] = j.status?.conditions ?? [];
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (j.metadata.deletionTimestamp) return 'Terminating';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

function jobCompletions(j: KObj): string {
  const s = j.spec ?? {}, succeeded = j.status?.succeeded ?? 0;
  if (s.completions !== undefined && s.completions !== null) return `${succeeded}/${s.completions}`;
  const p = s.parallelism ?? 0;
  return p > 1 ? `${succeeded}/1 of ${p}` : `${succeeded}/1`;
}

function jobDuration(j: KObj, now: number): string {
  const st = j.status ?? {};
  if (!st.startTime) return '';
  const end = st.completionTime ? Date.parse(st.completionTime) : now;
  return humanDuration(end - Date.parse(st.startTime));
}

function eventSource(e: KObj): string {
  const c = e.source?.component ?? e.reportingComponent ?? '';
  const h = e.source?.host ?? e.reportingInstance ?? '';
  return h ? `${c}, ${h}` : c;
}

function eventLastSeen(e: KObj, now: number): string {
  if (e.series?.lastObservedTime) return since(e.series.lastObservedTime, now);
  if (e.lastTimestamp) return since(e.lastTimestamp, now);
  return since(e.eventTime ?? e.metadata.creationTimestamp, now);
}

function hpaTargets(h: KObj): string {
  const metrics: J[] = h.spec?.metrics ?? [];
  const current: J[] = h.status?.currentMetrics ?? [];
  if (!metrics.length) return '<none>';
  const parts = metrics.slice(0, 2).map((m, i) => {
    if (m.type === 'Resource') {
      const t = m.resource?.target ?? {};
      const cur = current[i]?.resource?.current;
      if (t.averageUtilization !== undefined) {
        return `${m.resource.name}: ${cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>'}/${t.averageUtilization}%`;
      }
      return `${m.resource.name}: ${cur?.averageValue ?? '<unknown>'}/${t.averageValue ?? t.value}`;
    }
    return `${m.type}: <unknown>`;
  });
  if (metrics.length > 2) parts.push(`+ ${metrics.length - 2} more...`);
  return parts.join(', ');
}

function endpointsStr(e: KObj): string {
  const out: string[] = [];
  let count = 0;
  for (const s of e.subsets ?? []) {
    for (const a of s.addresses ?? []) {
      for (const p of s.ports?.length ? s.ports : [{}]) {
        count++;
        if (out.length < 3) out.push(p.port ? `${a.ip}:${p.port}` : a.ip);
      }
    }
  }
  if (!count) return '<none>';
  return count > 3 ? `${out.join(',')} + ${count - 3} more...` : out.join(',');
}

/** kubectl's listWithMoreString: up to 3 items, then "+ N more...", "<unset>" when empty. */
function listWithMore(items: string[]): string {
  if (!items.length) return '<unset>';
  return items.length > 3 ? `${items.slice(0, 3).join(',')} + ${items.length - 3} more...` : items.join(',');
}
const slicePorts = (ports: J[] | undefined) => listWithMore((ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : p.name ?? '*')));
const sliceEndpoints = (eps: J[] | undefined) => listWithMore((eps ?? []).flatMap((e) => e.addresses ?? []));

const PRINTERS: Record<string, Printer> = {
  '/pods': {
    columns: [NAME, col('Ready'), col('Status'), col('Restarts', 'string'), AGE, col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
    cells(o, now) {
      const p = podCells(o, now);
      const gates: J[] = o.spec?.readinessGates ?? [];
      const gateStr = gates.length
        ? `${gates.filter((g) => (o.status?.conditions ?? []).find((c: J) => c.type === g.conditionType)?.status === 'True').length}/${gates.length}`
        : '<none>';
      return [o.metadata.name!, p.ready, p.status, p.restarts, age(o, now),
        none(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP), none(o.spec?.nodeName), none(o.status?.nominatedNodeName), gateStr];
    },
    conditions(o) {
      const ph = o.status?.phase;
      if (ph === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: '', message: 'The pod has completed successfully.' }];
      if (ph === 'Failed') return [{ type: 'Completed', status: 'True', reason: '', message: 'The pod failed.' }];
      return undefined;
    },
  },
  'apps/deployments': {
    columns: [NAME, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o, now) => [o.metadata.name!, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0, age(o, now),
      containers(o.spec?.template?.spec), images(o.spec?.template?.spec), selector(o.spec?.selector)],
  },
  'apps/replicasets': {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o, now) => [o.metadata.name!, o.spec?.replicas ?? 0, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0, age(o, now),
      containers(o.spec?.template?.spec), images(o.spec?.template?.spec), selector(o.spec?.selector)],
  },
  'apps/statefulsets': {
    columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
    cells: (o, now) => [o.metadata.name!, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, age(o, now), containers(o.spec?.template?.spec), images(o.spec?.template?.spec)],
  },
  'apps/daemonsets': {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Node Selector'), AGE,
      col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o, now) => {
      const s = o.status ?? {};
      return [o.metadata.name!, s.desiredNumberScheduled ?? 0, s.currentNumberScheduled ?? 0, s.numberReady ?? 0, s.updatedNumberScheduled ?? 0, s.numberAvailable ?? 0,
        labelsStr(o.spec?.template?.spec?.nodeSelector), age(o, now), containers(o.spec?.template?.spec), images(o.spec?.template?.spec), selector(o.spec?.selector)];
    },
  },
  'apps/controllerrevisions': {
    columns: [NAME, col('Controller'), col('Revision', 'integer'), AGE],
    cells: (o, now) => {
      const owner = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
      const ctl = owner ? `${owner.kind.toLowerCase()}.${owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : ''}/${owner.name}`.replace('./', '/') : '<none>';
      return [o.metadata.name!, ctl, o.revision ?? 0, age(o, now)];
    },
  },
  'batch/jobs': {
    columns: [NAME, col('Status'), col('Completions'), col('Duration'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o, now) => [o.metadata.name!, jobStatus(o), jobCompletions(o), jobDuration(o, now), age(o, now),
      containers(o.spec?.template?.spec), images(o.spec?.template?.spec), selector(o.spec?.selector)],
  },
  'batch/cronjobs': {
    columns: [NAME, col('Schedule'), col('Timezone'), col('Suspend', 'boolean'), col('Active', 'integer'), col('Last Schedule'), AGE,
      col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o, now) => [o.metadata.name!, o.spec?.schedule ?? '', none(o.spec?.timeZone), (o.spec?.suspend ? 'True' : 'False'), (o.status?.active ?? []).length,
      o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>', age(o, now),
      containers(o.spec?.jobTemplate?.spec?.template?.spec), images(o.spec?.jobTemplate?.spec?.template?.spec), selector(o.spec?.jobTemplate?.spec?.selector)],
  },
  '/services': {
    columns: [NAME, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), AGE, col('Selector', 'string', 1)],
    cells: (o, now) => [o.metadata.name!, o.spec?.type ?? 'ClusterIP', none(o.spec?.clusterIP), externalIP(o), servicePorts(o.spec), age(o, now), labelsStr(o.spec?.selector)],
  },
  '/endpoints': {
    columns: [NAME, col('Endpoints'), AGE],
    cells: (o, now) => [o.metadata.name!, endpointsStr(o), age(o, now)],
  },
  '/nodes': {
    columns: [NAME, col('Status'), col('Roles'), AGE, col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
    cells: (o, now) => {
      const ni = o.status?.nodeInfo ?? {};
      return [o.metadata.name!, nodeStatus(o), nodeRoles(o), age(o, now), ni.kubeletVersion ?? '', addr(o, 'InternalIP'), addr(o, 'ExternalIP'),
        ni.osImage ?? '<unknown>', ni.kernelVersion ?? '<unknown>', ni.containerRuntimeVersion ?? '<unknown>'];
    },
  },
  '/namespaces': {
    columns: [NAME, col('Status'), AGE],
    cells: (o, now) => [o.metadata.name!, o.status?.phase ?? '', age(o, now)],
  },
  '/events': {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message'),
      col('First Seen', 'string', 1), col('Count', 'string', 1), col('Name', 'string', 1)],
    cells: (o, now) => {
      const io = o.involvedObject ?? o.regarding ?? {};
      return [eventLastSeen(o, now), o.type ?? '', o.reason ?? '', `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`, io.fieldPath ?? '',
        eventSource(o), o.message ?? o.note ?? '', o.firstTimestamp ? since(o.firstTimestamp, now) : since(o.eventTime ?? o.metadata.creationTimestamp, now),
        String(o.count ?? o.series?.count ?? 1), o.metadata.name!];
    },
  },
  '/configmaps': {
    columns: [NAME, col('Data', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name!, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)],
  },
  '/secrets': {
    columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name!, o.type ?? 'Opaque', Object.keys(o.data ?? {}).length, age(o, now)],
  },
  '/serviceaccounts': {
    columns: [NAME, col('Secrets', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name!, (o.secrets ?? []).length, age(o, now)],
  },
  '/persistentvolumeclaims': {
    columns: [NAME, col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'), AGE, col('VolumeMode', 'string', 1)],
    cells: (o, now) => [o.metadata.name!, o.status?.phase ?? '', o.spec?.volumeName ?? '', o.status?.capacity?.storage ?? '', accessModes(o.status?.accessModes),
      o.spec?.storageClassName ?? '', none(o.spec?.volumeAttributesClassName), age(o, now), o.spec?.volumeMode ?? '<unset>'],
  },
  '/persistentvolumes': {
    columns: [NAME, col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'), col('StorageClass'), col('VolumeAttributesClass'), col('Reason'), AGE,
      col('VolumeMode', 'string', 1)],
    cells: (o, now) => [o.metadata.name!, o.spec?.capacity?.storage ?? '', accessModes(o.spec?.accessModes), o.spec?.persistentVolumeReclaimPolicy ?? '', o.status?.phase ?? '',
      o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : '', o.spec?.storageClassName ?? '', none(o.spec?.volumeAttributesClassName), o.status?.reason ?? '',
      age(o, now), o.spec?.volumeMode ?? '<unset>'],
  },
  'storage.k8s.io/storageclasses': {
    columns: [NAME, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion', 'boolean'), AGE],
    cells: (o, now) => {
      const def = o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
      return [def ? `${o.metadata.name} (default)` : o.metadata.name!, o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate',
        String(Boolean(o.allowVolumeExpansion)), age(o, now)];
    },
  },
  'autoscaling/horizontalpodautoscalers': {
    columns: [NAME, col('Reference'), col('Targets'), col('MinPods', 'string'), col('MaxPods', 'integer'), col('Replicas', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name!, `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`, hpaTargets(o),
      String(o.spec?.minReplicas ?? 1), o.spec?.maxReplicas ?? 0, o.status?.currentReplicas ?? 0, age(o, now)],
  },
  'policy/poddisruptionbudgets': {
    columns: [NAME, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name!, o.spec?.minAvailable !== undefined ? String(o.spec.minAvailable) : 'N/A',
      o.spec?.maxUnavailable !== undefined ? String(o.spec.maxUnavailable) : 'N/A', o.status?.disruptionsAllowed ?? 0, age(o, now)],
  },
  'networking.k8s.io/ingresses': {
    columns: [NAME, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE],
    cells: (o, now) => {
      const hosts = (o.spec?.rules ?? []).map((r: J) => r.host).filter(Boolean);
      const addrs = (o.status?.loadBalancer?.ingress ?? []).map((i: J) => i.ip || i.hostname).filter(Boolean);
      return [o.metadata.name!, o.spec?.ingressClassName ?? '<none>', hosts.length ? hosts.join(',') : '*', addrs.join(','), o.spec?.tls?.length ? '80, 443' : '80', age(o, now)];
    },
  },
  'discovery.k8s.io/endpointslices': {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    cells: (o, now) => [o.metadata.name!, o.addressType ?? '', slicePorts(o.ports), sliceEndpoints(o.endpoints), age(o, now)],
  },
  'coordination.k8s.io/leases': {
    columns: [NAME, col('Holder'), AGE],
    cells: (o, now) => [o.metadata.name!, o.spec?.holderIdentity ?? '', age(o, now)],
  },
  'apiextensions.k8s.io/customresourcedefinitions': {
    columns: [NAME, col('Created At', 'date')],
    cells: (o) => [o.metadata.name!, o.metadata.creationTimestamp ?? ''],
  },
};
PRINTERS['events.k8s.io/events'] = PRINTERS['/events']!;
Object.assign(PRINTERS, ADMIN_PRINTERS);

function accessModes(m: string[] | undefined): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return (m ?? []).map((x) => short[x] ?? x).join(',');
}

/** Evaluates a CRD printer column's simple JSONPath (`.spec.x`, `.status.conditions[?(@.type=="Ready")].status`, `.a[0].b`). */
export function jsonPathValue(o: J, path: string): J {
  const p = path.trim().replace(/^\{|\}$/g, '').replace(/^\$/, '');
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*["']([^"']*)["']\)\]|\['([^']+)'\]/g;
  let cur: J = o;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p)) && cur !== undefined && cur !== null) {
    if (m[1] !== undefined) cur = cur[m[1]];
    else if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    else if (m[3] !== undefined) cur = Array.isArray(cur) ? cur.find((x: J) => String(jsonPathValue(x, `.${m![3]}`)) === m![4]) : undefined;
    else if (m[5] !== undefined) cur = cur[m[5]];
  }
  return cur;
}

function crdPrinter(cols: PrinterColumn[] | undefined): Printer {
  const pcs = cols?.length ? cols : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];
  return {
    columns: [NAME, ...pcs.map((c) => col(c.name, c.type === 'date' ? 'date' : c.type, c.priority ?? 0, c.format ?? ''))],
    cells: (o, now) => [o.metadata.name!, ...pcs.map((c) => {
      const v = jsonPathValue(o, c.jsonPath);
      if (v === undefined || v === null) return null;
      if (c.type === 'date') return since(String(v), now);
      if (typeof v === 'object') return JSON.stringify(v);
      if (c.type === 'integer' || c.type === 'number') return typeof v === 'number' ? v : Number(v);
      if (c.type === 'boolean') return typeof v === 'boolean' ? v : v === 'true';
      return String(v);
    })],
  };
}

const DEFAULT: Printer = { columns: [NAME, AGE], cells: (o, now) => [o.metadata.name!, age(o, now)] };

export function printerFor(rt: ResourceType): Printer {
  if (rt.crd) return crdPrinter(rt.printerColumns);
  return PRINTERS[`${rt.group}/${rt.plural}`] ?? DEFAULT;
}

/** Metadata for a row: the stored metadata minus managedFields, shallow-copied. */
function rowMeta(o: KObj): J {
  const { managedFields: _mf, ...rest } = o.metadata;
  return rest;
}

/** Serialises a Table straight to a string (rows are produced without copying objects). */
export function tableJson(rt: ResourceType, items: KObj[], listMeta: Record<string, J>, includeObject = 'Metadata'): string {
  const p = printerFor(rt);
  const now = Date.now();
  const parts: string[] = [];
  for (const o of items) {
    let cells: Cell[];
    try {
      cells = p.cells(o, now);
    } catch {
      cells = p.columns.map((_, i) => (i === 0 ? o.metadata.name! : ''));
    }
    const conds = p.conditions?.(o);
    const object = includeObject === 'None' ? undefined
      : includeObject === 'Object' ? o
      : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: rowMeta(o) };
    parts.push(JSON.stringify({ cells, ...(conds ? { conditions: conds } : {}), ...(object ? { object } : {}) }));
  }
  return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(listMeta)},"columnDefinitions":${JSON.stringify(p.columns)},"rows":[${parts.join(',')}]}`;
}
