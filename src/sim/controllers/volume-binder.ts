/**
 * PersistentVolume controller + a dynamic provisioner: a Pending claim with a storage class
 * (its own or the default one) gets a provisioned PersistentVolume `pvc-<uid>` and is Bound;
 * without one it stays Pending with FailedBinding, as on a real cluster. Deleted claims release
 * their volumes (reclaimPolicy Delete removes them).
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { deleteQuietly, keyIf, splitKey, startController, type Controller } from './framework.js';
import { GR } from './util.js';

const PVS = { group: '', resource: 'persistentvolumes' };
const SCS = { group: 'storage.k8s.io', resource: 'storageclasses' };
const DEFAULT_SC = 'storageclass.kubernetes.io/is-default-class';

export function installVolumeBinder(ctx: SimContext): Controller {
  return startController(ctx, 'persistentvolume-binder', (ev, index) => {
    const k = keyIf(ev, GR.pvcs);
    if (k) return ev.type === 'DELETED' ? `deleted:${k}|${ev.object.spec?.volumeName ?? ''}` : k;
    // A new (default) StorageClass can unblock Pending claims.
    if (ev.key === 'storage.k8s.io/storageclasses' && ev.type !== 'DELETED') {
      return index.list(GR.pvcs).filter((p) => p.status?.phase === 'Pending').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    }
  }, (key, c) => {
    if (key.startsWith('deleted:')) return release(ctx, key.slice(8).split('|')[1]!);
    sync(ctx, c, key);
  });
}

function storageClassFor(ctx: SimContext, pvc: KObj): KObj | undefined {
  const name = pvc.spec?.storageClassName as string | undefined;
  if (name === '') return undefined;
  const all = ctx.store.list(SCS).items;
  if (name) return all.find((s) => s.metadata.name === name);
  return all.find((s) => s.metadata.annotations?.[DEFAULT_SC] === 'true');
}

function sync(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  const pvc = ctx.store.peek(GR.pvcs, ns, name);
  if (!pvc || pvc.metadata.deletionTimestamp || pvc.status?.phase === 'Bound') return;
  const src = { component: 'persistentvolume-controller' };
  const sc = storageClassFor(ctx, pvc);
  if (!sc) {
    const msg = pvc.spec?.storageClassName
      ? `storageclass.storage.k8s.io "${pvc.spec.storageClassName}" not found`
      : 'no persistent volumes available for this claim and no storage class is set';
    ctx.api.recordEvent(pvc, 'Warning', pvc.spec?.storageClassName ? 'ProvisioningFailed' : 'FailedBinding', msg, src);
    c.queue.addAfter(key, 15_000);
    return;
  }
  if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !consumed(c, pvc)) {
    ctx.api.recordEvent(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', src);
    c.queue.addAfter(key, 5_000);
    return;
  }
  const pvName = pvc.spec?.volumeName || `pvc-${pvc.metadata.uid}`;
  const storage = pvc.spec?.resources?.requests?.storage ?? '1Gi';
  const accessModes = pvc.spec?.accessModes ?? ['ReadWriteOnce'];
  ctx.api.recordEvent(pvc, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`, src);
  if (!ctx.store.peek(PVS, undefined, pvName)) {
    ctx.api.create(PVS, {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': sc.provisioner } },
      spec: {
        accessModes, capacity: { storage }, storageClassName: sc.metadata.name,
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete', volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion },
        csi: { driver: sc.provisioner, volumeHandle: `projects/acme-prod/zones/europe-west1-b/disks/${pvName}`, fsType: 'ext4' },
      },
      status: { phase: 'Bound' },
    });
  }
  ctx.api.recordEvent(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, { component: `${sc.provisioner}_csi-controller` });
  const o = structuredClone(pvc);
  o.spec.volumeName = pvName;
  o.spec.storageClassName ??= sc.metadata.name;
  o.metadata.annotations = {
    ...(o.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes',
    'volume.beta.kubernetes.io/storage-provisioner': sc.provisioner, 'volume.kubernetes.io/storage-provisioner': sc.provisioner,
  };
  const bound = ctx.api.update(GR.pvcs, o);
  const s = structuredClone(bound);
  s.status = { phase: 'Bound', accessModes, capacity: { storage } };
  ctx.api.updateStatus(GR.pvcs, s);
}

function consumed(c: Controller, pvc: KObj): boolean {
  return c.index.list(GR.pods, pvc.metadata.namespace).some((p) =>
    ((p.spec?.volumes ?? []) as KObj[]).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
}

/** A deleted claim's volume: reclaimPolicy Delete removes it, Retain marks it Released. */
function release(ctx: SimContext, pvName: string): void {
  if (!pvName) return;
  const pv = ctx.store.peek(PVS, undefined, pvName);
  if (!pv) return;
  if ((pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain') === 'Delete') return deleteQuietly(ctx, PVS, undefined, pvName);
  const o = structuredClone(pv);
  o.status = { phase: 'Released' };
  try { ctx.api.updateStatus(PVS, o); } catch { /* gone */ }
}
