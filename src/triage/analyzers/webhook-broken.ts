import type { KubeObject } from '../../kube/types.js';
import { refKey, type Finding } from '../types.js';
import { podRef, short, type Analyzer } from './common.js';
import { readyAddresses } from './no-endpoints.js';

export const webhookBroken: Analyzer = {
  category: 'webhook-broken',
  explain: 'An admission webhook points at a Service that is missing or has no ready endpoints. With failurePolicy Fail (the default) the API '
    + 'server then rejects every request the webhook\'s rules match ("failed calling webhook"), so deployments and scale-ups fail far from the cause. '
    + 'The webhook configuration is the object to fix (or the webhook\'s own Deployment, whose fault is then the root cause).',
  analyze(s) {
    const out: Finding[] = [];
    for (const [kind, key] of [['ValidatingWebhookConfiguration', 'validatingwebhookconfigurations'], ['MutatingWebhookConfiguration', 'mutatingwebhookconfigurations']] as const) {
      for (const cfg of s.all(key)) {
        for (const wh of (cfg.webhooks ?? []) as KubeObject[]) {
          const ref = wh.clientConfig?.service;
          if (!ref) continue;
          const svc = s.get('services', ref.namespace, ref.name);
          const ready = svc ? readyAddresses(s, svc) : 0;
          if (svc && ready !== 0) continue;
          const fail = (wh.failurePolicy ?? 'Fail') === 'Fail';
          const obj = { kind, name: cfg.metadata.name };
          const backends = svc ? s.podsForService(svc) : [];
          // Creations the webhook refused, as the controllers recorded them.
          const refused = s.all('events').filter((e) => e.type === 'Warning' && (e.message ?? '').includes(`failed calling webhook "${wh.name}"`));
          const victims = [...new Map(refused.map((e) => { const io = e.involvedObject ?? {}; const o = s.get(io.kind === 'ReplicaSet' ? 'replicasets' : '', io.namespace, io.name); const w = o ? s.workloadOf(o, io.kind) : { kind: io.kind, namespace: io.namespace, name: io.name }; return [refKey(w), w]; })).values()];
          out.push({
            category: 'webhook-broken', severity: fail ? 'critical' : 'medium', object: obj,
            summary: `webhook ${wh.name} calls Service ${ref.namespace}/${ref.name}, which ${svc ? 'has no ready endpoints' : 'does not exist'}${fail ? ': matching API requests are rejected' : ''}`,
            evidence: [`failurePolicy ${wh.failurePolicy ?? 'Fail (default)'}; rules ${((wh.rules ?? []) as KubeObject[]).map((r) => `${(r.operations ?? []).join(',')} ${(r.resources ?? []).join(',')}`).join('; ')}`,
              ...refused.slice(-2).map((e) => `event ${e.reason} on ${e.involvedObject?.kind} ${e.involvedObject?.name}: ${short(e.message)}`)],
            symptoms: [], covers: [refKey(obj), ...victims.map(refKey)],
            dependsOn: svc ? [refKey({ kind: 'Service', namespace: ref.namespace, name: ref.name }), ...backends.map((p) => refKey(podRef(p))), ...backends.map((p) => refKey(s.workloadOf(p)))] : undefined,
            related: [{ kind: 'Service', namespace: ref.namespace, name: ref.name }, ...victims],
          });
        }
      }
    }
    return out;
  },
};
