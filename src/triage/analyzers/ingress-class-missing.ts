import { refKey, type Finding } from '../types.js';
import type { Analyzer } from './common.js';

export const ingressClassMissing: Analyzer = {
  category: 'ingress-class-missing',
  explain: 'An Ingress names an IngressClass (spec.ingressClassName or the old kubernetes.io/ingress.class annotation) that the cluster does not '
    + 'have, or names none while no class is the default: no controller picks it up, so it never gets an address. Fix the Ingress\'s class name, '
    + 'or install the controller. Needs the cluster to serve networking.k8s.io IngressClasses (it is quiet otherwise).',
  analyze(s) {
    if (!s.has('ingressclasses')) return [];
    const out: Finding[] = [];
    const classes = s.all('ingressclasses');
    const names = classes.map((c) => c.metadata.name);
    const hasDefault = classes.some((c) => c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
    for (const ing of s.all('ingresses')) {
      const cls: string | undefined = ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
      if (cls ? names.includes(cls) : hasDefault) continue;
      const ref = { kind: 'Ingress', namespace: ing.metadata.namespace, name: ing.metadata.name };
      out.push({
        category: 'ingress-class-missing', severity: 'medium', object: ref,
        summary: cls ? `Ingress ${ing.metadata.name} uses IngressClass ${cls}, which does not exist` : `Ingress ${ing.metadata.name} names no IngressClass and none is the default`,
        evidence: [`ingressClassName ${cls ?? '(none)'}; IngressClasses: ${names.join(', ') || 'none'}`, `status.loadBalancer: ${(ing.status?.loadBalancer?.ingress ?? []).length ? 'has an address' : 'no address'}`],
        symptoms: [], covers: [refKey(ref)],
      });
    }
    return out;
  },
};
