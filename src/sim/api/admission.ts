/**
 * Validating admission on create, after defaulting and validation, as kube-apiserver's plugins:
 *  - ServiceAccount: a pod's serviceAccountName must exist in its namespace
 *    (`error looking up service account NS/NAME: serviceaccount "NAME" not found`);
 *  - ResourceQuota: quota.ts (exceeded quota / must specify);
 *  - admission webhooks that cannot be called (webhooks.ts).
 * Both answer 403 `pods "NAME" is forbidden: …`, which controllers report as FailedCreate.
 * Objects a scenario seeds with their status already set are not admitted (they stand for
 * what a cluster already holds).
 */
import { ApiError } from '../errors.js';
import type { ObjectStore } from '../storage.js';
import type { KObj } from '../types.js';
import type { ResourceType } from '../registry/index.js';
import { QuotaTracker } from './quota.js';
import { callWebhooks } from './webhooks.js';

export class Admission {
  readonly quota: QuotaTracker;
  constructor(private readonly store: ObjectStore) {
    this.quota = new QuotaTracker(store);
  }

  admitCreate(rt: ResourceType, o: KObj): void {
    if (!rt.storage) callWebhooks(this.store, rt, o, 'CREATE');
    if (rt.crd || rt.storage) return;
    const forbidden = (msg: string) => new ApiError(403, 'Forbidden', `${rt.plural}${rt.group ? `.${rt.group}` : ''} "${o.metadata.name ?? ''}" is forbidden: ${msg}`,
      { name: o.metadata.name, group: rt.group || undefined, kind: rt.plural });
    if (rt.kind === 'Pod' && !rt.group) {
      const ns = o.metadata.namespace!;
      const sa = o.spec?.serviceAccountName || 'default';
      if (!this.store.peek({ group: '', resource: 'serviceaccounts' }, ns, sa)) {
        throw forbidden(`error looking up service account ${ns}/${sa}: serviceaccount "${sa}" not found`);
      }
    }
    const q = this.quota.admit(rt.plural, rt.group, o);
    if (q) throw forbidden(q);
  }
}
