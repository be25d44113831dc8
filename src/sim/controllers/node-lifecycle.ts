/**
 * Node problems on demand, for triage demos: the annotation `sim.kai-tui.dev/node-condition`
 * on a Node (`not-ready`, `memory-pressure`, `disk-pressure`, `pid-pressure`, comma-separated)
 * makes it report what a real kubelet and node-lifecycle controller would: pressure conditions
 * with their taints, or — for not-ready — every condition Unknown ("Kubelet stopped posting node
 * status."), the unreachable taints, pods marked not Ready and, after their 300 s toleration,
 * evicted (they stay Terminating: nobody on the node confirms). Removing the annotation heals it.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { splitKey, startController, type Controller } from './framework.js';
import { GR, nowIso } from './util.js';

export const NODE_CONDITION = 'sim.kai-tui.dev/node-condition';

const PRESSURE: Record<string, { type: string; reason: string; message: string; okReason: string; okMessage: string; taint: string; event: string; okEvent: string }> = {
  'memory-pressure': { type: 'MemoryPressure', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', okReason: 'KubeletHasSufficientMemory', okMessage: 'kubelet has sufficient memory available', taint: 'node.kubernetes.io/memory-pressure', event: 'NodeHasInsufficientMemory', okEvent: 'NodeHasSufficientMemory' },
  'disk-pressure': { type: 'DiskPressure', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', okReason: 'KubeletHasNoDiskPressure', okMessage: 'kubelet has no disk pressure', taint: 'node.kubernetes.io/disk-pressure', event: 'NodeHasDiskPressure', okEvent: 'NodeHasNoDiskPressure' },
  'pid-pressure': { type: 'PIDPressure', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available', okReason: 'KubeletHasSufficientPID', okMessage: 'kubelet has sufficient PID available', taint: 'node.kubernetes.io/pid-pressure', event: 'NodeHasInsufficientPID', okEvent: 'NodeHasSufficientPID' },
};
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const MANAGED_TAINTS = new Set([UNREACHABLE, ...Object.values(PRESSURE).map((p) => p.taint)]);
const EVICT_AFTER_MS = 300_000;

export function wantedProblems(node: KObj): Set<string> {
  return new Set(String(node.metadata.annotations?.[NODE_CONDITION] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

export const nodeDown = (node: KObj | undefined): boolean => !!node && wantedProblems(node).has('not-ready');

export function installNodeLifecycle(ctx: SimContext): Controller {
  return startController(ctx, 'node-lifecycle-controller', (ev) => (ev.key === '/nodes' && ev.type !== 'DELETED' ? `/${ev.object.metadata.name}` : undefined),
    (key, c) => sync(ctx, c, splitKey(key).name));
}

function sync(ctx: SimContext, c: Controller, name: string): void {
  const node = ctx.store.peek(GR.nodes, undefined, name);
  if (!node?.status?.conditions) return;
  const want = wantedProblems(node);
  const down = want.has('not-ready');
  const now = nowIso();
  const o = structuredClone(node);
  const conds = o.status.conditions as KObj[];
  const events: Array<[string, string, string]> = [];
  const set = (type: string, status: string, reason: string, message: string) => {
    const x = conds.find((k) => k.type === type);
    if (!x) return false;
    if (x.status === status && x.reason === reason) return false;
    x.status = status;
    x.reason = reason;
    x.message = message;
    x.lastTransitionTime = now;
    if (status !== 'Unknown') x.lastHeartbeatTime = now;
    return true;
  };
  if (down) {
    let changed = false;
    for (const x of conds) changed = set(x.type, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.') || changed;
    if (changed) events.push(['Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`]);
  } else {
    if (set('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')) events.push(['Normal', 'NodeReady', `Node ${name} status is now: NodeReady`]);
    for (const [k, p] of Object.entries(PRESSURE)) {
      if (want.has(k)) {
        if (set(p.type, 'True', p.reason, p.message)) events.push(['Normal', p.event, `Node ${name} status is now: ${p.event}`]);
      } else if (set(p.type, 'False', p.okReason, p.okMessage)) events.push(['Normal', p.okEvent, `Node ${name} status is now: ${p.okEvent}`]);
    }
  }
  // Taints the node lifecycle controller manages; the user's own taints are left alone.
  const taints = ((o.spec?.taints ?? []) as KObj[]).filter((t) => !MANAGED_TAINTS.has(t.key));
  const old = (o.spec?.taints ?? []) as KObj[];
  const keep = (key: string, effect: string): KObj => old.find((t) => t.key === key && t.effect === effect) ?? ({ key, effect, timeAdded: now } as unknown as KObj);
  if (down) taints.push(keep(UNREACHABLE, 'NoSchedule'), keep(UNREACHABLE, 'NoExecute'));
  else for (const [k, p] of Object.entries(PRESSURE)) if (want.has(k)) taints.push(keep(p.taint, 'NoSchedule'));
  const taintsChanged = JSON.stringify(taints) !== JSON.stringify(old);
  if (taintsChanged) {
    const spec = structuredClone(o);
    if (taints.length) spec.spec.taints = taints;
    else delete spec.spec.taints;
    ctx.api.update(GR.nodes, spec);
  }
  const fresh = ctx.store.peek(GR.nodes, undefined, name);
  if (fresh && JSON.stringify(fresh.status.conditions) !== JSON.stringify(conds)) {
    const s = structuredClone(fresh);
    s.status.conditions = conds;
    ctx.api.updateStatus(GR.nodes, s);
  }
  for (const [type, reason, message] of events) {
    const src = reason === 'NodeNotReady' ? { component: 'node-controller' } : { component: 'kubelet', host: name };
    ctx.api.recordEvent(fresh ?? node, type as 'Normal', reason, message, src);
  }
  if (down) evictPods(ctx, c, name);
}

/** Pods on an unreachable node: not Ready at once; deleted once their unreachable toleration runs out. */
function evictPods(ctx: SimContext, c: Controller, node: string): void {
  const n = ctx.store.peek(GR.nodes, undefined, node);
  const since = Date.parse(((n?.spec?.taints ?? []) as KObj[]).find((t) => t.key === UNREACHABLE && t.effect === 'NoExecute')?.timeAdded ?? '') || Date.now();
  const elapsed = (Date.now() - since) * ctx.clock.timeScale;
  for (const p of c.index.podsOnNode(node)) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const ready = ((p.status?.conditions ?? []) as KObj[]).find((x) => x.type === 'Ready');
    if (ready && ready.status !== 'False') {
      const o = structuredClone(p);
      for (const x of o.status.conditions as KObj[]) {
        if (x.type === 'Ready' || x.type === 'ContainersReady') {
          x.status = 'False';
          x.lastTransitionTime = nowIso();
          delete x.reason;
          delete x.message;
        }
      }
      try { ctx.api.updateStatus(GR.pods, o); } catch { /* gone */ }
    }
    const tol = ((p.spec?.tolerations ?? []) as KObj[]).find((t) => t.key === UNREACHABLE && t.effect === 'NoExecute');
    if (tol && tol.tolerationSeconds === undefined) continue; // tolerates forever (DaemonSet pods)
    const limit = tol ? tol.tolerationSeconds * 1000 : 0;
    if (p.metadata.deletionTimestamp) continue;
    if (elapsed >= limit) {
      ctx.api.recordEvent(p, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}`, { component: 'taint-eviction-controller' });
      try { ctx.api.delete(GR.pods, p.metadata.namespace, p.metadata.name!); } catch { /* gone */ }
    } else c.queue.addAfter(`/${node}`, Math.min(limit - elapsed, EVICT_AFTER_MS) + 50);
  }
}
