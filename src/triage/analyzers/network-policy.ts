import type { KubeObject } from '../../kube/types.js';
import { matches } from '../../ops/selectors.js';
import type { Snapshot } from '../snapshot.js';
import { refKey, type Finding } from '../types.js';
import { podRef, short, type Analyzer } from './common.js';

const TIMEOUT = /timed? ?out|ETIMEDOUT|deadline exceeded|no route to host|connection reset|EHOSTUNREACH/i;

function hasIngress(p: KubeObject): boolean {
  const t = p.spec?.policyTypes as string[] | undefined;
  return t ? t.includes('Ingress') : true;
}

/** Does any ingress rule of `policy` admit traffic from `client` to `port`? */
function admits(s: Snapshot, policy: KubeObject, client: KubeObject, port: Array<number | string>): boolean {
  const nsObj = s.get('namespaces', undefined, client.metadata.namespace ?? '');
  const nsLabels = nsObj?.metadata.labels ?? { 'kubernetes.io/metadata.name': client.metadata.namespace ?? '' };
  for (const rule of (policy.spec?.ingress ?? []) as KubeObject[]) {
    const ports = (rule.ports ?? []) as KubeObject[];
    const portOk = !ports.length || !port.length || ports.some((p) => p.port === undefined || port.includes(p.port));
    if (!portOk) continue;
    const from = (rule.from ?? []) as KubeObject[];
    if (!from.length) return true;
    for (const peer of from) {
      if (peer.ipBlock) continue;
      const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, nsLabels) : client.metadata.namespace === policy.metadata.namespace;
      const podOk = peer.podSelector ? matches(peer.podSelector, client.metadata.labels) : true;
      if (nsOk && podOk) return true;
    }
  }
  return false;
}

/** How a pod shows that it talks to a Service: an env value or a log line naming it. */
function usesService(s: Snapshot, pod: KubeObject, svc: KubeObject): { how: string; timeout: boolean } | undefined {
  const name = svc.metadata.name, ns = svc.metadata.namespace;
  const host = pod.metadata.namespace === ns ? new RegExp(`(^|[^\\w.-])${name}(\\.${ns}(\\.svc(\\.cluster\\.local)?)?)?(:\\d+|[/"'\\s]|$)`) : new RegExp(`(^|[^\\w.-])${name}\\.${ns}(\\.svc(\\.cluster\\.local)?)?(:\\d+|[/"'\\s]|$)`);
  for (const c of (pod.spec?.containers ?? []) as KubeObject[]) {
    const lines = s.logLines(pod.metadata.namespace ?? '', pod.metadata.name, c.name);
    const t = lines.filter((l) => host.test(l) && TIMEOUT.test(l)).at(-1);
    if (t) return { how: `log ${pod.metadata.name}: ${short(t, 160)}`, timeout: true };
    for (const e of (c.env ?? []) as KubeObject[]) if (typeof e.value === 'string' && host.test(e.value)) return { how: `env ${e.name}=${short(e.value, 80)} in ${pod.metadata.name}`, timeout: false };
  }
  return undefined;
}

export const networkPolicy: Analyzer = {
  category: 'network-policy',
  explain: 'A NetworkPolicy cuts a client off from a Service it uses. Nothing in any status shows it: the rule takes each policy that selects the '
    + 'pods behind a Service, finds the pods that use that Service (an env value naming it, or timeouts to it in their logs), and checks every '
    + 'ingress rule (podSelector, namespaceSelector, ports) against them. The policy is the object to fix; the client\'s errors are symptoms.',
  analyze(s) {
    const policies = s.all('networkpolicies').filter(hasIngress);
    if (!policies.length) return [];
    const out = new Map<string, Finding>();
    for (const svc of s.all('services')) {
      const backends = s.podsForService(svc);
      if (!backends.length) continue;
      const applying = policies.filter((p) => p.metadata.namespace === svc.metadata.namespace && backends.some((b) => matches(p.spec?.podSelector ?? {}, b.metadata.labels)));
      if (!applying.length) continue;
      const backendKeys = new Set(backends.map((b) => refKey(podRef(b))));
      for (const client of s.all('pods')) {
        if (backendKeys.has(refKey(podRef(client))) || client.metadata.deletionTimestamp || client.spec?.hostNetwork) continue;
        const use = usesService(s, client, svc);
        if (!use) continue;
        // The port as the policy sees it: the container port, by number and by name (a named targetPort resolves per pod).
        const tp = (svc.spec?.ports?.[0]?.targetPort ?? svc.spec?.ports?.[0]?.port) as number | string | undefined;
        const cports = backends.flatMap((b) => ((b.spec?.containers ?? []) as KubeObject[]).flatMap((c) => (c.ports ?? []) as KubeObject[]));
        const hit = cports.find((p) => p.name === tp || p.containerPort === tp);
        const target = [tp, hit?.containerPort, hit?.name].filter((x): x is number | string => x !== undefined);
        if (applying.some((p) => admits(s, p, client, target))) continue;
        const pol = applying[0]!;
        const ref = { kind: 'NetworkPolicy', namespace: pol.metadata.namespace, name: pol.metadata.name };
        const w = s.workloadOf(client);
        const key = refKey(ref);
        const f = out.get(key);
        if (f) { if (!f.covers!.includes(refKey(w))) { f.covers!.push(refKey(w)); f.evidence.push(use.how); } f.covers!.push(refKey(podRef(client))); continue; }
        const ing = (pol.spec?.ingress ?? []) as KubeObject[];
        out.set(key, {
          category: 'network-policy', severity: use.timeout ? 'high' : 'medium', object: ref,
          summary: `NetworkPolicy ${pol.metadata.name} blocks ${w.kind} ${w.name}${w.namespace !== pol.metadata.namespace ? ` (${w.namespace})` : ''} from Service ${svc.metadata.name}`,
          evidence: [use.how, `policy selects ${JSON.stringify(pol.spec?.podSelector?.matchLabels ?? {})}; ingress ${ing.length ? ing.map((r) => JSON.stringify(r.from ?? 'any')).join(' | ') : 'denies all'}`,
            `client labels ${JSON.stringify(client.metadata.labels ?? {})} in namespace ${client.metadata.namespace}`],
          symptoms: [], covers: [key, refKey(w), refKey(podRef(client))], related: [{ kind: 'Service', namespace: svc.metadata.namespace, name: svc.metadata.name }, w],
        });
      }
    }
    return [...out.values()];
  },
};
