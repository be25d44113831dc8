/**
 * The scheduler: binds each pod without a nodeName to a node whose allocatable minus the
 * requests already placed fits it, honouring nodeSelector, required node affinity on labels,
 * taints/tolerations (NoSchedule/NoExecute), cordoned nodes, extended resources and required
 * inter-pod (anti-)affinity (scheduler-rules.ts). When nothing fits the pod stays
 * Pending with PodScheduled=False/Unschedulable and a FailedScheduling event in the real
 * message format; it is retried whenever nodes or pods change.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { startController, splitKey, type Controller } from './framework.js';
import { GR, nowIso, parseCpu, parseMemory, podRequests, selectorMatches } from './util.js';
import { ANTI_AFFINITY_MISMATCH, EXISTING_ANTI_AFFINITY, extendedShortfalls, interPodMisfit } from './scheduler-rules.js';

const SRC = { component: 'default-scheduler' };

export function installScheduler(ctx: SimContext): Controller {
  const unschedulable = new Set<string>();
  const c = startController(ctx, 'scheduler', (ev) => {
    if (ev.key === '/pods') {
      const p = ev.object;
      if (ev.type === 'DELETED') {
        unschedulable.delete(`${p.metadata.namespace}/${p.metadata.name}`);
        // Freed capacity: retry the pods waiting for room.
        return p.spec?.nodeName ? [...unschedulable] : undefined;
      }
      if (!p.spec?.nodeName && !p.metadata.deletionTimestamp && (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler') {
        return `${p.metadata.namespace}/${p.metadata.name}`;
      }
      return;
    }
    if (ev.key === '/nodes' || ev.key === '/persistentvolumeclaims') return [...unschedulable];
  }, (key, ctl) => {
    const ok = schedule(ctx, ctl, key);
    if (ok === false) {
      unschedulable.add(key);
      // Unschedulable pods are retried on cluster changes, and at the latest after a minute.
      ctl.queue.addAfter(key, 60_000);
    } else unschedulable.delete(key);
  });
  return c;
}

interface NodeFit { node: KObj; reason?: string }

function schedule(ctx: SimContext, c: Controller, key: string): boolean | undefined {
  const { ns, name } = splitKey(key);
  const pod = ctx.store.peek(GR.pods, ns, name);
  if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return undefined;
  const nodes = c.index.list(GR.nodes);
  const claimProblem = unboundClaim(ctx, pod);
  if (claimProblem) {
    const n = nodes.length;
    markUnschedulable(ctx, pod, `0/${n} nodes are available: ${claimProblem}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`);
    return false;
  }
  const req = podRequests(pod);
  const fits: NodeFit[] = nodes.map((node) => ({ node, reason: misfit(c, node, pod, req) }));
  const ok = fits.filter((f) => !f.reason);
  if (ok.length === 0) {
    markUnschedulable(ctx, pod, failureMessage(fits));
    return false;
  }
  // Least allocated first (what the default scoring prefers), ties by name.
  const chosen = ok.map((f) => ({ node: f.node, score: freeScore(c, f.node, pod) })).sort((a, b) => b.score - a.score || (a.node.metadata.name! < b.node.metadata.name! ? -1 : 1))[0]!.node;
  bindPod(ctx, pod, chosen.metadata.name!);
  return true;
}

/** Claims must exist and be bound before scheduling (Immediate binding), as the VolumeBinding plugin demands. */
function unboundClaim(ctx: SimContext, pod: KObj): string | undefined {
  for (const v of (pod.spec?.volumes ?? []) as KObj[]) {
    const name = v.persistentVolumeClaim?.claimName as string | undefined;
    if (!name) continue;
    const pvc = ctx.store.peek(GR.pvcs, pod.metadata.namespace, name);
    if (!pvc) return `persistentvolumeclaim "${name}" not found`;
    if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (pvc.status?.phase !== 'Bound') {
      const sc = pvc.spec?.storageClassName ? ctx.store.peek({ group: 'storage.k8s.io', resource: 'storageclasses' }, undefined, pvc.spec.storageClassName) : undefined;
      if (sc?.volumeBindingMode === 'WaitForFirstConsumer') continue;
      return 'pod has unbound immediate PersistentVolumeClaims';
    }
  }
  return undefined;
}

function allocated(c: Controller, node: KObj): { cpu: number; memory: number; pods: number } {
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  for (const p of c.index.podsOnNode(node.metadata.name!)) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const r = podRequests(p);
    cpu += r.cpu;
    memory += r.memory;
    pods++;
  }
  return { cpu, memory, pods };
}

/**
 * Scoring as the default profile does it, roughly: least allocated (with the scheduler's non-zero
 * defaults of 100m CPU / 200MB for containers that request nothing) plus spreading of pods that
 * share an owner (the default topology spread over hostnames).
 */
function freeScore(c: Controller, node: KObj, pod: KObj): number {
  const cpuCap = parseCpu(node.status?.allocatable?.cpu) || 1;
  const memCap = parseMemory(node.status?.allocatable?.memory) || 1;
  let cpu = 0;
  let mem = 0;
  let siblings = 0;
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
  for (const p of c.index.podsOnNode(node.metadata.name!)) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const r = nonZeroRequests(p);
    cpu += r.cpu;
    mem += r.memory;
    if (owner && p.metadata.ownerReferences?.some((x) => x.uid === owner)) siblings++;
  }
  return (1 - cpu / cpuCap) + (1 - mem / memCap) - siblings * 0.5;
}

function nonZeroRequests(pod: KObj): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const ct of (pod.spec?.containers ?? []) as KObj[]) {
    cpu += parseCpu(ct.resources?.requests?.cpu) || 100;
    memory += parseMemory(ct.resources?.requests?.memory) || 200 * 1024 * 1024;
  }
  return { cpu, memory };
}

function tolerates(pod: KObj, taint: KObj): boolean {
  return ((pod.spec?.tolerations ?? []) as KObj[]).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** Why a pod does not fit a node, as the scheduler's plugins phrase it; undefined when it fits. */
function misfit(c: Controller, node: KObj, pod: KObj, req: { cpu: number; memory: number }): string | undefined {
  if (node.spec?.unschedulable) return "node(s) were unschedulable";
  const taints = ((node.spec?.taints ?? []) as KObj[]).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  const untolerated = taints.find((t) => !tolerates(pod, t));
  if (untolerated) return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`;
  const labels = node.metadata.labels ?? {};
  const sel = pod.spec?.nodeSelector as Record<string, string> | undefined;
  if (sel && Object.entries(sel).some(([k, v]) => labels[k] !== v)) return "node(s) didn't match Pod's node affinity/selector";
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as KObj[] | undefined;
  if (terms?.length && !terms.some((t) => selectorMatches({ matchExpressions: t.matchExpressions ?? [] }, labels))) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  const affinity = interPodMisfit(node, pod, c.index.list(GR.nodes), (n) => [...c.index.podsOnNode(n)]);
  if (affinity) return affinity;
  const a = allocated(c, node);
  const cpuCap = parseCpu(node.status?.allocatable?.cpu);
  const memCap = parseMemory(node.status?.allocatable?.memory);
  const podCap = Number(node.status?.allocatable?.pods ?? 110);
  if (a.pods + 1 > podCap) return 'Too many pods';
  const short: string[] = [];
  if (req.cpu && a.cpu + req.cpu > cpuCap) short.push('Insufficient cpu');
  if (req.memory && a.memory + req.memory > memCap) short.push('Insufficient memory');
  short.push(...extendedShortfalls(node, pod, [...c.index.podsOnNode(node.metadata.name!)].filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')));
  return short.length ? short.join('|') : undefined;
}

/**
 * "0/3 nodes are available: 1 node(s) had untolerated taint {…}, 2 Insufficient memory. preemption: …"
 * Reasons are counted over nodes and sorted as strings (count included), as the scheduler's FitError does;
 * preemption cannot help nodes that fail for anything but resources.
 */
function failureMessage(fits: NodeFit[]): string {
  const n = fits.length;
  if (n === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  let victimsNone = 0;
  let notHelpful = 0;
  for (const f of fits) {
    const reasons = (f.reason ?? '').split('|').filter(Boolean);
    for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    // Resources and anti-affinity are "Unschedulable" (preemption could help; there is no lower
    // priority victim here); everything else is UnschedulableAndUnresolvable.
    if (reasons.every((r) => r.startsWith('Insufficient') || r === 'Too many pods' || r === ANTI_AFFINITY_MISMATCH || r === EXISTING_ANTI_AFFINITY)) victimsNone++;
    else notHelpful++;
  }
  const parts = [...counts.entries()].map(([r, k]) => `${k} ${r}`).sort();
  const pre = [
    ...(victimsNone ? [`${victimsNone} No preemption victims found for incoming pod`] : []),
    ...(notHelpful ? [`${notHelpful} Preemption is not helpful for scheduling`] : []),
  ].sort();
  return `0/${n} nodes are available: ${parts.join(', ')}. preemption: 0/${n} nodes are available: ${pre.join(', ')}.`;
}

function markUnschedulable(ctx: SimContext, pod: KObj, message: string): void {
  const prev = ((pod.status?.conditions ?? []) as KObj[]).find((x) => x.type === 'PodScheduled');
  // Every failed attempt is reported (the event's count grows), the status only when it changed.
  ctx.api.recordEvent(pod, 'Warning', 'FailedScheduling', message, SRC);
  if (prev?.status === 'False' && prev.message === message) return;
  const o = structuredClone(pod);
  o.status = {
    ...(o.status ?? {}),
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: prev?.status === 'False' ? prev.lastTransitionTime : nowIso(), reason: 'Unschedulable', message }],
    qosClass: o.status?.qosClass ?? qosClass(pod),
  };
  ctx.api.updateStatus(GR.pods, o);
}

/** Binds a pod to a node as the default scheduler does (also for DaemonSet pods, whose node is fixed). */
export function bindPod(ctx: SimContext, pod: KObj, node: string): void {
  // A Binding: the only way to set spec.nodeName of an existing pod, so it goes to the store directly.
  const o = structuredClone(pod);
  o.spec.nodeName = node;
  const bound = ctx.store.update(GR.pods, o);
  const s = structuredClone(bound);
  s.status = {
    ...(s.status ?? {}),
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowIso() }],
    qosClass: s.status?.qosClass ?? qosClass(pod),
  };
  ctx.api.updateStatus(GR.pods, s);
  ctx.api.recordEvent(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, SRC);
}

export function qosClass(pod: KObj): string {
  const cs = [...((pod.spec?.containers ?? []) as KObj[]), ...((pod.spec?.initContainers ?? []) as KObj[])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (!l || String(q) !== String(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
