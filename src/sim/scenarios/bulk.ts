/**
 * `--pods N`: N extra Running pods over 10 `bulk-*` namespaces and the nodes, for benchmarks.
 * They carry the `static` behaviour, so the kubelet tracks them without timers, servers or
 * status writes; they are written straight to the store (already defaulted, as the API would).
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { GR, nowIso } from '../controllers/util.js';
import { imageId } from '../runtime/images.js';
import { put } from './build.js';

const NAMESPACES = 10;
const APPS = ['web', 'api', 'worker', 'cache', 'auth', 'search', 'billing', 'notifier'];

export function addBulkPods(ctx: SimContext, n: number): void {
  const nodes = ctx.store.list(GR.nodes).items;
  if (!nodes.length || n <= 0) return;
  for (let i = 0; i < NAMESPACES; i++) {
    put(ctx, GR.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bulk-${i}`, labels: { 'kubernetes.io/metadata.name': `bulk-${i}` } } });
  }
  // Room for them: kubelet's default of 110 pods per node would leave the scenario's own pods Pending.
  const perNode = Math.ceil(n / nodes.length) + 110;
  for (const node of nodes) {
    if (Number(node.status?.allocatable?.pods ?? 110) >= perNode) continue;
    const o = structuredClone(node);
    o.status.capacity = { ...(o.status.capacity ?? {}), pods: String(perNode) };
    o.status.allocatable = { ...(o.status.allocatable ?? {}), pods: String(perNode) };
    ctx.api.updateStatus(GR.nodes, o);
  }
  const started = nowIso();
  const image = 'ghcr.io/acme/bulk-app:1.0.0';
  const id = imageId(image);
  for (let i = 0; i < n; i++) {
    const node = nodes[i % nodes.length]!;
    const hostIP = ((node.status?.addresses ?? []) as KObj[]).find((a) => a.type === 'InternalIP')?.address ?? '10.132.0.10';
    const app = APPS[i % APPS.length]!;
    const name = `${app}-${i.toString(36).padStart(5, '0')}`;
    const ip = `10.${100 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`;
    const pod: KObj = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: `bulk-${i % NAMESPACES}`, labels: { app, bulk: 'true' }, annotations: { 'sim.kai-tui.dev/behaviour': 'static' } },
      spec: {
        nodeName: node.metadata.name, restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler', serviceAccountName: 'default', serviceAccount: 'default', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0,
        securityContext: {},
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      },
      status: {
        phase: 'Running', hostIP, hostIPs: [{ ip: hostIP }], podIP: ip, podIPs: [{ ip }], startTime: started, qosClass: 'BestEffort',
        conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started })),
        containerStatuses: [{ name: 'app', state: { running: { startedAt: started } }, lastState: {}, ready: true, restartCount: 0, image, imageID: id,
          containerID: `containerd://${(i + 1).toString(16).padStart(64, '0')}`, started: true }],
      },
    };
    try {
      ctx.store.adopt(GR.pods, pod);
    } catch (e) {
      if ((e as { reason?: string }).reason !== 'AlreadyExists') throw e;
    }
  }
}
