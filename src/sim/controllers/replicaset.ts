/**
 * ReplicaSet controller: keeps spec.replicas active pods (named `<rs>-<5 random>`), adopts
 * orphans matching the selector, scales down not-ready/newest first, and reports status.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { claim } from './adoption.js';
import { keyIf, ownerKeyIf, splitKey, startController, writeStatus, type Controller } from './framework.js';
import { GR, isPodActive, isPodAvailable, isPodReady, podCondition, podFromTemplate, randSuffix, selectorMatches, setCondition } from './util.js';

const BURST = 500;
/** Per controller: consecutive failed syncs of each ReplicaSet (the rate limiter's memory). */
const FAILURES = new WeakMap<Controller, Map<string, number>>();

export function installReplicaSetController(ctx: SimContext): Controller {
  return startController(ctx, 'replicaset-controller', (ev, index) => {
    const k = keyIf(ev, GR.replicasets);
    if (k) return k;
    if (ev.key !== '/pods') return;
    const owner = ownerKeyIf(ev, 'ReplicaSet');
    if (owner) return owner;
    // An orphan pod: wake the ReplicaSets whose selector matches it (adoption).
    if (ev.type === 'DELETED') return;
    return index.list(GR.replicasets, ev.object.metadata.namespace)
      .filter((rs) => selectorMatches(rs.spec?.selector, ev.object.metadata.labels))
      .map((rs) => `${rs.metadata.namespace}/${rs.metadata.name}`);
  }, (key, c) => syncReplicaSet(ctx, c, key));
}

function syncReplicaSet(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  const rs = ctx.store.peek(GR.replicasets, ns, name);
  if (!rs) return;
  const pods = claim(ctx, c.index, rs, GR.pods, rs.spec?.selector);
  const active = pods.filter(isPodActive);
  const want = rs.metadata.deletionTimestamp ? active.length : (rs.spec?.replicas ?? 1);
  const diff = active.length - want;
  let failure: string | undefined;
  if (diff < 0) {
    for (let i = 0; i < Math.min(-diff, BURST); i++) {
      try {
        const pod = createPod(ctx, rs);
        ctx.api.recordEvent(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, { component: 'replicaset-controller' });
        active.push(pod);
      } catch (e) {
        failure = (e as Error).message;
        ctx.api.recordEvent(rs, 'Warning', 'FailedCreate', `Error creating: ${failure}`, { component: 'replicaset-controller' });
        break;
      }
    }
    if (-diff > BURST) c.queue.add(key);
  } else if (diff > 0) {
    const victims = [...active].sort(deletionOrder).slice(0, diff);
    for (const p of victims) {
      try {
        ctx.api.delete(GR.pods, p.metadata.namespace, p.metadata.name!);
        ctx.api.recordEvent(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, { component: 'replicaset-controller' });
      } catch { /* already gone */ }
    }
  }
  const fresh = ctx.store.peek(GR.replicasets, ns, name);
  if (!fresh) return;
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const now = Date.now();
  const live = c.index.controlled(rs.metadata.uid!, GR.pods).filter(isPodActive);
  const ready = live.filter(isPodReady);
  const available = live.filter((p) => isPodAvailable(p, minReady, now));
  const tplLabels = rs.spec?.template?.metadata?.labels ?? {};
  const fully = live.filter((p) => Object.entries(tplLabels).every(([k, v]) => p.metadata.labels?.[k] === v));
  let conditions = (fresh.status?.conditions ?? []) as KObj[];
  // As calculateStatus: the condition is set once (its message is the first failure), removed on success.
  if (failure && !conditions.some((x) => x.type === 'ReplicaFailure')) conditions = setCondition(conditions, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: failure });
  else if (!failure) conditions = conditions.filter((x) => x.type !== 'ReplicaFailure');
  // A failed sync is retried with the controller's rate limiter (5 ms doubling, up to 1000 s).
  const failures = (FAILURES.get(c) ?? FAILURES.set(c, new Map()).get(c)!);
  if (failure) {
    const n = (failures.get(key) ?? 0) + 1;
    failures.set(key, n);
    c.queue.addAfter(key, Math.min(5 * 2 ** (n - 1), 1_000_000));
  } else failures.delete(key);
  const status: Record<string, unknown> = {
    replicas: live.length,
    ...(fully.length ? { fullyLabeledReplicas: fully.length } : {}),
    ...(ready.length ? { readyReplicas: ready.length } : {}),
    ...(available.length ? { availableReplicas: available.length } : {}),
    observedGeneration: fresh.metadata.generation,
    ...(conditions.length ? { conditions } : {}),
  };
  writeStatus(ctx, GR.replicasets, fresh, status);
  // Pods that are ready but not yet available for minReadySeconds: look again when they will be.
  if (minReady && ready.length > available.length) c.queue.addAfter(key, minReady * 1000);
}

function createPod(ctx: SimContext, rs: KObj): KObj {
  for (let attempt = 0; ; attempt++) {
    const pod = podFromTemplate(rs.spec.template, rs, { name: `${rs.metadata.name}-${randSuffix(5)}` });
    try {
      return ctx.api.create(GR.pods, pod);
    } catch (e) {
      if ((e as { reason?: string }).reason !== 'AlreadyExists' || attempt > 5) throw e;
    }
  }
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** The real ActivePods ordering: the pods to delete first sort first. */
export function deletionOrder(a: KObj, b: KObj): number {
  const sa = a.spec?.nodeName ? 1 : 0;
  const sb = b.spec?.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const pa = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  if (ra && rb) {
    const ta = Date.parse(podCondition(a, 'Ready')?.lastTransitionTime ?? '') || 0;
    const tb = Date.parse(podCondition(b, 'Ready')?.lastTransitionTime ?? '') || 0;
    if (ta !== tb) return tb - ta;
  }
  const rsa = restarts(a);
  const rsb = restarts(b);
  if (rsa !== rsb) return rsb - rsa;
  const ca = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const cb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ca !== cb) return cb - ca;
  return (b.metadata.name ?? '') < (a.metadata.name ?? '') ? -1 : 1;
}

const restarts = (p: KObj): number => ((p.status?.containerStatuses ?? []) as KObj[]).reduce((s, c) => s + (c.restartCount ?? 0), 0);
