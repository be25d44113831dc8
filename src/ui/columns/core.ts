/** Services, nodes, events, config, storage, policy and networking kinds — kubectl's columns. */
import type { KubeObject } from '../../kube/types.js';
import { AGE, NAME, age, col, countCol, num, orNone, timestamp } from './format.js';
import type { Health, KindView } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function servicePorts(o: KubeObject): string {
  const ports: Any[] = o.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIP(o: KubeObject): string {
  const type = o.spec?.type ?? 'ClusterIP';
  const ips: string[] = o.spec?.externalIPs ?? [];
  const lb: string[] = (o.status?.loadBalancer?.ingress ?? []).map((i: Any) => i.ip ?? i.hostname).filter(Boolean);
  if (type === 'ExternalName') return o.spec?.externalName ?? '<none>';
  if (type === 'LoadBalancer') return [...lb, ...ips].join(',') || '<pending>';
  return ips.length ? ips.join(',') : '<none>';
}

export const servicesView: KindView = {
  columns: [
    NAME,
    col('TYPE', 9, (o) => o.spec?.type ?? 'ClusterIP'),
    col('CLUSTER-IP', 10, (o) => o.spec?.clusterIP ?? '<none>', { max: 15 }),
    col('EXTERNAL-IP', 11, externalIP, { max: 20 }),
    col('PORT(S)', 7, servicePorts, { max: 30 }),
    AGE,
  ],
  health: (o) => (o.spec?.type === 'LoadBalancer' && externalIP(o) === '<pending>' ? 'warn' : 'ok'),
};

export function nodeStatus(o: KubeObject): string {
  const ready = (o.status?.conditions ?? []).find((c: Any) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (o.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: KubeObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  if (o.metadata.labels?.['kubernetes.io/role']) roles.push(o.metadata.labels['kubernetes.io/role']);
  return roles.length ? roles.sort().join(',') : '<none>';
}

export const nodesView: KindView = {
  columns: [NAME, col('STATUS', 8, nodeStatus, { max: 28 }), col('ROLES', 6, nodeRoles, { max: 20 }), AGE, col('VERSION', 7, (o) => o.status?.nodeInfo?.kubeletVersion ?? '', { max: 12 })],
  health: (o) => {
    const s = nodeStatus(o);
    return s.startsWith('Ready') ? (s.includes('SchedulingDisabled') ? 'warn' : 'ok') : 'error';
  },
};

export function eventLastSeen(o: KubeObject): number {
  return timestamp(o.series?.lastObservedTime) ?? timestamp(o.lastTimestamp) ?? timestamp(o.eventTime) ?? timestamp(o.metadata.creationTimestamp) ?? 0;
}

/** How many times it happened: the series' count (events.k8s.io), else the core count. */
export function eventCount(o: KubeObject): number {
  return Number(o.series?.count ?? o.count ?? 1) || 1;
}

export const eventsView: KindView = {
  columns: [
    col('LAST SEEN', 9, (o, ctx) => age(new Date(eventLastSeen(o)).toISOString(), ctx.now), { sortKey: (o) => -eventLastSeen(o), max: 9 }),
    col('TYPE', 7, (o) => o.type ?? '', { max: 7 }),
    col('REASON', 8, (o) => o.reason ?? '', { max: 22 }),
    col('OBJECT', 12, (o) => `${(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`, { max: 60, keep: 'always' }),
    col('COUNT', 5, (o) => String(eventCount(o)), { sortKey: (o) => eventCount(o), max: 7, keep: 'wide' }),
    { name: 'MESSAGE', min: 16, flex: true, value: (o) => o.message ?? o.note ?? '' },
  ],
  health: (o) => (o.type === 'Warning' ? 'warn' : 'ok'),
};

const dataCount = (o: KubeObject) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length;

export const configMapsView: KindView = { columns: [NAME, countCol('DATA', dataCount), AGE], health: () => 'ok' };

export const secretsView: KindView = {
  columns: [NAME, col('TYPE', 6, (o) => o.type ?? 'Opaque', { max: 36 }), countCol('DATA', (o) => Object.keys(o.data ?? {}).length), AGE],
  health: () => 'ok',
};

export const namespacesView: KindView = {
  columns: [NAME, col('STATUS', 6, (o) => o.status?.phase ?? 'Active'), AGE],
  health: (o) => (o.status?.phase === 'Terminating' ? 'muted' : 'ok'),
};

const accessModes = (modes: string[] | undefined) =>
  (modes ?? []).map((m) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' } as Record<string, string>)[m] ?? m).join(',');

function phaseHealth(phase: string | undefined, good: string[]): Health {
  if (!phase) return 'warn';
  if (good.includes(phase)) return 'ok';
  return phase === 'Pending' || phase === 'Available' || phase === 'Released' ? 'warn' : 'error';
}

export const pvcsView: KindView = {
  columns: [
    NAME,
    col('STATUS', 6, (o) => o.status?.phase ?? ''),
    col('VOLUME', 6, (o) => o.spec?.volumeName ?? '', { max: 40 }),
    col('CAPACITY', 8, (o) => o.status?.capacity?.storage ?? ''),
    col('ACCESS MODES', 12, (o) => accessModes(o.status?.accessModes)),
    col('STORAGECLASS', 12, (o) => orNone(o.spec?.storageClassName), { max: 20 }),
    col('VOLUMEATTRIBUTESCLASS', 21, (o) => orNone(o.spec?.volumeAttributesClassName)),
    AGE,
  ],
  health: (o) => phaseHealth(o.status?.phase, ['Bound']),
};

export const pvsView: KindView = {
  columns: [
    NAME,
    col('CAPACITY', 8, (o) => o.spec?.capacity?.storage ?? ''),
    col('ACCESS MODES', 12, (o) => accessModes(o.spec?.accessModes)),
    col('RECLAIM POLICY', 14, (o) => o.spec?.persistentVolumeReclaimPolicy ?? ''),
    col('STATUS', 6, (o) => o.status?.phase ?? ''),
    col('CLAIM', 5, (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : ''), { max: 40 }),
    col('STORAGECLASS', 12, (o) => o.spec?.storageClassName ?? '', { max: 20 }),
    col('VOLUMEATTRIBUTESCLASS', 21, (o) => orNone(o.spec?.volumeAttributesClassName)),
    col('REASON', 6, (o) => o.status?.reason ?? ''),
    AGE,
  ],
  health: (o) => phaseHealth(o.status?.phase, ['Bound', 'Available']),
};

function hpaTargets(o: KubeObject): string {
  const metrics: Any[] = o.spec?.metrics ?? [];
  const current: Any[] = o.status?.currentMetrics ?? [];
  if (metrics.length === 0) return '<none>';
  return metrics
    .map((m, i) => {
      if (m.type === 'Resource') {
        const cur = current[i]?.resource?.current?.averageUtilization;
        const want = m.resource?.target?.averageUtilization;
        return `${m.resource?.name ?? 'cpu'}: ${cur === undefined ? '<unknown>' : `${cur}%`}/${want ?? '?'}%`;
      }
      return `${m.type}: <unknown>`;
    })
    .join(', ');
}

export const hpasView: KindView = {
  columns: [
    NAME,
    col('REFERENCE', 9, (o) => `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`, { max: 36 }),
    col('TARGETS', 7, hpaTargets, { max: 36 }),
    col('MINPODS', 7, (o) => String(o.spec?.minReplicas ?? 1)),
    countCol('MAXPODS', (o) => o.spec?.maxReplicas),
    countCol('REPLICAS', (o) => o.status?.currentReplicas),
    AGE,
  ],
  health: () => 'ok',
};

export const pdbsView: KindView = {
  columns: [
    NAME,
    col('MIN AVAILABLE', 13, (o) => (o.spec?.minAvailable === undefined ? 'N/A' : String(o.spec.minAvailable))),
    col('MAX UNAVAILABLE', 15, (o) => (o.spec?.maxUnavailable === undefined ? 'N/A' : String(o.spec.maxUnavailable))),
    countCol('ALLOWED DISRUPTIONS', (o) => o.status?.disruptionsAllowed),
    AGE,
  ],
  health: (o) => (num(o.status?.disruptionsAllowed) > 0 ? 'ok' : 'warn'),
};

export const ingressesView: KindView = {
  columns: [
    NAME,
    col('CLASS', 5, (o) => orNone(o.spec?.ingressClassName)),
    col('HOSTS', 5, (o) => (o.spec?.rules ?? []).map((r: Any) => r.host).filter(Boolean).join(',') || '*', { max: 40 }),
    col('ADDRESS', 7, (o) => (o.status?.loadBalancer?.ingress ?? []).map((i: Any) => i.ip ?? i.hostname).join(','), { max: 20 }),
    col('PORTS', 5, (o) => ((o.spec?.tls ?? []).length ? '80, 443' : '80')),
    AGE,
  ],
  health: () => 'ok',
};

export const endpointsView: KindView = {
  columns: [
    NAME,
    col('ENDPOINTS', 9, (o) => {
      const list: string[] = [];
      for (const s of (o.subsets ?? []) as Any[]) for (const a of s.addresses ?? []) for (const p of s.ports ?? [{}]) list.push(p.port ? `${a.ip}:${p.port}` : a.ip);
      if (list.length === 0) return '<none>';
      return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
    }, { max: 50 }),
    AGE,
  ],
  health: (o) => ((o.subsets ?? []).some((s: Any) => (s.addresses ?? []).length) ? 'ok' : 'warn'),
};

export const serviceAccountsView: KindView = { columns: [NAME, countCol('SECRETS', (o) => (o.secrets ?? []).length), AGE], health: () => 'ok' };

/** Any other kind (CRDs included): NAME AGE, like kubectl without a printer. */
export const genericView: KindView = { columns: [NAME, AGE], health: () => 'ok' };
