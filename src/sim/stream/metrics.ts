/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it: NodeMetrics and PodMetrics (lists and
 * single objects, label selectors), computed from the kubelet's usage curves. A node's usage is
 * the sum of its running pods plus the system's own overhead (kubelet, runtime, OS).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import type { DiscoveryGroup } from '../plugin.js';
import type { KObj } from '../types.js';
import { sendStatus } from './status.js';

export const METRICS_DISCOVERY: DiscoveryGroup = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  resources: [
    { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
    { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
  ],
};

const API_VERSION = 'metrics.k8s.io/v1beta1';
const PODS = { group: '', resource: 'pods' };
const NODES = { group: '', resource: 'nodes' };
const PREFIX = '/apis/metrics.k8s.io/v1beta1';
/** What a node spends on itself (system daemons, kubelet, containerd). */
const NODE_OVERHEAD = { cpuMilli: 95, memoryBytes: 780 * 1024 * 1024 };

const cpu = (milli: number) => `${Math.max(0, Math.round(milli))}m`;
const mem = (bytes: number) => `${Math.max(0, Math.round(bytes / 1024))}Ki`;
const stamp = () => new Date(Math.floor(Date.now() / 1000) * 1000 - 7_000).toISOString().replace('.000Z', 'Z');

function podUsage(ctx: SimContext, pod: KObj): Array<{ name: string; cpuMilli: number; memoryBytes: number }> | undefined {
  if (pod.status?.phase !== 'Running' || !ctx.runtime) return undefined;
  const out: Array<{ name: string; cpuMilli: number; memoryBytes: number }> = [];
  for (const c of pod.spec?.containers ?? []) {
    const u = ctx.runtime.usage({ namespace: pod.metadata.namespace!, pod: pod.metadata.name!, container: c.name });
    if (u) out.push({ name: c.name, ...u });
  }
  return out.length ? out : undefined;
}

function podMetrics(ctx: SimContext, pod: KObj): KObj | undefined {
  const cs = podUsage(ctx, pod);
  if (!cs) return undefined;
  return {
    kind: 'PodMetrics', apiVersion: API_VERSION,
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), labels: pod.metadata.labels ?? {} },
    timestamp: stamp(), window: '30s',
    containers: cs.map((c) => ({ name: c.name, usage: { cpu: cpu(c.cpuMilli), memory: mem(c.memoryBytes) } })),
  };
}

function nodeMetrics(ctx: SimContext, node: KObj, pods: KObj[]): KObj {
  let cpuMilli = NODE_OVERHEAD.cpuMilli;
  let memoryBytes = NODE_OVERHEAD.memoryBytes;
  for (const p of pods) {
    if (p.spec?.nodeName !== node.metadata.name) continue;
    for (const c of podUsage(ctx, p) ?? []) {
      cpuMilli += c.cpuMilli;
      memoryBytes += c.memoryBytes;
    }
  }
  return {
    kind: 'NodeMetrics', apiVersion: API_VERSION,
    metadata: { name: node.metadata.name, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), labels: node.metadata.labels ?? {} },
    timestamp: stamp(), window: '30s',
    usage: { cpu: cpu(cpuMilli), memory: mem(memoryBytes) },
  };
}

/** Pod field selectors as metrics-server passes them on: metadata.name/namespace, spec.nodeName, status.phase. */
function fieldFilter(raw: string | null): (pod: KObj) => boolean {
  if (!raw) return () => true;
  const terms = raw.split(',').filter(Boolean).map((t) => {
    const m = /^([\w.]+)\s*(==|!=|=)\s*(.*)$/.exec(t.trim());
    if (!m || !['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'].includes(m[1]!)) {
      throw new ApiError(400, 'BadRequest', `"${t}" is not a known field selector: only "metadata.name", "metadata.namespace", "spec.nodeName", "status.phase"`);
    }
    return { path: m[1]!.split('.'), neg: m[2] === '!=', value: m[3]! };
  });
  return (pod) => terms.every((t) => {
    const v = String(t.path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], pod) ?? '');
    return (v === t.value) !== t.neg;
  });
}

function send(res: ServerResponse, body: unknown): void {
  const s = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(s) });
  res.end(s);
}

/** Answers metrics.k8s.io resource requests; false for paths that are not ours. */
export function serveMetrics(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.startsWith(`${PREFIX}/`)) return false;
  const rest = path.slice(PREFIX.length + 1).split('/').map(decodeURIComponent);
  const selector = url.searchParams.get('labelSelector') ?? undefined;
  try {
    if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    if (rest[0] === 'nodes' && rest.length <= 2) {
      const pods = ctx.api.list(PODS);
      if (rest.length === 2) {
        const node = ctx.api.get(NODES, undefined, rest[1]!);
        if (!node) throw notFound('nodes', rest[1]!, 'metrics.k8s.io');
        send(res, nodeMetrics(ctx, node, pods));
      } else {
        const nodes = ctx.api.list(NODES, undefined, selector);
        send(res, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items: nodes.map((n) => nodeMetrics(ctx, n, pods)) });
      }
      return true;
    }
    let ns: string | undefined;
    let parts = rest;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      ns = rest[1];
      parts = rest.slice(2);
    }
    if (parts[0] === 'pods' && parts.length <= 2) {
      if (parts.length === 2) {
        const pod = ns ? ctx.api.get(PODS, ns, parts[1]!) : undefined;
        const m = pod && podMetrics(ctx, pod);
        if (!m) throw notFound('pods', parts[1]!, 'metrics.k8s.io');
        send(res, m);
      } else {
        const fields = fieldFilter(url.searchParams.get('fieldSelector'));
        const items = ctx.api.list(PODS, ns, selector).filter(fields).map((p) => podMetrics(ctx, p)).filter((m): m is KObj => !!m);
        send(res, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
      }
      return true;
    }
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  } catch (e) {
    sendStatus(res, e);
    return true;
  }
}
