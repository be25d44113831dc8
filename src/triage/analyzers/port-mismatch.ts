import type { KubeObject } from '../../kube/types.js';
import { refKey, type Finding } from '../types.js';
import type { Analyzer } from './common.js';

export const portMismatch: Analyzer = {
  category: 'port-mismatch',
  explain: 'A Service port\'s targetPort matches no port of the pods it selects: a number no container declares, or a name no container port has. '
    + 'Nothing shows in a status field — connections are refused or time out — so the rule reads the Service spec against the pods\' container '
    + 'ports and names the Service whose targetPort is wrong (or the pod template, when the container port is the one to change).',
  analyze(s) {
    const out: Finding[] = [];
    for (const svc of s.all('services')) {
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      if (!sel || !Object.keys(sel).length) continue;
      const pods = s.podsForService(svc).filter((p) => !p.metadata.deletionTimestamp);
      if (!pods.length) continue;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ports: any[] = pods.flatMap((p) => ((p.spec?.containers ?? []) as KubeObject[]).flatMap((c) => (c.ports ?? []) as unknown[]));
      const problems: string[] = [];
      for (const sp of (svc.spec?.ports ?? []) as KubeObject[]) {
        const target = sp.targetPort ?? sp.port;
        const proto = sp.protocol ?? 'TCP';
        if (typeof target === 'string' && !/^\d+$/.test(target)) {
          if (!ports.some((x) => x.name === target && (x.protocol ?? 'TCP') === proto)) {
            problems.push(`port ${sp.name ?? sp.port}: targetPort '${target}' names no container port (pods have ${describe(ports)})`);
          }
        } else if (ports.length && !ports.some((x) => x.containerPort === Number(target))) {
          problems.push(`port ${sp.name ?? sp.port}: targetPort ${target} matches no container port (pods listen on ${describe(ports)})`);
        }
      }
      if (!problems.length) continue;
      const ref = { kind: 'Service', namespace: svc.metadata.namespace, name: svc.metadata.name };
      out.push({
        category: 'port-mismatch', severity: 'high', object: ref,
        summary: `Service ${svc.metadata.name}: ${problems[0]}`,
        evidence: [...problems, `selector ${Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',')} → ${pods.length} pod${pods.length === 1 ? '' : 's'}`],
        symptoms: [], covers: [refKey(ref)],
        related: [...new Map(pods.map((p) => { const w = s.workloadOf(p); return [refKey(w), w]; })).values()],
      });
    }
    return out;
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function describe(ports: any[]): string {
  const l = [...new Set(ports.map((x) => `${x.containerPort}${x.name ? `/${x.name}` : ''}`))];
  return l.length ? l.join(', ') : 'no declared ports';
}
