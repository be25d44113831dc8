/**
 * Ownership trees built from the cache: Deployment → ReplicaSets → Pods → containers,
 * StatefulSet/DaemonSet/Job → Pods, CronJob → Jobs → Pods, Service → endpoints and pods.
 */
import type { KubeObject } from '../kube/types.js';
import { podHealth, cachedSummary } from './columns/pods.js';
import { viewFor } from './columns/index.js';
import type { Health } from './columns/types.js';

export interface TreeNode {
  label: string;
  health?: Health;
  children: TreeNode[];
  /** The object this node stands for, when it is one. */
  ref?: { kind: string; namespace?: string; name: string };
  /** A container row: its pod (the shell pane opens a shell in it). */
  container?: { namespace?: string; pod: string; name: string };
}

/** What the tree needs from the cache: the objects of a kind in the object's namespace. */
export type Lookup = (resource: 'pods' | 'replicasets' | 'jobs' | 'endpoints') => Iterable<KubeObject>;

function ownedBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => (owner.metadata.uid ? r.uid === owner.metadata.uid : r.name === owner.metadata.name && r.kind === owner.kind));
}

function children(items: Iterable<KubeObject>, owner: KubeObject): KubeObject[] {
  const out: KubeObject[] = [];
  for (const o of items) if (ownedBy(o, owner)) out.push(o);
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function containerNodes(pod: KubeObject): TreeNode[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const statuses = new Map<string, any>(((pod.status?.containerStatuses ?? []) as any[]).map((c) => [c.name, c]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return ((pod.spec?.containers ?? []) as any[]).map((c) => {
    const st = statuses.get(c.name);
    const state = st?.state?.running ? 'running' : st?.state?.waiting ? st.state.waiting.reason ?? 'waiting' : st?.state?.terminated ? st.state.terminated.reason ?? 'terminated' : 'unknown';
    const health: Health = st?.ready ? 'ok' : st?.state?.terminated?.reason === 'Completed' ? 'muted' : st?.state?.running ? 'warn' : 'error';
    return { label: `container ${c.name} (${state}${st?.restartCount ? `, ${st.restartCount} restarts` : ''})`, health, children: [], container: { namespace: pod.metadata.namespace, pod: pod.metadata.name, name: c.name } };
  });
}

function podNode(pod: KubeObject): TreeNode {
  const s = cachedSummary(pod);
  return {
    label: `pod/${pod.metadata.name} ${s.ready}/${s.total} ${s.status}`,
    health: podHealth(pod),
    children: containerNodes(pod),
    ref: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name },
  };
}

function healthOf(resource: string, group: string, o: KubeObject): Health {
  return viewFor({ resource, group }).health(o);
}

export function ownershipTree(obj: KubeObject, kind: string, lookup: Lookup): TreeNode {
  const ref = { kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
  const label = `${kind.toLowerCase()}/${obj.metadata.name}`;
  switch (kind) {
    case 'Deployment': {
      const rss = children(lookup('replicasets'), obj);
      const pods = [...lookup('pods')];
      return {
        label, ref, health: healthOf('deployments', 'apps', obj),
        children: rss.map((rs) => ({
          label: `replicaset/${rs.metadata.name} ${rs.status?.readyReplicas ?? 0}/${rs.spec?.replicas ?? 0}`,
          health: healthOf('replicasets', 'apps', rs),
          ref: { kind: 'ReplicaSet', namespace: rs.metadata.namespace, name: rs.metadata.name },
          children: children(pods, rs).map(podNode),
        })),
      };
    }
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job': {
      const res = { ReplicaSet: 'replicasets', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', Job: 'jobs' }[kind];
      return { label, ref, health: healthOf(res, kind === 'Job' ? 'batch' : 'apps', obj), children: children(lookup('pods'), obj).map(podNode) };
    }
    case 'CronJob': {
      const pods = [...lookup('pods')];
      return {
        label, ref, health: healthOf('cronjobs', 'batch', obj),
        children: children(lookup('jobs'), obj).map((j) => ({
          label: `job/${j.metadata.name}`, health: healthOf('jobs', 'batch', j),
          ref: { kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name },
          children: children(pods, j).map(podNode),
        })),
      };
    }
    case 'Service': {
      const sel: Record<string, string> = obj.spec?.selector ?? {};
      const selected = Object.keys(sel).length
        ? [...lookup('pods')].filter((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v)).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
        : [];
      const ep = [...lookup('endpoints')].find((e) => e.metadata.name === obj.metadata.name);
      const addrs: TreeNode[] = [];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      for (const s of (ep?.subsets ?? []) as any[]) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const ports = ((s.ports ?? []) as any[]).map((p) => p.port).join(',');
        for (const a of s.addresses ?? []) addrs.push({ label: `endpoint ${a.ip}${ports ? `:${ports}` : ''}${a.targetRef ? ` → ${a.targetRef.name}` : ''}`, health: 'ok', children: [] });
        for (const a of s.notReadyAddresses ?? []) addrs.push({ label: `endpoint ${a.ip} (not ready)${a.targetRef ? ` → ${a.targetRef.name}` : ''}`, health: 'warn', children: [] });
      }
      const health: Health = addrs.some((a) => a.health === 'ok') ? 'ok' : Object.keys(sel).length ? 'error' : 'muted';
      return {
        label, ref, health,
        children: [
          { label: `endpoints (${addrs.length})`, health, children: addrs.length ? addrs : [{ label: 'no endpoints', health: 'error', children: [] }] },
          { label: `pods (${selected.length})`, children: selected.map(podNode) },
        ],
      };
    }
    case 'Pod':
      return { ...podNode(obj), label: `pod/${obj.metadata.name}` };
    default:
      return { label, ref, children: [] };
  }
}

/** The tree flattened to lines with indentation, for a list pane. */
export function flatten(node: TreeNode, depth = 0, out: Array<{ node: TreeNode; depth: number }> = []): Array<{ node: TreeNode; depth: number }> {
  out.push({ node, depth });
  for (const c of node.children) flatten(c, depth + 1, out);
  return out;
}

/**
 * For drilling from a row into its pods: a factory (called at each table rebuild, so the new
 * ReplicaSets/Jobs of a rollout are followed) of a pod predicate; undefined when the kind has
 * no pods.
 */
export function podsOwnedScope(kind: string, obj: KubeObject, lookup: Lookup): (() => (pod: KubeObject) => boolean) | undefined {
  if (kind === 'Node') return () => (p) => p.spec?.nodeName === obj.metadata.name;
  if (kind === 'Service') {
    const sel: Record<string, string> = obj.spec?.selector ?? {};
    if (Object.keys(sel).length === 0) return () => () => false;
    return () => (p) => p.metadata.namespace === obj.metadata.namespace && Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v);
  }
  if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(kind)) return undefined;
  return () => {
    const uids = new Set<string>([obj.metadata.uid ?? '']);
    if (kind === 'Deployment' || kind === 'CronJob') {
      for (const m of lookup(kind === 'Deployment' ? 'replicasets' : 'jobs')) if (ownedBy(m, obj) && m.metadata.uid) uids.add(m.metadata.uid);
    }
    return (p) => p.metadata.namespace === obj.metadata.namespace && (p.metadata.ownerReferences ?? []).some((r) => uids.has(r.uid));
  };
}
