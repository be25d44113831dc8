/**
 * When connections through a forward break, what was the pod doing? One line from its
 * container statuses (restarts, OOMKilled, not ready) and its recent warning events — "pod
 * web-x: container web OOMKilled at 12:03:10 (exit 137), restarted 3×; BackOff: Back-off
 * restarting failed container" — or that the pod is gone. Read-only, two GETs.
 */
import { KubeHttpError, type Transport } from './transport.js';
import type { KubeObject } from './types.js';

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number; finishedAt?: string } };
  lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string } };
}

interface Event { type?: string; reason?: string; message?: string; lastTimestamp?: string; eventTime?: string; metadata?: { creationTimestamp?: string } }

function hhmmss(iso: string | undefined): string {
  return iso ? new Date(iso).toISOString().slice(11, 19) : '?';
}

/** What went wrong with the pod lately, or undefined when nothing shows. */
export async function podTrouble(transport: Transport, namespace: string, pod: string, windowMs = 10 * 60_000): Promise<string | undefined> {
  const ns = encodeURIComponent(namespace);
  let obj: KubeObject;
  try {
    obj = await transport.json<KubeObject>(`/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod)}`, { timeoutMs: 5_000 });
  } catch (err) {
    if (err instanceof KubeHttpError && err.status === 404) return `pod ${pod} is gone (deleted or replaced)`;
    throw err;
  }
  const since = Date.now() - windowMs;
  const parts: string[] = [];
  if (obj.metadata.deletionTimestamp) parts.push(`terminating since ${hhmmss(obj.metadata.deletionTimestamp)}`);
  for (const c of (obj.status?.containerStatuses ?? []) as ContainerStatus[]) {
    const t = c.lastState?.terminated ?? c.state?.terminated;
    if (t?.finishedAt && Date.parse(t.finishedAt) >= since) {
      parts.push(`container ${c.name} ${t.reason ?? 'terminated'} at ${hhmmss(t.finishedAt)}${t.exitCode !== undefined ? ` (exit ${t.exitCode})` : ''}${c.restartCount ? `, restarted ${c.restartCount}×` : ''}`);
    } else if (c.state?.waiting?.reason) {
      parts.push(`container ${c.name} ${c.state.waiting.reason}`);
    } else if (c.ready === false) {
      parts.push(`container ${c.name} not ready`);
    }
  }
  const events = await transport.json<{ items: Event[] }>(`/api/v1/namespaces/${ns}/events`, {
    query: { fieldSelector: `involvedObject.name=${pod}` }, timeoutMs: 5_000,
  }).then((l) => l.items, () => [] as Event[]);
  const recent = events
    .map((e) => ({ e, at: Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '') || 0 }))
    .filter(({ e, at }) => e.type === 'Warning' && at >= since)
    .sort((a, b) => b.at - a.at)
    .slice(0, 2);
  for (const { e, at } of recent) parts.push(`${e.reason ?? 'Warning'} at ${hhmmss(new Date(at).toISOString())}: ${(e.message ?? '').split('\n')[0]!.slice(0, 120)}`);
  return parts.length ? `pod ${pod}: ${parts.join('; ')}` : undefined;
}
