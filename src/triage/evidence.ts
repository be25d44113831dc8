/**
 * The evidence bundle for one object (or a finding's object): what a person would gather by hand with
 * kubectl — the relevant spec, its pods, log tails including the previous container, warning events,
 * the memory trend, and related objects (owner, Services, claims, policies, HPA/PDB). Pure over a snapshot.
 */
import type { KubeObject } from '../kube/types.js';
import { formatMemory } from '../kube/metrics.js';
import { matches } from '../ops/selectors.js';
import { containers, isTerminating, short } from './analyzers/common.js';
import { errorRate } from './analyzers/logs.js';
import { eventTime, type Snapshot } from './snapshot.js';
import { refKey, type ObjectRef } from './types.js';

export interface LogTail { pod: string; container: string; previous: boolean; lines: string[]; errorsPerMinute?: number }

export interface EvidenceBundle {
  object: ObjectRef;
  found: boolean;
  spec: string[];
  pods: string[];
  logs: LogTail[];
  events: string[];
  metrics: string[];
  related: ObjectRef[];
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Pod']);

export function evidenceFor(s: Snapshot, ref: ObjectRef, opts: { logLines?: number; maxPods?: number } = {}): EvidenceBundle {
  const obj = s.resolve(ref);
  const b: EvidenceBundle = { object: ref, found: Boolean(obj), spec: [], pods: [], logs: [], events: [], metrics: [], related: [] };
  if (!obj) return b;
  const pods = podsFor(s, ref);
  b.spec = specExcerpt(s, ref, obj);
  const live = pods.filter((p) => !isTerminating(p));
  b.pods = live.slice(0, 10).map(podLine);
  const n = opts.logLines ?? 10;
  for (const p of live.slice(0, opts.maxPods ?? 2)) {
    for (const c of containers(p)) {
      for (const previous of [true, false]) {
        const lines = s.logLines(p.metadata.namespace ?? '', p.metadata.name, c.name, previous);
        if (!lines.length) continue;
        const rate = errorRate(lines);
        b.logs.push({ pod: p.metadata.name, container: c.name, previous, lines: lines.slice(-n), errorsPerMinute: rate ? Math.round(rate.perMinute * 10) / 10 : undefined });
      }
    }
  }
  const evs = [...s.events(ref.kind, ref.namespace, ref.name), ...live.slice(0, 5).flatMap((p) => s.events('Pod', p.metadata.namespace, p.metadata.name))]
    .filter((e) => e.type === 'Warning').sort((a, c) => eventTime(a) - eventTime(c)).slice(-10);
  b.events = evs.map((e) => `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''} ${e.reason}${e.count > 1 ? ` (×${e.count})` : ''}: ${short(e.message, 200)}`);
  for (const p of live.slice(0, 5)) {
    const series = s.memory.get(`${p.metadata.namespace}/${p.metadata.name}`);
    if (series?.length) b.metrics.push(`pod ${p.metadata.name} memory: ${series.map(([, v]) => formatMemory(v)).join(' → ')}`);
  }
  b.related = related(s, ref, obj, live);
  return b;
}

/** The pods behind an object: its own, a workload's, a Service's, a claim's users, a node's. */
export function podsFor(s: Snapshot, ref: ObjectRef): KubeObject[] {
  const obj = s.resolve(ref);
  if (!obj) return [];
  return ref.kind === 'Pod' ? [obj] : WORKLOADS.has(ref.kind) ? s.podsOfWorkload(ref)
    : ref.kind === 'Service' ? s.podsForService(obj) : ref.kind === 'PersistentVolumeClaim' ? s.inNamespace('pods', ref.namespace).filter((p) => (p.spec?.volumes ?? []).some((v: KubeObject) => v.persistentVolumeClaim?.claimName === ref.name))
    : ref.kind === 'Node' ? s.all('pods').filter((p) => p.spec?.nodeName === ref.name) : [];
}

function podLine(p: KubeObject): string {
  const st = containers(p).filter((c) => !c.init).map((c) => {
    const s = c.status;
    const state = s?.state?.waiting?.reason ?? (s?.state?.terminated ? `Terminated(${s.state.terminated.reason ?? s.state.terminated.exitCode})` : s?.state?.running ? (s.ready ? 'Running, ready' : 'Running, not ready') : 'no status');
    return `${c.name}: ${state}${s?.restartCount ? `, ${s.restartCount} restarts` : ''}${s?.lastState?.terminated ? `, last ${s.lastState.terminated.reason ?? ''} exit ${s.lastState.terminated.exitCode}` : ''}`;
  });
  return `${p.metadata.name} ${p.status?.phase ?? '?'}${p.spec?.nodeName ? ` on ${p.spec.nodeName}` : ''} — ${st.join('; ')}`;
}

function specExcerpt(s: Snapshot, ref: ObjectRef, obj: KubeObject): string[] {
  const out: string[] = [];
  const tpl = WORKLOADS.has(ref.kind) ? s.podSpec(ref) : undefined;
  if (ref.kind !== 'Pod' && obj.spec?.replicas !== undefined) out.push(`replicas: ${obj.spec.replicas}`);
  if (tpl) {
    if (tpl.serviceAccountName && tpl.serviceAccountName !== 'default') out.push(`serviceAccountName: ${tpl.serviceAccountName}`);
    for (const c of [...(tpl.initContainers ?? []).map((c: KubeObject) => ({ ...c, init: true })), ...(tpl.containers ?? [])] as KubeObject[]) {
      out.push(`${c.init ? 'initContainer' : 'container'} ${c.name}: image ${c.image}`);
      if (c.ports?.length) out.push(`  ports: ${c.ports.map((p: KubeObject) => `${p.containerPort}${p.name ? `/${p.name}` : ''}`).join(', ')}`);
      if (c.resources && Object.keys(c.resources).length) out.push(`  resources: ${JSON.stringify(c.resources)}`);
      for (const k of ['readinessProbe', 'livenessProbe'] as const) if (c[k]) out.push(`  ${k}: ${JSON.stringify(c[k].httpGet ?? c[k].tcpSocket ?? c[k].exec ?? {})}`);
      const refs = ((c.env ?? []) as KubeObject[]).filter((e) => e.valueFrom).map((e) => `${e.name}←${e.valueFrom.secretKeyRef ? `secret ${e.valueFrom.secretKeyRef.name}` : e.valueFrom.configMapKeyRef ? `configmap ${e.valueFrom.configMapKeyRef.name}` : 'field'}`);
      if (refs.length) out.push(`  env from: ${refs.join(', ')}`);
    }
    const vols = ((tpl.volumes ?? []) as KubeObject[]).map((v) => v.persistentVolumeClaim ? `${v.name}: claim ${v.persistentVolumeClaim.claimName}` : v.configMap ? `${v.name}: configmap ${v.configMap.name}` : v.secret ? `${v.name}: secret ${v.secret.secretName}` : undefined).filter(Boolean);
    if (vols.length) out.push(`volumes: ${vols.join(', ')}`);
  } else if (ref.kind === 'Service') {
    out.push(`selector: ${JSON.stringify(obj.spec?.selector ?? {})}`, `ports: ${((obj.spec?.ports ?? []) as KubeObject[]).map((p) => `${p.name ? `${p.name} ` : ''}${p.port}→${p.targetPort ?? p.port}`).join(', ')}`);
  } else if (obj.spec) {
    out.push(...JSON.stringify(obj.spec).match(/.{1,160}/g)!.slice(0, 6));
  }
  if (obj.status?.conditions) for (const c of obj.status.conditions as KubeObject[]) if (c.status !== 'True' || /Failed|Pressure/.test(c.type)) out.push(`condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${short(c.message, 140)}` : ''}`);
  return out;
}

function related(s: Snapshot, ref: ObjectRef, obj: KubeObject, pods: KubeObject[]): ObjectRef[] {
  const out = new Map<string, ObjectRef>();
  const add = (r: ObjectRef) => { if (refKey(r) !== refKey(ref)) out.set(refKey(r), r); };
  const ns = ref.namespace;
  for (const o of obj.metadata.ownerReferences ?? []) add({ kind: o.kind, namespace: ns, name: o.name });
  if (ref.kind === 'Pod') add(s.workloadOf(obj));
  for (const svc of s.inNamespace('services', ns)) if (pods.some((p) => s.podsForService(svc).includes(p))) add({ kind: 'Service', namespace: ns, name: svc.metadata.name });
  for (const p of pods) for (const v of (p.spec?.volumes ?? []) as KubeObject[]) if (v.persistentVolumeClaim) add({ kind: 'PersistentVolumeClaim', namespace: ns, name: v.persistentVolumeClaim.claimName });
  for (const np of s.inNamespace('networkpolicies', ns)) if (pods.some((p) => matches(np.spec?.podSelector ?? {}, p.metadata.labels))) add({ kind: 'NetworkPolicy', namespace: ns, name: np.metadata.name });
  for (const h of s.inNamespace('horizontalpodautoscalers', ns)) if (h.spec?.scaleTargetRef?.name === ref.name && h.spec?.scaleTargetRef?.kind === ref.kind) add({ kind: 'HorizontalPodAutoscaler', namespace: ns, name: h.metadata.name });
  for (const d of s.inNamespace('poddisruptionbudgets', ns)) if (pods.some((p) => matches(d.spec?.selector, p.metadata.labels))) add({ kind: 'PodDisruptionBudget', namespace: ns, name: d.metadata.name });
  if (ref.kind === 'Service') for (const p of pods.slice(0, 3)) add(s.workloadOf(p));
  return [...out.values()];
}

/** Plain-text rendering (headless `explain` and the pulse pane's evidence view). */
export function renderEvidence(b: EvidenceBundle, clean: (s: string) => string = (x) => x): string[] {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => { if (lines.length) out.push(`${title}:`, ...lines.map((l) => `  ${clean(l)}`)); };
  section('Spec', b.spec);
  section('Pods', b.pods);
  for (const l of b.logs) section(`Log ${l.pod}/${l.container}${l.previous ? ' (previous container)' : ''}${l.errorsPerMinute !== undefined ? ` — ${l.errorsPerMinute} error lines/min` : ''}`, l.lines);
  section('Warning events', b.events);
  section('Metrics', b.metrics);
  section('Related', b.related.map((r) => `${r.kind}/${r.name}${r.namespace ? ` (${r.namespace})` : ''}`));
  return out;
}
