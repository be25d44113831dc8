/** ControllerRevisions for StatefulSets and DaemonSets (what `rollout history/undo` read for them). */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import type { ClusterIndex } from './cache.js';
import { deleteQuietly } from './framework.js';
import { GR, ownerRef, templateHash } from './util.js';

/** The revision for the owner's current template: found or created with the next revision number. */
export function currentRevision(ctx: SimContext, index: ClusterIndex, owner: KObj): { name: string; hash: string; revision: number } {
  const hash = templateHash(owner.spec?.template, owner.status?.collisionCount ?? 0);
  const name = `${owner.metadata.name}-${hash}`;
  const revs = index.controlled(owner.metadata.uid!, GR.controllerrevisions);
  const found = revs.find((r) => r.metadata.name === name);
  const max = Math.max(0, ...revs.map((r) => Number(r.revision) || 0));
  if (found) {
    // Rolling back to an old template: it becomes the newest revision again.
    if (Number(found.revision) < max) {
      const o = structuredClone(found);
      o.revision = max + 1;
      try { ctx.api.update(GR.controllerrevisions, o); } catch { /* retried next sync */ }
      return { name, hash, revision: max + 1 };
    }
    return { name, hash, revision: Number(found.revision) };
  }
  const labels: Record<string, string> = { ...(owner.spec?.selector?.matchLabels ?? {}), 'controller.kubernetes.io/hash': hash };
  ctx.api.create(GR.controllerrevisions, {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: { name, namespace: owner.metadata.namespace, labels, ownerReferences: [ownerRef(owner)] },
    data: { spec: { template: { ...structuredClone(owner.spec?.template ?? {}), $patch: 'replace' } } },
    revision: max + 1,
  });
  return { name, hash, revision: max + 1 };
}

export function pruneRevisions(ctx: SimContext, index: ClusterIndex, owner: KObj, inUse: Set<string>): void {
  const limit: number = owner.spec?.revisionHistoryLimit ?? 10;
  const revs = index.controlled(owner.metadata.uid!, GR.controllerrevisions)
    .filter((r) => !inUse.has(r.metadata.name!)).sort((a, b) => Number(a.revision) - Number(b.revision));
  for (const r of revs.slice(0, Math.max(0, revs.length - limit))) deleteQuietly(ctx, GR.controllerrevisions, r.metadata.namespace, r.metadata.name!);
}
