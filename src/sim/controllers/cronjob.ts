/**
 * CronJob controller: creates a Job (`<cronjob>-<minutes since epoch>`) each time the schedule
 * fires, honouring suspend and concurrencyPolicy, records lastScheduleTime/lastSuccessfulTime
 * and the active jobs, and prunes finished Jobs past the history limits.
 *
 * With a timeScale the schedule runs on a simulated clock that started when the controller
 * did (10× → a "every minute" CronJob fires every 6 s), while timestamps stay real.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { parseCron, nextAfter } from './cron.js';
import { deleteQuietly, keyIf, ownerKeyIf, splitKey, startController, writeStatus, type Controller } from './framework.js';
import { GR, nowIso, ownerRef } from './util.js';

const SRC = { component: 'cronjob-controller' };

export function installCronJobController(ctx: SimContext): Controller {
  const t0 = Date.now();
  const scale = ctx.clock.timeScale;
  const toSim = (real: number) => t0 + (real - t0) * scale;
  const lastFired = new Map<string, number>();
  return startController(ctx, 'cronjob-controller', (ev) => keyIf(ev, GR.cronjobs) ?? (ev.key === 'batch/jobs' ? ownerKeyIf(ev, 'CronJob') : undefined),
    (key, c) => {
      const { ns, name } = splitKey(key);
      const cj = ctx.store.peek(GR.cronjobs, ns, name);
      if (!cj) return void lastFired.delete(key);
      if (cj.metadata.deletionTimestamp) return;
      sync(ctx, c, key, cj, toSim, lastFired);
    });
}

const finishedType = (j: KObj): string | undefined =>
  ((j.status?.conditions ?? []) as KObj[]).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True')?.type;

function sync(ctx: SimContext, c: Controller, key: string, cj: KObj, toSim: (real: number) => number, lastFired: Map<string, number>): void {
  const jobs = c.index.controlled(cj.metadata.uid!, GR.jobs);
  const status: Record<string, unknown> = { ...(cj.status ?? {}) };
  const active = jobs.filter((j) => !finishedType(j) && !j.metadata.deletionTimestamp);
  // Jobs that finished since we last looked.
  for (const j of jobs) {
    const t = finishedType(j);
    if (!t) continue;
    const wasActive = ((cj.status?.active ?? []) as KObj[]).some((r) => r.uid === j.metadata.uid);
    if (wasActive) ctx.api.recordEvent(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${t}`, SRC);
    if (t === 'Complete' && j.status?.completionTime && (!status.lastSuccessfulTime || String(status.lastSuccessfulTime) < j.status.completionTime)) {
      status.lastSuccessfulTime = j.status.completionTime;
    }
  }
  let cron;
  try {
    cron = parseCron(String(cj.spec?.schedule ?? ''));
  } catch (e) {
    ctx.api.recordEvent(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${cj.spec?.schedule} : ${(e as Error).message}`, SRC);
    return;
  }
  const nowSim = toSim(Date.now());
  const base = lastFired.get(key) ?? toSim(Math.max(Date.parse(cj.metadata.creationTimestamp!) || Date.now(), Date.parse(String(status.lastScheduleTime ?? '')) || 0));
  const due = nextAfter(cron, base);
  let created: KObj | undefined;
  if (due !== undefined && due <= nowSim && !cj.spec?.suspend) {
    // Missed several runs: only the most recent one starts, as the real controller does.
    let fire = due;
    for (let n = nextAfter(cron, fire); n !== undefined && n <= nowSim; n = nextAfter(cron, n)) fire = n;
    lastFired.set(key, fire);
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length) {
      ctx.api.recordEvent(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', SRC);
    } else {
      if (policy === 'Replace') {
        for (const j of active) {
          deleteQuietly(ctx, GR.jobs, j.metadata.namespace, j.metadata.name!, 'Background');
          ctx.api.recordEvent(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, SRC);
        }
      }
      created = createJob(ctx, cj, fire);
      if (created) status.lastScheduleTime = nowIso();
    }
  }
  const stillActive = c.index.controlled(cj.metadata.uid!, GR.jobs).filter((j) => !finishedType(j) && !j.metadata.deletionTimestamp);
  if (stillActive.length) {
    status.active = stillActive.map((j) => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace: j.metadata.namespace, uid: j.metadata.uid, resourceVersion: j.metadata.resourceVersion }));
  } else delete status.active;
  const fresh = ctx.store.peek(GR.cronjobs, cj.metadata.namespace, cj.metadata.name!);
  if (fresh) writeStatus(ctx, GR.cronjobs, fresh, status);
  prune(ctx, cj, c.index.controlled(cj.metadata.uid!, GR.jobs));
  const next = nextAfter(cron, lastFired.get(key) ?? base);
  if (next !== undefined) c.queue.addAfter(key, Math.max(50, next - toSim(Date.now())) + 20);
}

function createJob(ctx: SimContext, cj: KObj, scheduledSim: number): KObj | undefined {
  const tpl = structuredClone(cj.spec?.jobTemplate ?? {});
  const name = `${cj.metadata.name}-${Math.floor(scheduledSim / 60_000)}`;
  const job: KObj = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name, namespace: cj.metadata.namespace,
      labels: { ...(tpl.metadata?.labels ?? {}) },
      annotations: { ...(tpl.metadata?.annotations ?? {}), 'batch.kubernetes.io/cronjob-scheduled-timestamp': new Date(scheduledSim).toISOString().replace(/\.\d+Z$/, 'Z') },
      ownerReferences: [ownerRef(cj)],
    },
    spec: tpl.spec ?? {},
  };
  try {
    const created = ctx.api.create(GR.jobs, job);
    ctx.api.recordEvent(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`, SRC);
    return created;
  } catch (e) {
    if ((e as { reason?: string }).reason === 'AlreadyExists') return undefined;
    ctx.api.recordEvent(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`, SRC);
    return undefined;
  }
}

function prune(ctx: SimContext, cj: KObj, jobs: KObj[]): void {
  const byTime = (a: KObj, b: KObj) => Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!) || (a.metadata.name! < b.metadata.name! ? -1 : 1);
  for (const [type, limit] of [['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3], ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1]] as const) {
    const done = jobs.filter((j) => finishedType(j) === type && !j.metadata.deletionTimestamp).sort(byTime);
    for (const j of done.slice(0, Math.max(0, done.length - limit))) {
      deleteQuietly(ctx, GR.jobs, j.metadata.namespace, j.metadata.name!, 'Background');
      ctx.api.recordEvent(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, SRC);
    }
  }
}
