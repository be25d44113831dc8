/**
 * The streams panes may start — logs, metrics, port-forwards, the pods behind a workload —
 * over the connected cluster's transport. The cockpit (the pane host) hands this out; panes
 * never reach into the cluster source for a transport themselves.
 */
import type { Transport } from './transport.js';
import type { KubeObject } from './types.js';
import { LogFollower, type LogRequest } from './logs.js';
import { MetricsPoller } from './metrics.js';
import { MeteredForward, type ForwardOptions, type ForwardSpec, type KubeConfigLike } from './portforward.js';

export class StreamServices {
  constructor(readonly transport: Transport, private readonly config: KubeConfigLike) {}

  logs(request: LogRequest): LogFollower {
    return new LogFollower(this.transport, request);
  }

  metrics(...args: ConstructorParameters<typeof MetricsPoller> extends [Transport, ...infer R] ? R : never): MetricsPoller {
    return new MetricsPoller(this.transport, ...args);
  }

  forward(spec: ForwardSpec, options: ForwardOptions = {}): MeteredForward {
    return new MeteredForward(this.config, this.transport, spec, options);
  }

  /** The pods behind a workload or service (by its selector), Running ones first. */
  podsOf(o: KubeObject, kind: string): Promise<KubeObject[]> {
    return podsOf(this.transport, o, kind);
  }
}

export async function podsOf(transport: Transport, o: KubeObject, kind: string): Promise<KubeObject[]> {
  const ns = o.metadata.namespace ?? 'default';
  const sel = (kind === 'Service' || kind === 'ReplicationController' ? o.spec?.selector : o.spec?.selector?.matchLabels) as Record<string, string> | undefined;
  if (!sel || Object.keys(sel).length === 0) return [];
  const list = await transport.json<{ items: KubeObject[] }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, {
    query: { labelSelector: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') }, timeoutMs: 10_000,
  });
  const rank = (p: KubeObject) => (p.status?.phase === 'Running' ? 0 : 1);
  return list.items.sort((a, b) => rank(a) - rank(b) || a.metadata.name.localeCompare(b.metadata.name));
}
