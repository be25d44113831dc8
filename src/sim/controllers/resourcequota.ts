/**
 * ResourceQuota controller: keeps each quota's status.hard (its spec.hard) and status.used (the
 * namespace's current usage, counted as the admission plugin counts it: api/quota.ts) up to
 * date when the quota or anything it counts changes.
 */
import type { SimContext } from '../context.js';
import { QuotaTracker } from '../api/quota.js';
import { splitKey, startController, writeStatus, type Controller } from './framework.js';

const QUOTAS = { group: '', resource: 'resourcequotas' };

export function installResourceQuotaController(ctx: SimContext): Controller {
  const tracker = new QuotaTracker(ctx.store);
  return startController(ctx, 'resourcequota-controller', (ev, index) => {
    const ns = ev.object.metadata.namespace;
    if (!ns || ev.key === '/events') return;
    if (ev.key === '/resourcequotas') return `${ns}/${ev.object.metadata.name}`;
    // Any namespaced object may be counted (count/<resource>); only namespaces with quotas care.
    const quotas = index.list(QUOTAS, ns);
    return quotas.length ? quotas.map((q) => `${ns}/${q.metadata.name}`) : undefined;
  }, (key) => {
    const { ns, name } = splitKey(key);
    const q = ctx.store.peek(QUOTAS, ns, name);
    if (!q) return;
    writeStatus(ctx, QUOTAS, q, tracker.status(q));
  });
}
