import { refKey, type Finding } from '../types.js';
import { podRef, type Analyzer } from './common.js';

export const pdbBlocking: Analyzer = {
  category: 'pdb-blocking',
  explain: 'A PodDisruptionBudget allows no voluntary disruption (disruptionsAllowed 0) while all its pods are healthy — minAvailable equal to the '
    + 'replica count, or maxUnavailable 0 — so every drain, node upgrade or eviction hangs. The PDB is the object to fix (or raise the replicas). '
    + 'When disruptions are 0 because pods are unhealthy, their fault is the root cause and this is its symptom.',
  analyze(s) {
    const out: Finding[] = [];
    for (const pdb of s.all('poddisruptionbudgets')) {
      const st = pdb.status ?? {};
      if (st.disruptionsAllowed !== 0 || st.expectedPods === undefined) continue;
      const ns = pdb.metadata.namespace;
      const ref = { kind: 'PodDisruptionBudget', namespace: ns, name: pdb.metadata.name };
      const rule = pdb.spec?.minAvailable !== undefined ? `minAvailable ${pdb.spec.minAvailable}` : `maxUnavailable ${pdb.spec?.maxUnavailable}`;
      const pods = s.podsForSelector(ns, pdb.spec?.selector);
      if (st.expectedPods === 0) {
        out.push({ category: 'pdb-blocking', severity: 'low', object: ref, summary: `PDB ${pdb.metadata.name} selects no pods (${rule})`, evidence: [`selector matches 0 pods in ${ns}`], symptoms: [], covers: [refKey(ref)] });
        continue;
      }
      const healthy = (st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0);
      const evidence = [`${rule}; expectedPods ${st.expectedPods}, currentHealthy ${st.currentHealthy ?? 0}, desiredHealthy ${st.desiredHealthy ?? 0}, disruptionsAllowed 0`];
      out.push({
        category: 'pdb-blocking', severity: healthy ? 'medium' : 'low', object: ref,
        summary: healthy ? `PDB ${pdb.metadata.name} (${rule}) allows no disruption with ${st.expectedPods} pod${st.expectedPods === 1 ? '' : 's'}: drains and node upgrades will hang`
          : `PDB ${pdb.metadata.name} allows no disruption: only ${st.currentHealthy ?? 0}/${st.desiredHealthy} healthy pods`,
        evidence, symptoms: [], covers: [refKey(ref)],
        ...(healthy ? {} : { dependsOn: [...pods.map((p) => refKey(podRef(p))), ...pods.map((p) => refKey(s.workloadOf(p)))] }),
      });
    }
    return out;
  },
};
