/**
 * Node leases (coordination.k8s.io/v1, namespace kube-node-lease), as each kubelet keeps one:
 * holder = node name, 40 s duration, owned by its Node. A real kubelet renews every 10 s; we
 * renew sparsely (every 60 simulated seconds) so watches stay quiet, and a node made NotReady
 * (sim.kai-tui.dev/node-condition: not-ready) stops renewing, as a dead kubelet would.
 * The control plane's leader-election leases (kube-system) are kept the same way.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { nodeDown } from '../controllers/node-lifecycle.js';
import { GR } from '../controllers/util.js';

export const LEASES = { group: 'coordination.k8s.io', resource: 'leases' };
export const NODE_LEASE_NS = 'kube-node-lease';
const RENEW_MS = 60_000;
const CONTROL_PLANE = ['kube-controller-manager', 'kube-scheduler'];

/** Lease times are MicroTime: RFC 3339 with microseconds. */
export const microTime = (ms = Date.now()): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

function upsert(ctx: SimContext, ns: string, name: string, holder: string, duration: number, owner?: KObj): void {
  const now = microTime();
  const cur = ctx.store.peek(LEASES, ns, name);
  try {
    if (!cur) {
      ctx.api.create(LEASES, {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
        metadata: { name, namespace: ns, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: owner.metadata.name!, uid: owner.metadata.uid! }] } : {}) },
        spec: { holderIdentity: holder, leaseDurationSeconds: duration, renewTime: now, ...(owner ? {} : { acquireTime: now, leaseTransitions: 0 }) },
      });
      return;
    }
    const o = structuredClone(cur);
    o.spec = { ...o.spec, holderIdentity: holder, renewTime: now };
    ctx.api.update(LEASES, o);
  } catch { /* namespace or node going away; the next round retries */ }
}

function renewAll(ctx: SimContext): void {
  if (!ctx.store.peek(GR.namespaces, undefined, NODE_LEASE_NS)) return;
  for (const node of ctx.store.list(GR.nodes).items) {
    if (node.metadata.deletionTimestamp || nodeDown(node)) continue;
    upsert(ctx, NODE_LEASE_NS, node.metadata.name!, node.metadata.name!, 40, node);
  }
  // The control plane is managed (no Node of its own), as on GKE/EKS; its host keeps one name.
  for (const name of CONTROL_PLANE) upsert(ctx, 'kube-system', name, `kai-control-plane_${holderId(name)}`, 15);
}

/** A stable uuid-like id per component, as leader election appends to the holder's hostname. */
function holderId(seed: string): string {
  let h = 2166136261;
  let out = '';
  while (out.length < 32) {
    for (const ch of seed + out.length) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}-${out.slice(16, 20)}-${out.slice(20, 32)}`;
}

export function startNodeLeases(ctx: SimContext): void {
  // New nodes get their lease at once; everything is renewed on the sparse interval.
  const stopWatch = ctx.store.watch({ key: '/nodes' }, undefined, (ev) => {
    if (ev.type !== 'ADDED') return;
    setImmediate(() => {
      const n = ctx.store.peek(GR.nodes, undefined, ev.object.metadata.name!);
      if (n && !nodeDown(n) && ctx.store.peek(GR.namespaces, undefined, NODE_LEASE_NS)) upsert(ctx, NODE_LEASE_NS, n.metadata.name!, n.metadata.name!, 40, n);
    });
  });
  setImmediate(() => renewAll(ctx));
  const stop = ctx.clock.setInterval(() => renewAll(ctx), RENEW_MS);
  ctx.onStop(() => {
    stopWatch();
    stop();
  });
}
