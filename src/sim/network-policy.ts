/**
 * NetworkPolicy as a CNI that enforces it (Calico, Cilium…) applies it to pod-to-pod traffic:
 * a pod selected by a policy with Ingress is isolated for ingress and admits only what some
 * such policy's rules allow (peers by podSelector, namespaceSelector, both, or ipBlock; ports by
 * number or name); the same for Egress from the source. Traffic to oneself is always allowed.
 * Port-forward does not go through here (it reaches the pod from the node, as on a real cluster).
 */
import type { KObj } from './types.js';
import { selectorMatches as matches } from './controllers/util.js';

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits = '32'] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (ipToInt(ip) & mask) === (ipToInt(base!) & mask);
}

const types = (p: KObj): string[] => p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);

export interface Endpoint { pod: KObj; namespaceLabels: Record<string, string> | undefined }

/** Does a rule's peer list admit `other`, as seen from a policy in namespace `ns`? */
function peerAdmits(peers: KObj[] | undefined, ns: string, other: Endpoint): boolean {
  if (!peers || peers.length === 0) return true; // no `from`/`to`: every peer
  const ip = other.pod.status?.podIP as string | undefined;
  return peers.some((peer) => {
    if (peer.ipBlock) return !!ip && inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(ip, c));
    const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, other.namespaceLabels) : other.pod.metadata.namespace === ns;
    const podOk = peer.podSelector ? matches(peer.podSelector, other.pod.metadata.labels) : true;
    return nsOk && podOk;
  });
}

/** Does a rule's port list admit `port` on `target` (named ports resolved on the target's containers)? */
function portAdmits(ports: KObj[] | undefined, target: KObj, port: number): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort ? port >= p.port && port <= p.endPort : port === p.port;
    return ((target.spec?.containers ?? []) as KObj[]).some((c) => (c.ports ?? []).some((cp: KObj) => cp.name === p.port && cp.containerPort === port));
  });
}

/**
 * Whether a TCP connection from `src` to `dst`:`port` gets through the policies (all
 * NetworkPolicies of the cluster in `policies`), and if not, which side dropped it.
 */
export function networkAllows(policies: KObj[], src: Endpoint, dst: Endpoint, port: number): { ok: true } | { ok: false; by: 'ingress' | 'egress'; policies: string[] } {
  if (src.pod.metadata.uid === dst.pod.metadata.uid) return { ok: true };
  const dstNs = dst.pod.metadata.namespace!;
  const ingress = policies.filter((p) => p.metadata.namespace === dstNs && types(p).includes('Ingress') && matches(p.spec?.podSelector ?? {}, dst.pod.metadata.labels));
  if (ingress.length && !ingress.some((p) => ((p.spec?.ingress ?? []) as KObj[]).some((r) => peerAdmits(r.from, dstNs, src) && portAdmits(r.ports, dst.pod, port)))) {
    return { ok: false, by: 'ingress', policies: ingress.map((p) => p.metadata.name!) };
  }
  const srcNs = src.pod.metadata.namespace!;
  const egress = policies.filter((p) => p.metadata.namespace === srcNs && types(p).includes('Egress') && matches(p.spec?.podSelector ?? {}, src.pod.metadata.labels));
  if (egress.length && !egress.some((p) => ((p.spec?.egress ?? []) as KObj[]).some((r) => peerAdmits(r.to, srcNs, dst) && portAdmits(r.ports, dst.pod, port)))) {
    return { ok: false, by: 'egress', policies: egress.map((p) => p.metadata.name!) };
  }
  return { ok: true };
}
