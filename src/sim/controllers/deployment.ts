/**
 * Deployment controller: one ReplicaSet per pod template (pod-template-hash), revisions and
 * change-cause on the ReplicaSets (what `kubectl rollout history/undo` read), RollingUpdate
 * honouring maxSurge/maxUnavailable, Recreate, paused, revisionHistoryLimit, and the real
 * status conditions and reasons (what `rollout status` and `wait --for=condition=Available` read).
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { claim } from './adoption.js';
import { deleteQuietly, keyIf, ownerKeyIf, splitKey, startController, updateIfChanged, writeStatus, type Controller } from './framework.js';
import { GR, intOrPercent, nowIso, ownerRef, selectorMatches, setCondition, templateHash } from './util.js';

const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const HASH = 'pod-template-hash';
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED, MAX_REPLICAS]);
const SRC = { component: 'deployment-controller' };

export function installDeploymentController(ctx: SimContext): Controller {
  return startController(ctx, 'deployment-controller', (ev, index) => {
    const k = keyIf(ev, GR.deployments);
    if (k) return k;
    if (ev.key !== 'apps/replicasets') return;
    const owner = ownerKeyIf(ev, 'Deployment');
    if (owner) return owner;
    if (ev.type === 'DELETED') return;
    return index.list(GR.deployments, ev.object.metadata.namespace)
      .filter((d) => selectorMatches(d.spec?.selector, ev.object.metadata.labels))
      .map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
  }, (key, c) => syncDeployment(ctx, c, key));
}

const rev = (rs: KObj): number => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;

/** Go's zero values arrive as JSON null (kubectl undo sends `creationTimestamp: null`): they equal absence. */
/** Keys sorted too: patches and defaulting may order fields differently without changing the template. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && x !== undefined) out[k] = dropNulls(x);
    }
    return out;
  }
  return v;
}

function withoutHash(tpl: KObj | undefined): KObj {
  const t = dropNulls(structuredClone(tpl ?? {})) as KObj;
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return t;
}

const sameTemplate = (a: KObj | undefined, b: KObj | undefined): boolean =>
  JSON.stringify(withoutHash(a)) === JSON.stringify(withoutHash(b));

function syncDeployment(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  let d = ctx.store.peek(GR.deployments, ns, name);
  if (!d || d.metadata.deletionTimestamp) return;
  const all = claim(ctx, c.index, d, GR.replicasets, d.spec?.selector).filter((r) => !r.metadata.deletionTimestamp);
  const replicas: number = d.spec?.replicas ?? 1;
  const paused = !!d.spec?.paused;
  let newRS = all.find((r) => sameTemplate(r.spec?.template, d!.spec?.template));
  const olds = () => all.filter((r) => r !== newRS && r.metadata.uid !== newRS?.metadata.uid);
  const maxOldRev = Math.max(0, ...olds().map(rev));
  let progressEvent: { reason: string; message: string } | undefined;

  if (!paused) {
    if (!newRS) {
      newRS = createNewRS(ctx, d, maxOldRev + 1, initialReplicas(d, all, replicas));
      all.push(newRS);
      progressEvent = { reason: 'NewReplicaSetCreated', message: `Created new replica set "${newRS.metadata.name}"` };
    } else if (rev(newRS) <= maxOldRev) {
      // A rollback to an existing ReplicaSet: it becomes the newest revision; the old number is kept in history.
      const old = newRS.metadata.annotations?.[REVISION];
      newRS = updateIfChanged(ctx, GR.replicasets, newRS, (o) => {
        o.metadata.annotations = { ...copyAnnotations(d!), ...(o.metadata.annotations ?? {}) };
        for (const [k, v] of Object.entries(copyAnnotations(d!))) o.metadata.annotations[k] = v;
        o.metadata.annotations[REVISION] = String(maxOldRev + 1);
        if (old) {
          const hist = o.metadata.annotations[REVISION_HISTORY];
          o.metadata.annotations[REVISION_HISTORY] = hist ? `${hist},${old}` : old;
        }
      });
      all.splice(all.findIndex((r) => r.metadata.uid === newRS!.metadata.uid), 1, newRS);
      progressEvent = { reason: 'FoundNewReplicaSet', message: `Found new replica set "${newRS.metadata.name}"` };
    } else {
      // Carry the deployment's annotations (change-cause) over to the current ReplicaSet.
      const want = copyAnnotations(d);
      if (Object.entries(want).some(([k, v]) => newRS!.metadata.annotations?.[k] !== v)) {
        newRS = updateIfChanged(ctx, GR.replicasets, newRS, (o) => { o.metadata.annotations = { ...(o.metadata.annotations ?? {}), ...want }; });
      }
    }
    const r = String(rev(newRS));
    if (d.metadata.annotations?.[REVISION] !== r) {
      d = updateIfChanged(ctx, GR.deployments, d, (o) => { o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: r }; });
    }
    if (d.spec?.strategy?.type === 'Recreate') recreate(ctx, c, d, newRS, olds(), replicas);
    else rollingUpdate(ctx, d, newRS, olds(), replicas);
  } else if (newRS && olds().every((r) => (r.spec?.replicas ?? 0) === 0)) {
    // Paused deployments still scale.
    scaleRS(ctx, d, newRS, replicas);
  }
  cleanup(ctx, d, all.filter((r) => r !== newRS && r.metadata.uid !== newRS?.metadata.uid));
  syncStatus(ctx, c, key, d, newRS?.metadata.name, progressEvent);
}

function copyAnnotations(d: KObj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP_ANNOTATIONS.has(k)) out[k] = v as string;
  return out;
}

function surgeUnavailable(d: KObj, replicas: number): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const surge = intOrPercent(ru.maxSurge, replicas, '25%', true);
  let unavailable = intOrPercent(ru.maxUnavailable, replicas, '25%', false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

function initialReplicas(d: KObj, existing: KObj[], replicas: number): number {
  if (d.spec?.strategy?.type === 'Recreate') return existing.some((r) => (r.spec?.replicas ?? 0) > 0 || (r.status?.replicas ?? 0) > 0) ? 0 : replicas;
  const { surge } = surgeUnavailable(d, replicas);
  const current = existing.reduce((s, r) => s + (r.spec?.replicas ?? 0), 0);
  return Math.max(0, Math.min(replicas, replicas + surge - current));
}

function createNewRS(ctx: SimContext, d: KObj, revision: number, replicas: number): KObj {
  const tpl = dropNulls(structuredClone(d.spec.template ?? {})) as KObj;
  const hash = templateHash(tpl, d.status?.collisionCount ?? 0);
  tpl.metadata = { ...(tpl.metadata ?? {}), labels: { ...(tpl.metadata?.labels ?? {}), [HASH]: hash } };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH]: hash };
  const { surge } = surgeUnavailable(d, d.spec?.replicas ?? 1);
  const rs: KObj = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(tpl.metadata.labels ?? {}) },
      annotations: {
        ...copyAnnotations(d),
        [REVISION]: String(revision),
        [DESIRED]: String(d.spec?.replicas ?? 1),
        [MAX_REPLICAS]: String((d.spec?.replicas ?? 1) + (d.spec?.strategy?.type === 'Recreate' ? 0 : surge)),
      },
      ownerReferences: [ownerRef(d)],
    },
    spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template: tpl },
  };
  try {
    const created = ctx.api.create(GR.replicasets, rs);
    if (replicas > 0) ctx.api.recordEvent(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`, SRC);
    return created;
  } catch (e) {
    if ((e as { reason?: string }).reason !== 'AlreadyExists') throw e;
    // A ReplicaSet with our hash but a different template: bump collisionCount and retry later.
    const cur = ctx.store.peek(GR.deployments, d.metadata.namespace, d.metadata.name!)!;
    writeStatus(ctx, GR.deployments, cur, { ...(cur.status ?? {}), collisionCount: (cur.status?.collisionCount ?? 0) + 1 });
    throw e;
  }
}

function scaleRS(ctx: SimContext, d: KObj, rs: KObj, to: number): KObj {
  const from = rs.spec?.replicas ?? 0;
  const want = String(d.spec?.replicas ?? 1);
  if (from === to && rs.metadata.annotations?.[DESIRED] === want) return rs;
  const out = updateIfChanged(ctx, GR.replicasets, rs, (o) => {
    o.spec.replicas = to;
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [DESIRED]: want };
  });
  if (from !== to) {
    ctx.api.recordEvent(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, SRC);
  }
  return out;
}

const avail = (r: KObj): number => r.status?.availableReplicas ?? 0;
const specR = (r: KObj): number => r.spec?.replicas ?? 0;

function rollingUpdate(ctx: SimContext, d: KObj, newRS: KObj, olds: KObj[], replicas: number): void {
  const { surge, unavailable } = surgeUnavailable(d, replicas);
  // Scale up the new ReplicaSet within maxSurge.
  const total = () => specR(newRS) + olds.reduce((s, r) => s + specR(r), 0);
  if (specR(newRS) > replicas) newRS = scaleRS(ctx, d, newRS, replicas);
  else if (specR(newRS) < replicas) {
    const room = replicas + surge - total();
    if (room > 0) newRS = scaleRS(ctx, d, newRS, specR(newRS) + Math.min(room, replicas - specR(newRS)));
  }
  const activeOld = olds.filter((r) => specR(r) > 0);
  if (!activeOld.length) return;
  // Scale down old ReplicaSets without going below minAvailable.
  const minAvailable = replicas - unavailable;
  const newUnavailable = specR(newRS) - avail(newRS);
  const allPods = total();
  let maxScaleDown = allPods - minAvailable - newUnavailable;
  if (maxScaleDown <= 0) return;
  // First, old pods that are not available anyway.
  for (const r of activeOld.sort((a, b) => Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!))) {
    if (maxScaleDown <= 0) break;
    const unhealthy = specR(r) - avail(r);
    if (unhealthy <= 0) continue;
    const by = Math.min(unhealthy, maxScaleDown);
    scaleRS(ctx, d, r, specR(r) - by);
    r.spec.replicas = specR(r) - by;
    maxScaleDown -= by;
  }
  const availableNow = avail(newRS) + olds.reduce((s, r) => s + Math.min(avail(r), specR(r)), 0);
  let canRemove = Math.min(total() - minAvailable - newUnavailable, availableNow - minAvailable);
  for (const r of activeOld) {
    if (canRemove <= 0) break;
    if (specR(r) === 0) continue;
    const by = Math.min(specR(r), canRemove);
    scaleRS(ctx, d, r, specR(r) - by);
    r.spec.replicas = specR(r) - by;
    canRemove -= by;
  }
}

function recreate(ctx: SimContext, c: Controller, d: KObj, newRS: KObj, olds: KObj[], replicas: number): void {
  for (const r of olds) if (specR(r) > 0) scaleRS(ctx, d, r, 0);
  const oldPodsRunning = olds.some((r) => c.index.controlled(r.metadata.uid!, GR.pods).length > 0);
  if (oldPodsRunning) return;
  scaleRS(ctx, d, newRS, replicas);
}

function cleanup(ctx: SimContext, d: KObj, olds: KObj[]): void {
  const limit: number = d.spec?.revisionHistoryLimit ?? 10;
  const idle = olds.filter((r) => specR(r) === 0 && (r.status?.replicas ?? 0) === 0).sort((a, b) => rev(a) - rev(b));
  const extra = idle.length - limit;
  for (let i = 0; i < extra; i++) deleteQuietly(ctx, GR.replicasets, idle[i]!.metadata.namespace, idle[i]!.metadata.name!);
}

function syncStatus(ctx: SimContext, c: Controller, key: string, d: KObj, newName: string | undefined, progressEvent?: { reason: string; message: string }): void {
  const cur = ctx.store.peek(GR.deployments, d.metadata.namespace, d.metadata.name!);
  if (!cur) return;
  const rss = c.index.controlled(cur.metadata.uid!, GR.replicasets);
  const newRS = rss.find((r) => r.metadata.name === newName);
  const replicas: number = cur.spec?.replicas ?? 1;
  const sum = (f: (r: KObj) => number) => rss.reduce((s, r) => s + f(r), 0);
  const statusReplicas = sum((r) => r.status?.replicas ?? 0);
  const updated = newRS?.status?.replicas ?? 0;
  const ready = sum((r) => r.status?.readyReplicas ?? 0);
  const available = sum(avail);
  const totalSpec = sum(specR);
  const unavailable = Math.max(0, totalSpec - available);
  const { unavailable: maxUnavail } = surgeUnavailable(cur, replicas);
  const now = nowIso();
  const prev = (cur.status?.conditions ?? []) as KObj[];
  let conds = prev;
  const isRolling = cur.spec?.strategy?.type !== 'Recreate';
  const minAvailable = isRolling ? replicas - maxUnavail : replicas;
  conds = setCondition(conds, available >= minAvailable
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now, true);
  const complete = !!newRS && updated === replicas && statusReplicas === replicas && available === replicas && specR(newRS) === replicas
    && (newRS.status?.observedGeneration ?? 0) >= (newRS.metadata.generation ?? 0);
  const prevProg = prev.find((x) => x.type === 'Progressing');
  const countsChanged = JSON.stringify([statusReplicas, updated, ready, available]) !==
    JSON.stringify([cur.status?.replicas ?? 0, cur.status?.updatedReplicas ?? 0, cur.status?.readyReplicas ?? 0, cur.status?.availableReplicas ?? 0]);
  const deadline: number = cur.spec?.progressDeadlineSeconds ?? 600;
  if (cur.spec?.paused) {
    conds = setCondition(conds, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now, true);
  } else if (prevProg?.reason === 'DeploymentPaused') {
    conds = setCondition(conds, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' }, now, true);
    c.queue.add(key);
  } else if (complete) {
    conds = setCondition(conds, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${newName}" has successfully progressed.` }, now, true);
  } else if (progressEvent) {
    conds = setCondition(conds, { type: 'Progressing', status: 'True', ...progressEvent }, now, true);
  } else if (newName && (countsChanged || !prevProg || prevProg.reason === 'NewReplicaSetAvailable')) {
    conds = setCondition(conds, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${newName}" is progressing.` }, now, true);
    const p = conds.find((x) => x.type === 'Progressing')!;
    p.lastUpdateTime = now;
  } else if (newName && prevProg && prevProg.status === 'True') {
    // No progress: has the deadline passed (in simulated time)?
    const since = (Date.now() - Date.parse(prevProg.lastUpdateTime ?? prevProg.lastTransitionTime)) * ctx.clock.timeScale;
    if (since >= deadline * 1000) {
      conds = setCondition(conds, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${newName}" has timed out progressing.` }, now, true);
      ctx.api.recordEvent(cur, 'Warning', 'ProgressDeadlineExceeded', `Deployment "${cur.metadata.name}" has timed out progressing.`, SRC);
    } else c.queue.addAfter(key, deadline * 1000 - since + 100);
  }
  // The new ReplicaSet's ReplicaFailure (quota, admission) is copied onto the Deployment, as
  // syncRolloutStatus does (ReplicaSetToDeploymentCondition; kept while status and reason hold).
  const rf = (newRS?.status?.conditions as KObj[] | undefined)?.find((x) => x.type === 'ReplicaFailure');
  const mine = conds.find((x) => x.type === 'ReplicaFailure');
  if (rf && !(mine && mine.status === rf.status && mine.reason === rf.reason)) {
    conds = [...conds.filter((x) => x.type !== 'ReplicaFailure'),
      { type: 'ReplicaFailure', status: rf.status, lastUpdateTime: rf.lastTransitionTime, lastTransitionTime: rf.lastTransitionTime, reason: rf.reason, message: rf.message } as unknown as KObj];
  } else if (!rf && mine) conds = conds.filter((x) => x.type !== 'ReplicaFailure');
  // Available/Progressing keep the real order: Available first when both exist.
  conds.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
  const status: Record<string, unknown> = {
    observedGeneration: cur.metadata.generation,
    ...(statusReplicas ? { replicas: statusReplicas } : {}),
    ...(updated ? { updatedReplicas: updated } : {}),
    ...(ready ? { readyReplicas: ready } : {}),
    ...(available ? { availableReplicas: available } : {}),
    ...(unavailable ? { unavailableReplicas: unavailable } : {}),
    conditions: conds,
    ...(cur.status?.collisionCount ? { collisionCount: cur.status.collisionCount } : {}),
  };
  writeStatus(ctx, GR.deployments, cur, status);
  if (!complete && !cur.spec?.paused) {
    const p = conds.find((x) => x.type === 'Progressing');
    if (p?.status === 'True') c.queue.addAfter(key, deadline * 1000 + 100);
  }
}
