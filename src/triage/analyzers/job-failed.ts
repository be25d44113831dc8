import type { KubeObject } from '../../kube/types.js';
import { refKey, type Finding, type ObjectRef } from '../types.js';
import { containers, eventLines, podRef, short, type Analyzer } from './common.js';
import { lastErrors } from './logs.js';

const failedCond = (j: KubeObject) => (j.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Failed' && c.status === 'True');

export const jobFailed: Analyzer = {
  category: 'job-failed',
  explain: 'A Job reached its failure condition (BackoffLimitExceeded, DeadlineExceeded): its pods exited non-zero more often than backoffLimit '
    + 'allows, or it ran past activeDeadlineSeconds. For a CronJob the finding names the CronJob when its most recent Job failed — the next run '
    + 'will fail the same way until its template changes. The failed pods\' logs hold the reason.',
  analyze(s) {
    const out: Finding[] = [];
    // Only the latest Job of each CronJob counts: an old failure followed by a success is history.
    const latest = new Map<string, KubeObject>();
    for (const j of s.all('jobs')) {
      const owner = j.metadata.ownerReferences?.find((o) => o.kind === 'CronJob');
      if (!owner) continue;
      const k = `${j.metadata.namespace}/${owner.name}`;
      const cur = latest.get(k);
      if (!cur || (cur.metadata.creationTimestamp ?? '') < (j.metadata.creationTimestamp ?? '')) latest.set(k, j);
    }
    for (const j of s.all('jobs')) {
      const cond = failedCond(j);
      if (!cond) continue;
      const owner = j.metadata.ownerReferences?.find((o) => o.kind === 'CronJob');
      if (owner && latest.get(`${j.metadata.namespace}/${owner.name}`) !== j) continue;
      const ref: ObjectRef = owner ? { kind: 'CronJob', namespace: j.metadata.namespace, name: owner.name } : { kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name };
      const jobPods = s.inNamespace('pods', j.metadata.namespace).filter((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'Job' && o.name === j.metadata.name));
      const failed = jobPods.filter((p) => p.status?.phase === 'Failed');
      const lastPod = failed.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '')).at(-1);
      const evidence = [
        `job ${j.metadata.name}: condition Failed, reason ${cond.reason ?? '?'}: ${short(cond.message)}`,
        `${j.status?.failed ?? failed.length} failed pods, backoffLimit ${j.spec?.backoffLimit ?? 6}`,
        ...eventLines(s, 'Job', j.metadata.namespace, j.metadata.name, /BackoffLimitExceeded|DeadlineExceeded/, 1),
      ];
      if (lastPod) {
        for (const c of containers(lastPod)) {
          const t = c.status?.state?.terminated;
          if (t && t.exitCode !== 0) evidence.push(`pod ${lastPod.metadata.name} container ${c.name}: exit code ${t.exitCode} (${t.reason ?? 'Error'})`);
          evidence.push(...lastErrors(s, lastPod, c.name));
        }
      }
      out.push({
        category: 'job-failed', severity: 'medium', object: ref,
        summary: `${ref.kind} ${ref.name}: job ${j.metadata.name} failed (${cond.reason ?? 'Failed'})`,
        evidence, symptoms: [], since: cond.lastTransitionTime,
        covers: [refKey(ref), refKey({ kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name }), ...jobPods.map((p) => refKey(podRef(p)))],
      });
    }
    return out;
  },
};
