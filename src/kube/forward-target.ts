/**
 * What a port-forward points at: `:pf` arguments parsed into a spec, and the spec resolved to a
 * pod and port the way kubectl does (a ready pod behind a service, a named port looked up).
 */
import { KubeHttpError, type Transport } from './transport.js';
import type { KubeObject } from './types.js';

export interface ForwardSpec {
  namespace: string;
  /** What the user named: a pod or a service (resolved to a ready pod, like kubectl). */
  kind: 'pod' | 'service';
  name: string;
  /** The port on the pod or service: a number or a port name. */
  remotePort: number | string;
  /** Wanted local port; 0 (or busy) → the OS picks one. */
  localPort: number;
}

export interface ForwardTarget { pod: string; port: number }

/** The forward cannot start (pod not Running, no ready pod, no such port…): one clear message. */
export class ForwardRefused extends Error {}

/**
 * `svc/web 8080:80`, `pod/x 9000`, `web :80` (a pod), `svc/web 8080:80 8443:443` (several ports
 * of one target, as kubectl takes them) → one spec per port pair; throws ForwardRefused with
 * usage otherwise.
 */
export function parseForwardArgs(args: string[], namespace: string): ForwardSpec[] {
  let ns = namespace;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-n' || a === '--namespace') && args[i + 1]) ns = args[++i]!;
    else if (a.startsWith('--namespace=')) ns = a.slice(12);
    else rest.push(a);
  }
  const usage = 'usage: :pf svc/NAME|pod/NAME [LOCAL:]REMOTE… [-n NAMESPACE]';
  const [target, ...pairs] = rest;
  if (!target || !pairs.length) throw new ForwardRefused(usage);
  const m = /^(?:(po|pod|pods|svc|service|services)\/)?([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(target);
  if (!m) throw new ForwardRefused(`not a pod or service name: ${target} (${usage})`);
  const kind = m[1] && /^s/.test(m[1]) ? 'service' : 'pod';
  const specs = pairs.map((ports): ForwardSpec => {
    const pm = /^(?:(\d*):)?([a-z0-9-]+)$/i.exec(ports);
    if (!pm) throw new ForwardRefused(`bad ports '${ports}' (${usage})`);
    const local = pm[1] ? Number(pm[1]) : pm[1] === '' ? 0 : /^\d+$/.test(pm[2]!) ? Number(pm[2]) : 0;
    const remote = /^\d+$/.test(pm[2]!) ? Number(pm[2]) : pm[2]!;
    if (local > 65535 || (typeof remote === 'number' && (remote < 1 || remote > 65535))) throw new ForwardRefused(`port out of range in '${ports}'`);
    return { namespace: ns, kind, name: m[2]!, remotePort: remote, localPort: local };
  });
  const locals = specs.map((s) => s.localPort).filter((p) => p > 0);
  const twice = locals.find((p, i) => locals.indexOf(p) !== i);
  if (twice) throw new ForwardRefused(`local port ${twice} given twice`);
  return specs;
}

function podPhase(p: KubeObject): string {
  return (p.status?.phase as string | undefined) ?? 'Unknown';
}

function podReady(p: KubeObject): boolean {
  return podPhase(p) === 'Running' && !p.metadata.deletionTimestamp &&
    ((p.status?.conditions as Array<{ type: string; status: string }> | undefined) ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function namedPort(pod: KubeObject, name: string): number | undefined {
  for (const c of (pod.spec?.containers ?? []) as Array<{ ports?: Array<{ name?: string; containerPort: number }> }>) {
    for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  }
  return undefined;
}

function selectorString(sel: Record<string, string>): string {
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The pod and its port for a spec, as kubectl resolves them (a ready pod behind a service). */
export async function resolveTarget(transport: Transport, spec: ForwardSpec): Promise<ForwardTarget> {
  const ns = encodeURIComponent(spec.namespace);
  const get = async <T>(path: string, what: string, query?: Record<string, string>): Promise<T> => {
    try {
      return await transport.json<T>(path, { query, timeoutMs: 10_000 });
    } catch (err) {
      if (err instanceof KubeHttpError && err.status === 404) throw new ForwardRefused(`${what} not found in namespace ${spec.namespace}`);
      throw err;
    }
  };
  if (spec.kind === 'pod') {
    const pod = await get<KubeObject>(`/api/v1/namespaces/${ns}/pods/${encodeURIComponent(spec.name)}`, `pod ${spec.name}`);
    const phase = podPhase(pod);
    if (phase !== 'Running') throw new ForwardRefused(`cannot port-forward: pod ${spec.name} is ${phase}, not Running`);
    const port = typeof spec.remotePort === 'number' ? spec.remotePort : namedPort(pod, spec.remotePort);
    if (port === undefined) throw new ForwardRefused(`pod ${spec.name} has no port named '${spec.remotePort}'`);
    return { pod: spec.name, port };
  }
  const svc = await get<KubeObject>(`/api/v1/namespaces/${ns}/services/${encodeURIComponent(spec.name)}`, `service ${spec.name}`);
  const ports = (svc.spec?.ports ?? []) as Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }>;
  const sp = ports.find((p) => (typeof spec.remotePort === 'number' ? p.port === spec.remotePort : p.name === spec.remotePort));
  if (!sp) throw new ForwardRefused(`service ${spec.name} has no port ${spec.remotePort} (it has ${ports.map((p) => p.name ? `${p.port}/${p.name}` : p.port).join(', ') || 'none'})`);
  const selector = svc.spec?.selector as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) throw new ForwardRefused(`service ${spec.name} has no selector: nothing to forward to`);
  const list = await get<{ items: KubeObject[] }>(`/api/v1/namespaces/${ns}/pods`, 'pods', { labelSelector: selectorString(selector) });
  const pods = list.items.filter(podReady).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const pod = pods[0] ?? list.items.find((p) => podPhase(p) === 'Running' && !p.metadata.deletionTimestamp);
  if (!pod) throw new ForwardRefused(`cannot port-forward: no Running pod behind service ${spec.name}`);
  const tp = sp.targetPort ?? sp.port;
  const port = typeof tp === 'number' ? tp : /^\d+$/.test(tp) ? Number(tp) : namedPort(pod, tp);
  if (port === undefined) throw new ForwardRefused(`pod ${pod.metadata.name} has no port named '${tp}'`);
  return { pod: pod.metadata.name, port };
}

