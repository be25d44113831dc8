/** Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs — kubectl's columns. */
import type { KubeObject } from '../../kube/types.js';
import { AGE, NAME, age, col, countCol, humanDuration, num, orNone, selectorString, timestamp } from './format.js';
import type { Health, KindView } from './types.js';

function replicasHealth(want: number, ready: number): Health {
  if (want === 0) return 'muted';
  if (ready >= want) return 'ok';
  return ready === 0 ? 'error' : 'warn';
}

export const deploymentsView: KindView = {
  columns: [
    NAME,
    col('READY', 5, (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas ?? 1)}`),
    countCol('UP-TO-DATE', (o) => o.status?.updatedReplicas),
    countCol('AVAILABLE', (o) => o.status?.availableReplicas),
    AGE,
  ],
  health: (o) => replicasHealth(num(o.spec?.replicas ?? 1), num(o.status?.availableReplicas)),
};

export const replicaSetsView: KindView = {
  columns: [
    NAME,
    countCol('DESIRED', (o) => o.spec?.replicas ?? 1),
    countCol('CURRENT', (o) => o.status?.replicas),
    countCol('READY', (o) => o.status?.readyReplicas),
    AGE,
  ],
  health: (o) => replicasHealth(num(o.spec?.replicas ?? 1), num(o.status?.readyReplicas)),
};

export const statefulSetsView: KindView = {
  columns: [NAME, col('READY', 5, (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas ?? 1)}`), AGE],
  health: (o) => replicasHealth(num(o.spec?.replicas ?? 1), num(o.status?.readyReplicas)),
};

export const daemonSetsView: KindView = {
  columns: [
    NAME,
    countCol('DESIRED', (o) => o.status?.desiredNumberScheduled),
    countCol('CURRENT', (o) => o.status?.currentNumberScheduled),
    countCol('READY', (o) => o.status?.numberReady),
    countCol('UP-TO-DATE', (o) => o.status?.updatedNumberScheduled),
    countCol('AVAILABLE', (o) => o.status?.numberAvailable),
    col('NODE SELECTOR', 13, (o) => selectorString(o.spec?.template?.spec?.nodeSelector), { max: 30 }),
    AGE,
  ],
  health: (o) => replicasHealth(num(o.status?.desiredNumberScheduled), num(o.status?.numberAvailable)),
};

function jobCondition(o: KubeObject, type: string): boolean {
  return (o.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === 'True');
}

/** kubectl 1.32 job STATUS column. */
export function jobStatus(o: KubeObject): string {
  if (jobCondition(o, 'Failed')) return 'Failed';
  if (jobCondition(o, 'Complete')) return 'Complete';
  if (jobCondition(o, 'Suspended')) return 'Suspended';
  if (jobCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (jobCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(o: KubeObject): string {
  const succeeded = num(o.status?.succeeded);
  if (o.spec?.completions !== undefined && o.spec?.completions !== null) return `${succeeded}/${o.spec.completions}`;
  const parallelism = num(o.spec?.parallelism ?? 1);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: KubeObject, now: number): string {
  const start = timestamp(o.status?.startTime);
  if (start === undefined) return '';
  const end = timestamp(o.status?.completionTime) ?? now;
  return humanDuration(end - start);
}

export const jobsView: KindView = {
  columns: [
    NAME,
    col('STATUS', 8, jobStatus),
    col('COMPLETIONS', 11, jobCompletions),
    col('DURATION', 8, (o, ctx) => jobDuration(o, ctx.now)),
    AGE,
  ],
  health: (o) => {
    const s = jobStatus(o);
    return s === 'Failed' || s === 'FailureTarget' ? 'error' : s === 'Complete' ? 'muted' : s === 'Suspended' ? 'warn' : 'ok';
  },
};

export const cronJobsView: KindView = {
  columns: [
    NAME,
    col('SCHEDULE', 10, (o) => o.spec?.schedule ?? ''),
    col('TIMEZONE', 8, (o) => orNone(o.spec?.timeZone)),
    col('SUSPEND', 7, (o) => (o.spec?.suspend === undefined || o.spec?.suspend === null ? '<unset>' : o.spec.suspend ? 'True' : 'False')),
    countCol('ACTIVE', (o) => (o.status?.active ?? []).length),
    col('LAST SCHEDULE', 13, (o, ctx) => (o.status?.lastScheduleTime ? age(o.status.lastScheduleTime, ctx.now) : '<none>')),
    AGE,
  ],
  health: (o) => (o.spec?.suspend ? 'muted' : 'ok'),
};
