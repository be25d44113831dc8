/** Simulated nodes: a believable Node object, and the kubelet's sparse heartbeats. */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { GR, nowIso } from '../controllers/util.js';
import { nodeDown } from '../controllers/node-lifecycle.js';

export interface NodeSpec {
  name: string;
  cpu: string;
  memory: string;
  /** What the kubelet reserves for the system is subtracted from capacity (defaults: 80m, 1Gi when given in Ki). */
  allocatableCpu?: string;
  allocatableMemory?: string;
  role?: 'control-plane' | 'worker';
  zone?: string;
  ip: string;
  podCIDR: string;
  taints?: KObj[];
  labels?: Record<string, string>;
  /** Default v1.32.3. */
  kubeletVersion?: string;
}

const KUBELET_VERSION = 'v1.32.3';

export function makeNode(n: NodeSpec): KObj {
  const now = nowIso();
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux',
        ...(n.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        ...(n.zone ? { 'topology.kubernetes.io/zone': n.zone, 'topology.kubernetes.io/region': n.zone.replace(/-[a-z]$/, '') } : {}),
        'node.kubernetes.io/instance-type': 'e2-standard-4',
        ...(n.labels ?? {}),
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR], providerID: `kai-sim://${n.name}`, ...(n.taints?.length ? { taints: n.taints } : {}) },
    status: {
      capacity: { cpu: n.cpu, 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: n.memory, pods: '110' },
      allocatable: { cpu: n.allocatableCpu ?? reserveCpu(n.cpu), 'ephemeral-storage': '94580335255', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: n.allocatableMemory ?? reserveMemory(n.memory), pods: '110' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: n.ip }, { type: 'Hostname', address: n.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hex(n.name, 32), systemUUID: uuidOf(n.name), bootID: uuidOf(`${n.name}-boot`),
        kernelVersion: '6.1.0-27-cloud-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: n.kubeletVersion ?? KUBELET_VERSION, kubeProxyVersion: n.kubeletVersion ?? KUBELET_VERSION, operatingSystem: 'linux', architecture: 'amd64',
      },
      images: [],
    },
  };
}

function reserveCpu(cpu: string): string {
  const m = /^(\d+)$/.exec(cpu);
  return m ? `${Number(m[1]) * 1000 - 80}m` : cpu;
}

function reserveMemory(mem: string): string {
  const m = /^(\d+)Ki$/.exec(mem);
  return m ? `${Number(m[1]) - 1_152_000}Ki` : mem;
}

function hex(seed: string, n: number): string {
  let h = 2166136261;
  let out = '';
  while (out.length < n) {
    for (const ch of seed + out.length) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, n);
}

const uuidOf = (seed: string): string => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** Every 5 simulated minutes, as kubelet's nodeStatusReportFrequency: sparse, so watches stay quiet. */
export function startNodeHeartbeats(ctx: SimContext): void {
  const beat = () => {
    const now = nowIso();
    for (const node of ctx.store.list(GR.nodes).items) {
      if (!node.status?.conditions || nodeDown(node)) continue;
      const o = structuredClone(node);
      for (const c of o.status.conditions as KObj[]) c.lastHeartbeatTime = now;
      try { ctx.api.updateStatus(GR.nodes, o); } catch { /* node deleted meanwhile */ }
    }
  };
  const stop = ctx.clock.setInterval(beat, 300_000);
  ctx.onStop(stop);
}
