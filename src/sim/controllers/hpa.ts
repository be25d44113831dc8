/**
 * HorizontalPodAutoscaler controller (autoscaling/v2): every 15 simulated seconds reads the
 * target's pods' CPU/memory from the runtime, reports current metrics and conditions, and
 * scales the target within min/max replicas (with the real 10% tolerance).
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { keyIf, splitKey, startController, writeStatus, type Controller } from './framework.js';
import { GR, isPodActive, nowIso, parseCpu, parseMemory, selectorMatches, setCondition } from './util.js';

const SRC = { component: 'horizontal-pod-autoscaler' };
const PERIOD = 15_000;
const TARGETS: Record<string, { group: string; resource: string }> = {
  Deployment: GR.deployments, StatefulSet: GR.statefulsets, ReplicaSet: GR.replicasets,
};

export function installHpaController(ctx: SimContext): Controller {
  return startController(ctx, 'horizontal-pod-autoscaler', (ev) => keyIf(ev, GR.hpas), (key, c) => sync(ctx, c, key));
}

function sync(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  const hpa = ctx.store.peek(GR.hpas, ns, name);
  if (!hpa || hpa.metadata.deletionTimestamp) return;
  c.queue.addAfter(key, PERIOD);
  const ref = hpa.spec?.scaleTargetRef ?? {};
  const gr = TARGETS[ref.kind];
  const target = gr ? ctx.store.peek(gr, ns, ref.name) : undefined;
  let conds = (hpa.status?.conditions ?? []) as KObj[];
  const status: Record<string, unknown> = { ...(hpa.status ?? {}) };
  if (!target) {
    conds = setCondition(conds, { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${(ref.kind ?? '').toLowerCase()}s.apps "${ref.name}" not found` });
    return void writeStatus(ctx, GR.hpas, hpa, { ...status, currentReplicas: 0, desiredReplicas: 0, conditions: conds });
  }
  const current: number = target.spec?.replicas ?? 1;
  const pods = c.index.list(GR.pods, ns).filter((p) => isPodActive(p) && selectorMatches(target.spec?.selector, p.metadata.labels) && p.status?.phase === 'Running');
  const metrics = (hpa.spec?.metrics ?? []) as KObj[];
  const currentMetrics: KObj[] = [];
  let desired = current;
  let haveMetrics = false;
  for (const m of metrics) {
    if (m.type !== 'Resource') continue;
    const res = m.resource?.name as 'cpu' | 'memory';
    let used = 0;
    let requested = 0;
    let counted = 0;
    for (const p of pods) {
      let ok = true;
      for (const ct of (p.spec?.containers ?? []) as KObj[]) {
        const u = ctx.runtime?.usage({ namespace: ns!, pod: p.metadata.name!, container: ct.name });
        if (!u) { ok = false; break; }
        used += res === 'cpu' ? u.cpuMilli : u.memoryBytes;
        requested += res === 'cpu' ? parseCpu(ct.resources?.requests?.cpu) : parseMemory(ct.resources?.requests?.memory);
      }
      if (ok) counted++;
    }
    if (!counted) continue;
    haveMetrics = true;
    const avgValue = used / counted;
    const t = m.resource?.target ?? {};
    if (t.type === 'Utilization' && requested > 0) {
      const util = Math.round((used / requested) * 100);
      currentMetrics.push({ type: 'Resource', resource: { name: res, current: { averageUtilization: util, averageValue: res === 'cpu' ? `${Math.round(avgValue)}m` : String(Math.round(avgValue)) } } } as unknown as KObj);
      const ratio = util / (t.averageUtilization ?? 80);
      if (Math.abs(ratio - 1) > 0.1) desired = Math.max(desired === current ? 0 : desired, Math.ceil(ratio * counted));
    } else if (t.type === 'AverageValue') {
      currentMetrics.push({ type: 'Resource', resource: { name: res, current: { averageValue: res === 'cpu' ? `${Math.round(avgValue)}m` : String(Math.round(avgValue)) } } } as unknown as KObj);
      const want = res === 'cpu' ? parseCpu(t.averageValue) : parseMemory(t.averageValue);
      const ratio = want ? avgValue / want : 1;
      if (Math.abs(ratio - 1) > 0.1) desired = Math.max(desired === current ? 0 : desired, Math.ceil(ratio * counted));
    }
  }
  const min: number = hpa.spec?.minReplicas ?? 1;
  const max: number = hpa.spec?.maxReplicas ?? current;
  const unbounded = desired;
  desired = Math.min(max, Math.max(min, desired || current));
  conds = setCondition(conds, { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
  conds = setCondition(conds, haveMetrics
    ? { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' }
    : { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API' });
  conds = setCondition(conds, unbounded > max
    ? { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' }
    : unbounded && unbounded < min
      ? { type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' }
      : { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' });
  if (haveMetrics && desired !== current) {
    const o = structuredClone(target);
    o.spec.replicas = desired;
    ctx.api.update(gr!, o);
    const metric = currentMetrics[0]?.resource;
    ctx.api.recordEvent(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${metric?.name ?? 'cpu'} resource utilization (percentage of request) ${desired > current ? 'above' : 'below'} target`, SRC);
    status.lastScaleTime = nowIso();
  }
  status.currentReplicas = target.status?.replicas ?? current;
  status.desiredReplicas = haveMetrics ? desired : current;
  if (currentMetrics.length) status.currentMetrics = currentMetrics;
  status.conditions = conds;
  writeStatus(ctx, GR.hpas, hpa, status);
}
