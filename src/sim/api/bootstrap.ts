/**
 * What a fresh cluster holds before any scenario: the system namespaces, the `kubernetes`
 * Service, and per namespace the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap
 * (the serviceaccount and root-CA publisher controllers). Also the bulk pods of `--pods N`.
 */
import type { ObjectStore } from '../storage.js';
import type { KObj } from '../types.js';
import type { Registry } from '../registry/index.js';
import type { ApiCore } from './core.js';
import { applyDefaults } from './defaults.js';
import { validate } from './validate.js';

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The serviceaccount controller's part every cluster has: each namespace, existing or created
 * later, gets its `default` ServiceAccount at once (pods are refused without it). Returns the
 * per-namespace seeding for callers that also publish more (bootstrapCluster).
 */
export function seedDefaultServiceAccounts(store: ObjectStore, core: ApiCore, registry: Registry, extra?: (ns: string) => void): (ns: string) => void {
  const seed = (ns: string) => {
    if (!store.peek({ group: '', resource: 'serviceaccounts' }, ns, 'default')) {
      try {
        core.create(registry.forResource('', 'serviceaccounts')!, ns, { metadata: { name: 'default' } });
      } catch { /* namespace going away */ }
    }
    extra?.(ns);
  };
  core.afterCreate.push((rt, o) => {
    if (rt.kind === 'Namespace' && !rt.group) seed(o.metadata.name!);
  });
  for (const ns of store.list({ group: '', resource: 'namespaces' }).items) seed(ns.metadata.name!);
  return seed;
}

export function bootstrapCluster(store: ObjectStore, core: ApiCore, registry: Registry, caPem: string): () => void {
  const rt = (g: string, r: string) => registry.forResource(g, r)!;
  const publishCa = (ns: string) => {
    if (!store.peek({ group: '', resource: 'configmaps' }, ns, 'kube-root-ca.crt')) {
      try {
        core.create(rt('', 'configmaps'), ns, {
          metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
          data: { 'ca.crt': caPem },
        });
      } catch { /* namespace going away */ }
    }
  };
  // The serviceaccount and root-CA publisher controllers answer within moments; here at once,
  // so a pod created right after its namespace finds its `default` ServiceAccount.
  const seedNamespace = seedDefaultServiceAccounts(store, core, registry, publishCa);
  const stop = store.watch({ key: '/namespaces' }, undefined, (ev) => {
    if (ev.type === 'ADDED') {
      const name = ev.object.metadata.name!;
      setImmediate(() => {
        const ns = store.peek({ group: '', resource: 'namespaces' }, undefined, name);
        if (ns && !ns.metadata.deletionTimestamp) seedNamespace(name);
      });
    }
  });
  // As the root-CA publisher and the serviceaccount controller do: deleted ones come back.
  const stopRepair = store.watch({ key: '*' }, undefined, (ev) => {
    if (ev.type !== 'DELETED') return;
    const o = ev.object;
    const repair = (ev.key === '/configmaps' && o.metadata.name === 'kube-root-ca.crt') || (ev.key === '/serviceaccounts' && o.metadata.name === 'default');
    if (!repair) return;
    const ns = o.metadata.namespace!;
    setImmediate(() => {
      const n = store.peek({ group: '', resource: 'namespaces' }, undefined, ns);
      if (n && !n.metadata.deletionTimestamp) seedNamespace(ns);
    });
  });
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    core.create(rt('', 'namespaces'), undefined, { metadata: { name } });
    seedNamespace(name);
  }
  core.create(rt('', 'services'), 'default', {
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
  });
  return () => {
    stop();
    stopRepair();
  };
}

function benchNode(name: string, i: number): KObj {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: { podCIDR: `10.244.${i}.0/24` },
    status: {
      capacity: { cpu: '64', memory: '256Gi', pods: '30000' }, allocatable: { cpu: '64', memory: '256Gi', pods: '30000' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: nowIso(), lastTransitionTime: nowIso() }],
      addresses: [{ type: 'InternalIP', address: `172.18.0.${10 + i}` }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-kai', containerRuntimeVersion: 'containerd://1.7.22', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

/**
 * Adds `n` Running pods spread over 10 `load-*` namespaces and the existing nodes (three bench
 * nodes are added when the cluster has none). Used when no scenario module handles `--pods`.
 */
export function addBulkPods(store: ObjectStore, core: ApiCore, registry: Registry, n: number): void {
  if (n <= 0) return;
  const nodesRt = registry.forResource('', 'nodes')!;
  let nodes = store.list({ group: '', resource: 'nodes' }).items.map((o) => o.metadata.name!);
  if (!nodes.length) {
    for (let i = 1; i <= 3; i++) core.create(nodesRt, undefined, benchNode(`kai-load-node-${i}`, i), { keepStatus: true });
    nodes = ['kai-load-node-1', 'kai-load-node-2', 'kai-load-node-3'];
  }
  const nsCount = Math.min(10, n);
  for (let i = 0; i < nsCount; i++) {
    if (!store.peek({ group: '', resource: 'namespaces' }, undefined, `load-${i}`)) {
      core.create(registry.forResource('', 'namespaces')!, undefined, { metadata: { name: `load-${i}` } });
    }
  }
  const podsRt = registry.forResource('', 'pods')!;
  const started = nowIso();
  for (let i = 0; i < n; i++) {
    const ns = `load-${i % nsCount}`;
    const app = `load-${i % 20}`;
    const name = `${app}-${(i + 100000).toString(36)}`;
    const node = nodes[i % nodes.length]!;
    const ip = `10.244.${(i >> 8) & 255}.${(i & 255) || 1}`;
    const obj: KObj = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: ns, labels: { app, tier: i % 3 === 0 ? 'web' : 'worker' } },
      spec: { nodeName: node, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '1m', memory: '4Mi' } } }] },
      status: {
        phase: 'Running', hostIP: '172.18.0.10', podIP: ip, podIPs: [{ ip }], startTime: started, qosClass: 'Burstable',
        conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started })),
        containerStatuses: [{
          name: 'app', ready: true, started: true, restartCount: 0, image: 'registry.k8s.io/pause:3.9',
          imageID: 'registry.k8s.io/pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097',
          containerID: `containerd://${(i + 1).toString(16).padStart(64, '0')}`, state: { running: { startedAt: started } },
        }],
      },
    };
    // Same defaulting and validation as the API, without its copies (20k pods load in well under a second).
    applyDefaults(obj, core, true);
    validate(obj, podsRt);
    store.adopt({ group: '', resource: 'pods' }, obj);
  }
}
