/**
 * StatefulSet controller: pods `<sts>-0..N-1` created in order (OrderedReady: the next one
 * only once the previous is Running and Ready; Parallel: all at once), PVCs from
 * volumeClaimTemplates, controllerrevisions with currentRevision/updateRevision, rolling
 * updates from the highest ordinal down (honouring partition), scale-down from the top.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { deleteQuietly, keyIf, ownerKeyIf, splitKey, startController, writeStatus, type Controller } from './framework.js';
import { currentRevision, pruneRevisions } from './revisions.js';
import { GR, isPodAvailable, isPodReady, ownerRef, podFromTemplate } from './util.js';

const SRC = { component: 'statefulset-controller' };
const REV_LABEL = 'controller-revision-hash';

export function installStatefulSetController(ctx: SimContext): Controller {
  return startController(ctx, 'statefulset-controller', (ev) => keyIf(ev, GR.statefulsets) ?? (ev.key === '/pods' ? ownerKeyIf(ev, 'StatefulSet') : undefined),
    (key, c) => sync(ctx, c, key));
}

const ordinal = (sts: KObj, p: KObj): number => {
  const m = new RegExp(`^${sts.metadata.name!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(p.metadata.name!);
  return m ? Number(m[1]) : -1;
};

function sync(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  const sts = ctx.store.peek(GR.statefulsets, ns, name);
  if (!sts || sts.metadata.deletionTimestamp) return;
  const update = currentRevision(ctx, c.index, sts);
  const replicas: number = sts.spec?.replicas ?? 1;
  const parallel = sts.spec?.podManagementPolicy === 'Parallel';
  const pods = c.index.controlled(sts.metadata.uid!, GR.pods).filter((p) => ordinal(sts, p) >= 0);
  const byOrd = new Map(pods.map((p) => [ordinal(sts, p), p]));
  const healthy = (p: KObj | undefined) => !!p && p.status?.phase === 'Running' && isPodReady(p) && !p.metadata.deletionTimestamp;
  // Create missing pods in order.
  for (let i = 0; i < replicas; i++) {
    const p = byOrd.get(i);
    if (p && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') && !p.metadata.deletionTimestamp) {
      deleteQuietly(ctx, GR.pods, ns, p.metadata.name!);
      ctx.api.recordEvent(sts, 'Warning', 'RecreatingFailedPod', `StatefulSet ${ns}/${name} is recreating failed Pod ${p.metadata.name}`, SRC);
      return;
    }
    if (!p) {
      createPod(ctx, sts, i, update.name);
      if (!parallel) return finish(ctx, c, key, sts, update.name);
      continue;
    }
    if (!parallel && !healthy(p)) return finish(ctx, c, key, sts, update.name);
  }
  // Scale down from the highest ordinal, one at a time.
  const extra = [...byOrd.entries()].filter(([i, p]) => i >= replicas && !p.metadata.deletionTimestamp).sort((a, b) => b[0] - a[0]);
  if (extra.length) {
    for (const [, p] of parallel ? extra : extra.slice(0, 1)) {
      deleteQuietly(ctx, GR.pods, ns, p.metadata.name!);
      ctx.api.recordEvent(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, SRC);
    }
    return finish(ctx, c, key, sts, update.name);
  }
  // Rolling update: replace the highest-ordinal pod not on the update revision (above the partition).
  if ((sts.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const partition: number = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const all = [...byOrd.entries()].filter(([i]) => i < replicas).sort((a, b) => b[0] - a[0]);
    if (all.some(([, p]) => p.metadata.deletionTimestamp)) return finish(ctx, c, key, sts, update.name);
    for (const [i, p] of all) {
      if (i < partition) break;
      if (p.metadata.labels?.[REV_LABEL] !== update.name) {
        if (all.every(([, q]) => healthy(q) || q === p)) {
          deleteQuietly(ctx, GR.pods, ns, p.metadata.name!);
          ctx.api.recordEvent(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, SRC);
        }
        break;
      }
    }
  }
  finish(ctx, c, key, sts, update.name);
}

function createPod(ctx: SimContext, sts: KObj, i: number, revision: string): void {
  const name = `${sts.metadata.name}-${i}`;
  const pod = podFromTemplate(sts.spec.template, sts, { name }, {
    [REV_LABEL]: revision, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(i),
  });
  pod.spec.hostname = name;
  if (sts.spec?.serviceName) pod.spec.subdomain = sts.spec.serviceName;
  const volumes = [...((pod.spec.volumes ?? []) as KObj[])];
  for (const t of (sts.spec?.volumeClaimTemplates ?? []) as KObj[]) {
    const claim = `${t.metadata.name}-${name}`;
    ensurePvc(ctx, sts, t, claim);
    const v = { name: t.metadata.name, persistentVolumeClaim: { claimName: claim } } as unknown as KObj;
    const idx = volumes.findIndex((x) => x.name === t.metadata.name);
    if (idx >= 0) volumes[idx] = v;
    else volumes.push(v);
  }
  if (volumes.length) pod.spec.volumes = volumes;
  try {
    ctx.api.create(GR.pods, pod);
    ctx.api.recordEvent(sts, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`, SRC);
  } catch (e) {
    if ((e as { reason?: string }).reason !== 'AlreadyExists') {
      ctx.api.recordEvent(sts, 'Warning', 'FailedCreate', `create Pod ${name} in StatefulSet ${sts.metadata.name} failed error: ${(e as Error).message}`, SRC);
    }
  }
}

function ensurePvc(ctx: SimContext, sts: KObj, t: KObj, claim: string): void {
  if (ctx.store.peek(GR.pvcs, sts.metadata.namespace, claim)) return;
  const retain = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
  try {
    // The claim only: the PersistentVolume controller provisions and binds it.
    ctx.api.create(GR.pvcs, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: {
        name: claim, namespace: sts.metadata.namespace,
        labels: { ...(sts.spec?.selector?.matchLabels ?? {}), ...(t.metadata?.labels ?? {}) },
        ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
        ...(retain ? { ownerReferences: [ownerRef(sts)] } : {}),
      },
      spec: structuredClone(t.spec ?? {}),
    });
    ctx.api.recordEvent(sts, 'Normal', 'SuccessfulCreate', `create Claim ${claim} Pod ${claim.slice(String(t.metadata.name).length + 1)} in StatefulSet ${sts.metadata.name} success`, SRC);
  } catch (e) {
    if ((e as { reason?: string }).reason !== 'AlreadyExists') throw e;
  }
}


function finish(ctx: SimContext, c: Controller, _key: string, sts: KObj, updateRevision: string): void {
  const fresh = ctx.store.peek(GR.statefulsets, sts.metadata.namespace, sts.metadata.name!);
  if (!fresh) return;
  const replicas: number = fresh.spec?.replicas ?? 1;
  const pods = c.index.controlled(fresh.metadata.uid!, GR.pods).filter((p) => ordinal(fresh, p) >= 0 && !p.metadata.deletionTimestamp);
  const updated = pods.filter((p) => p.metadata.labels?.[REV_LABEL] === updateRevision);
  const ready = pods.filter(isPodReady);
  const minReady = fresh.spec?.minReadySeconds ?? 0;
  const available = pods.filter((p) => isPodAvailable(p, minReady));
  // The current revision catches up with the update revision once every pod runs it.
  let currentRev = fresh.status?.currentRevision ?? updateRevision;
  if (updated.length === pods.length && pods.length === replicas && ready.length === replicas) currentRev = updateRevision;
  const current = pods.filter((p) => p.metadata.labels?.[REV_LABEL] === currentRev);
  const status: Record<string, unknown> = {
    observedGeneration: fresh.metadata.generation,
    replicas: pods.length,
    ...(ready.length ? { readyReplicas: ready.length } : {}),
    ...(current.length ? { currentReplicas: current.length } : {}),
    ...(updated.length ? { updatedReplicas: updated.length } : {}),
    currentRevision: currentRev,
    updateRevision,
    collisionCount: fresh.status?.collisionCount ?? 0,
    availableReplicas: available.length,
  };
  writeStatus(ctx, GR.statefulsets, fresh, status);
  pruneRevisions(ctx, c.index, fresh, new Set([currentRev, updateRevision]));
}
