/** PodDisruptionBudget status: expected/current/desired healthy pods and the disruptions allowed. */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { keyIf, splitKey, startController, writeStatus, type Controller } from './framework.js';
import { GR, intOrPercent, isPodActive, isPodReady, nowIso, selectorMatches } from './util.js';

export function installPdbController(ctx: SimContext): Controller {
  return startController(ctx, 'disruption-controller', (ev, index) => {
    const k = keyIf(ev, GR.pdbs);
    if (k) return k;
    if (ev.key !== '/pods') return;
    return index.list(GR.pdbs, ev.object.metadata.namespace).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  }, (key, c) => {
    const { ns, name } = splitKey(key);
    const pdb = ctx.store.peek(GR.pdbs, ns, name);
    if (!pdb) return;
    const pods = c.index.list(GR.pods, ns).filter((p) => isPodActive(p) && selectorMatches(pdb.spec?.selector, p.metadata.labels));
    const expected = expectedCount(ctx, pods);
    const healthy = pods.filter(isPodReady).length;
    let desired: number;
    if (pdb.spec?.maxUnavailable !== undefined) desired = Math.max(0, expected - intOrPercent(pdb.spec.maxUnavailable, expected, '0', true));
    else desired = intOrPercent(pdb.spec?.minAvailable ?? 1, expected, '0', true);
    const allowed = Math.max(0, healthy - desired);
    const prev = ((pdb.status?.conditions ?? []) as KObj[]).find((x) => x.type === 'DisruptionAllowed');
    const ok = allowed > 0;
    writeStatus(ctx, GR.pdbs, pdb, {
      observedGeneration: pdb.metadata.generation,
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      conditions: [{
        type: 'DisruptionAllowed', status: ok ? 'True' : 'False', observedGeneration: pdb.metadata.generation,
        lastTransitionTime: prev && prev.status === (ok ? 'True' : 'False') ? prev.lastTransitionTime : nowIso(),
        reason: ok ? 'SufficientPods' : 'InsufficientPods', message: '',
      }],
    });
  });
}

/** The scale of the pods' controllers (what the real disruption controller counts), else the pod count. */
function expectedCount(ctx: SimContext, pods: KObj[]): number {
  const seen = new Map<string, number>();
  let bare = 0;
  for (const p of pods) {
    const r = p.metadata.ownerReferences?.find((x) => x.controller);
    if (!r) { bare++; continue; }
    if (seen.has(r.uid)) continue;
    let n = 1;
    if (r.kind === 'ReplicaSet') n = ctx.store.peek(GR.replicasets, p.metadata.namespace, r.name)?.spec?.replicas ?? 1;
    else if (r.kind === 'StatefulSet') n = ctx.store.peek(GR.statefulsets, p.metadata.namespace, r.name)?.spec?.replicas ?? 1;
    else n = pods.filter((q) => q.metadata.ownerReferences?.some((x) => x.uid === r.uid)).length;
    seen.set(r.uid, n);
  }
  return bare + [...seen.values()].reduce((s, n) => s + n, 0);
}
