import type { KubeObject } from '../../kube/types.js';
import { refKey, type Finding } from '../types.js';
import type { Analyzer } from './common.js';

function backends(ing: KubeObject): Array<{ host: string; path: string; svc: KubeObject }> {
  const out: Array<{ host: string; path: string; svc: KubeObject }> = [];
  if (ing.spec?.defaultBackend?.service) out.push({ host: '*', path: '(default)', svc: ing.spec.defaultBackend.service });
  for (const r of (ing.spec?.rules ?? []) as KubeObject[]) {
    for (const p of (r.http?.paths ?? []) as KubeObject[]) if (p.backend?.service) out.push({ host: r.host ?? '*', path: p.path ?? '/', svc: p.backend.service });
  }
  return out;
}

export const ingressBackendMissing: Analyzer = {
  category: 'ingress-backend-missing',
  explain: 'An Ingress routes a path to a Service that does not exist in its namespace, or to a port that Service does not have: the controller '
    + 'answers 503/404 for that path. Fix the Ingress backend (service name, port number or name). A backend Service that exists but has no '
    + 'endpoints is `no-endpoints` on that Service instead.',
  analyze(s) {
    const out: Finding[] = [];
    for (const ing of s.all('ingresses')) {
      const problems: string[] = [];
      for (const b of backends(ing)) {
        const svc = s.get('services', ing.metadata.namespace, b.svc.name);
        const where = `${b.host}${b.path}`;
        if (!svc) { problems.push(`${where} → Service ${b.svc.name}, which does not exist`); continue; }
        const port = b.svc.port ?? {};
        const ok = ((svc.spec?.ports ?? []) as KubeObject[]).some((p) => (port.number !== undefined ? p.port === port.number : p.name === port.name));
        if (!ok) problems.push(`${where} → Service ${b.svc.name} port ${port.number ?? port.name}, which the Service does not have (it has ${((svc.spec?.ports ?? []) as KubeObject[]).map((p) => p.name ? `${p.port}/${p.name}` : p.port).join(', ')})`);
      }
      if (!problems.length) continue;
      const ref = { kind: 'Ingress', namespace: ing.metadata.namespace, name: ing.metadata.name };
      out.push({ category: 'ingress-backend-missing', severity: 'medium', object: ref, summary: `Ingress ${ing.metadata.name}: ${problems[0]}`, evidence: problems, symptoms: [], covers: [refKey(ref)] });
    }
    return out;
  },
};
