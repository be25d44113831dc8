/** The `empty` scenario: three Ready nodes and the system add-ons a fresh cluster runs. */
import type { SimContext } from '../context.js';
import { GR } from '../controllers/util.js';
import { makeNode } from '../runtime/node.js';
import { container, deployment, put, service } from './build.js';

export const NODES = [
  { name: 'kai-node-1', zone: 'europe-west1-b', ip: '10.132.0.11', podCIDR: '10.244.1.0/24' },
  { name: 'kai-node-2', zone: 'europe-west1-c', ip: '10.132.0.12', podCIDR: '10.244.2.0/24' },
  { name: 'kai-node-3', zone: 'europe-west1-d', ip: '10.132.0.13', podCIDR: '10.244.3.0/24' },
];

/** The cluster's size and release (the fleet's clusters differ in both). */
export interface ClusterShape {
  /** Node count (default 3: the NODES above; more are named kai-node-4, …). */
  nodes?: number;
  kubeletVersion?: string;
}

const ZONES = ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'];

export function nodeSpecs(count = NODES.length): typeof NODES {
  return Array.from({ length: Math.max(1, count) }, (_, i) => NODES[i] ?? {
    name: `kai-node-${i + 1}`, zone: ZONES[i % ZONES.length]!, ip: `10.132.${(i + 11) >> 8}.${(i + 11) & 255}`, podCIDR: `10.244.${i + 1}.0/24`,
  });
}

export function loadEmpty(ctx: SimContext, shape: ClusterShape = {}): void {
  // The nodes joined twelve days ago (written to the store as the kubelet registered them).
  const joined = new Date(Date.now() - 12 * 86_400_000 - 3 * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  for (const n of nodeSpecs(shape.nodes)) {
    if (ctx.store.peek(GR.nodes, undefined, n.name)) continue;
    const node = makeNode({ ...n, cpu: '4', memory: '16331392Ki', role: 'worker', kubeletVersion: shape.kubeletVersion });
    node.metadata.creationTimestamp = joined;
    for (const c of node.status.conditions as Array<Record<string, string>>) c.lastTransitionTime = joined;
    ctx.store.create(GR.nodes, node);
  }
  // Storage classes as a managed cluster ships them; the default one provisions PVCs.
  const sc = (name: string, type: string, isDefault: boolean) => put(ctx, { group: 'storage.k8s.io', resource: 'storageclasses' }, {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}), labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' } },
    provisioner: 'pd.csi.storage.gke.io', parameters: { type }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true,
  });
  sc('standard-rwo', 'pd-balanced', true);
  sc('premium-rwo', 'pd-ssd', false);
  // The apiserver's own endpoints (the `kubernetes` Service has no selector).
  put(ctx, GR.endpoints, {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: '10.132.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
  const dns = deployment('kube-system', 'coredns', 2, [container({ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3', port: 53, portName: 'dns', cpu: '100m', memory: '70Mi', memoryLimit: '170Mi' })],
    { labels: { 'k8s-app': 'kube-dns' }, podSpec: { priorityClassName: 'system-cluster-critical' } });
  // CoreDNS answers on 53 over UDP and TCP and exports metrics on 9153, as in a real cluster.
  dns.spec.template.spec.containers[0].ports = [
    { name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }, { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
  ];
  put(ctx, GR.deployments, dns);
  const dnsSvc = service('kube-system', 'kube-dns', { app: 'coredns' }, []);
  dnsSvc.spec.ports = [
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }, { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
  ];
  put(ctx, GR.services, { ...dnsSvc, metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } });
  put(ctx, GR.daemonsets, {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' }, annotations: { 'sim.kai-tui.dev/cpu': '2m-10m', 'sim.kai-tui.dev/memory': '18Mi' } },
        spec: { containers: [container({ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.32.3', cpu: '10m', memory: '32Mi' })], priorityClassName: 'system-node-critical', hostNetwork: true },
      },
    },
  });
}
