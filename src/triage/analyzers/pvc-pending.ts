import type { KubeObject } from '../../kube/types.js';
import { refKey, type Finding } from '../types.js';
import { eventLines, podRef, short, type Analyzer } from './common.js';

export const pvcPending: Analyzer = {
  category: 'pvc-pending',
  explain: 'A PersistentVolumeClaim stays Pending: its StorageClass does not exist, it has none and there is no default class, or the '
    + 'provisioner failed (ProvisioningFailed/FailedBinding events). Pods that mount it stay Pending ("unbound immediate PersistentVolumeClaims"), '
    + 'so the claim — not the pod or its workload — is the object to fix; the stuck pods are listed as symptoms. A claim of a '
    + 'WaitForFirstConsumer class that no pod uses yet is normal and not reported.',
  analyze(s) {
    const out: Finding[] = [];
    const classes = s.all('storageclasses');
    const defaultClass = classes.find((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    for (const pvc of s.all('persistentvolumeclaims')) {
      if (pvc.status?.phase !== 'Pending' || pvc.metadata.deletionTimestamp) continue;
      const ns = pvc.metadata.namespace;
      const users = s.inNamespace('pods', ns).filter((p) => (p.spec?.volumes ?? []).some((v: KubeObject) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
      const className: string | undefined = pvc.spec?.storageClassName ?? defaultClass?.metadata.name;
      const cls = className ? classes.find((c) => c.metadata.name === className) : undefined;
      if (cls?.volumeBindingMode === 'WaitForFirstConsumer' && users.length === 0) continue;
      let cause: string;
      if (pvc.spec?.volumeName) cause = `it names volume ${pvc.spec.volumeName}, which is not available`;
      else if (!className) cause = 'it has no storageClassName and the cluster has no default StorageClass';
      else if (s.has('storageclasses') && !cls) cause = `StorageClass ${className} does not exist`;
      else cause = 'the provisioner has not bound it';
      const evidence = [
        `claim ${pvc.metadata.name}: Pending, storageClassName ${pvc.spec?.storageClassName ?? '(none)'}, requests ${pvc.spec?.resources?.requests?.storage ?? '?'}`,
        ...(s.has('storageclasses') ? [`StorageClasses: ${classes.map((c) => c.metadata.name).join(', ') || 'none'}`] : []),
        ...eventLines(s, 'PersistentVolumeClaim', ns, pvc.metadata.name, /^(ProvisioningFailed|FailedBinding)$/, 1),
        ...users.slice(0, 3).map((p) => `pod ${p.metadata.name} waits for it: ${short((p.status?.conditions ?? []).find((c: KubeObject) => c.type === 'PodScheduled')?.message ?? p.status?.phase)}`),
      ];
      const ref = { kind: 'PersistentVolumeClaim', namespace: ns, name: pvc.metadata.name };
      const workloads = users.map((p) => s.workloadOf(p));
      // A StatefulSet's claim template produces <template>-<sts>-<i>: the StatefulSet waits on it too.
      for (const sts of s.inNamespace('statefulsets', ns)) {
        if ((sts.spec?.volumeClaimTemplates ?? []).some((t: KubeObject) => pvc.metadata.name.startsWith(`${t.metadata?.name}-${sts.metadata.name}-`))) {
          workloads.push({ kind: 'StatefulSet', namespace: ns, name: sts.metadata.name });
        }
      }
      out.push({
        category: 'pvc-pending', severity: users.length ? 'high' : 'medium', object: ref,
        summary: `claim ${pvc.metadata.name} is Pending: ${cause}${users.length ? ` (${users.length} pod${users.length === 1 ? '' : 's'} waiting)` : ''}`,
        evidence, symptoms: [], since: pvc.metadata.creationTimestamp,
        covers: [refKey(ref), ...users.map((p) => refKey(podRef(p))), ...workloads.map(refKey)],
        related: [...(className ? [{ kind: 'StorageClass', name: className }] : []), ...workloads],
      });
    }
    return out;
  },
};
