/**
 * DaemonSet controller: one pod per eligible node (nodeSelector, taints vs tolerations,
 * including the tolerations the real controller adds), controllerrevisions, and rolling
 * updates that replace pods on the old revision one node at a time (maxUnavailable).
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { deleteQuietly, keyIf, ownerKeyIf, splitKey, startController, writeStatus, type Controller } from './framework.js';
import { currentRevision, pruneRevisions } from './revisions.js';
import { bindPod } from './scheduler.js';
import { GR, intOrPercent, isPodAvailable, isPodReady, podFromTemplate, randSuffix } from './util.js';

const SRC = { component: 'daemonset-controller' };
const REV_LABEL = 'controller-revision-hash';

const DEFAULT_TOLERATIONS: KObj[] = ([
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
] as unknown[]) as KObj[];

export function installDaemonSetController(ctx: SimContext): Controller {
  return startController(ctx, 'daemonset-controller', (ev, index) => {
    const k = keyIf(ev, GR.daemonsets) ?? (ev.key === '/pods' ? ownerKeyIf(ev, 'DaemonSet') : undefined);
    if (k) return k;
    if (ev.key === '/nodes') return index.list(GR.daemonsets).map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
  }, (key, c) => sync(ctx, c, key));
}

/** Whether a daemon pod belongs on the node: new pods respect NoSchedule taints, running ones only NoExecute. */
function eligible(ds: KObj, node: KObj, running = false): boolean {
  const sel = ds.spec?.template?.spec?.nodeSelector as Record<string, string> | undefined;
  const labels = node.metadata.labels ?? {};
  if (sel && Object.entries(sel).some(([k, v]) => labels[k] !== v)) return false;
  const tols = [...((ds.spec?.template?.spec?.tolerations ?? []) as KObj[]), ...DEFAULT_TOLERATIONS];
  return ((node.spec?.taints ?? []) as KObj[]).filter((t) => t.effect === 'NoExecute' || (t.effect === 'NoSchedule' && !running)).every((t) =>
    tols.some((x) => (!x.effect || x.effect === t.effect) && (x.operator === 'Exists' ? !x.key || x.key === t.key : x.key === t.key && (x.value ?? '') === (t.value ?? ''))));
}

function sync(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  const ds = ctx.store.peek(GR.daemonsets, ns, name);
  if (!ds || ds.metadata.deletionTimestamp) return;
  const rev = currentRevision(ctx, c.index, ds);
  const nodes = c.index.list(GR.nodes);
  const pods = c.index.controlled(ds.metadata.uid!, GR.pods).filter((p) => !p.metadata.deletionTimestamp);
  const byNode = new Map<string, KObj[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName ?? '';
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const want = nodes.filter((n) => eligible(ds, n, (byNode.get(n.metadata.name!) ?? []).length > 0));
  const wantNames = new Set(want.map((n) => n.metadata.name!));
  for (const n of want) {
    const on = byNode.get(n.metadata.name!) ?? [];
    if (on.length === 0) createPod(ctx, ds, n.metadata.name!, rev.hash);
    for (const extra of on.slice(1)) deleteQuietly(ctx, GR.pods, ns, extra.metadata.name!);
    const failed = on.find((p) => p.status?.phase === 'Failed');
    if (failed) deleteQuietly(ctx, GR.pods, ns, failed.metadata.name!);
  }
  for (const [n, on] of byNode) if (!wantNames.has(n)) for (const p of on) deleteQuietly(ctx, GR.pods, ns, p.metadata.name!);
  // Rolling update: replace old-revision pods, at most maxUnavailable at a time.
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const maxUnavailable = Math.max(1, intOrPercent(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, want.length, '1', false));
    const live = c.index.controlled(ds.metadata.uid!, GR.pods).filter((p) => !p.metadata.deletionTimestamp);
    const unavailable = want.length - live.filter((p) => isPodReady(p)).length;
    let budget = maxUnavailable - Math.max(0, unavailable);
    for (const p of live) {
      if (p.metadata.labels?.[REV_LABEL] === rev.hash) continue;
      if (budget <= 0 && isPodReady(p)) break;
      deleteQuietly(ctx, GR.pods, ns, p.metadata.name!);
      ctx.api.recordEvent(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, SRC);
      if (isPodReady(p)) budget--;
    }
  }
  const fresh = ctx.store.peek(GR.daemonsets, ns, name);
  if (!fresh) return;
  const live = c.index.controlled(fresh.metadata.uid!, GR.pods).filter((p) => !p.metadata.deletionTimestamp);
  const scheduled = live.filter((p) => wantNames.has(p.spec?.nodeName));
  const ready = scheduled.filter(isPodReady).length;
  const available = scheduled.filter((p) => isPodAvailable(p, fresh.spec?.minReadySeconds ?? 0)).length;
  const updated = scheduled.filter((p) => p.metadata.labels?.[REV_LABEL] === rev.hash).length;
  writeStatus(ctx, GR.daemonsets, fresh, {
    currentNumberScheduled: scheduled.length,
    desiredNumberScheduled: want.length,
    ...(available ? { numberAvailable: available } : {}),
    numberMisscheduled: live.length - scheduled.length,
    numberReady: ready,
    observedGeneration: fresh.metadata.generation,
    ...(updated ? { updatedNumberScheduled: updated } : {}),
    ...(want.length - available > 0 ? { numberUnavailable: want.length - available } : {}),
  });
  pruneRevisions(ctx, c.index, fresh, new Set([`${name}-${rev.hash}`]));
}

function createPod(ctx: SimContext, ds: KObj, node: string, hash: string): void {
  const pod = podFromTemplate(ds.spec.template, ds, { name: `${ds.metadata.name}-${randSuffix(5)}` }, {
    [REV_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1),
  });
  pod.spec.tolerations = [...((pod.spec.tolerations ?? []) as KObj[]), ...DEFAULT_TOLERATIONS.filter((d) => !((pod.spec.tolerations ?? []) as KObj[]).some((t) => t.key === d.key))];
  pod.spec.affinity = { ...(pod.spec.affinity ?? {}), nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
  try {
    const created = ctx.api.create(GR.pods, pod);
    ctx.api.recordEvent(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SRC);
    // The default scheduler binds daemon pods (their node affinity leaves one choice): no search, same Binding and "Scheduled" event.
    bindPod(ctx, created, node);
  } catch (e) {
    ctx.api.recordEvent(ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, SRC);
  }
}
