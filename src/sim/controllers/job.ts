/**
 * Job controller: runs pods until `completions` succeeded (at most `parallelism` at a time),
 * re-creates failed ones with the real exponential back-off, and fails the Job with
 * BackoffLimitExceeded past `backoffLimit`; conditions and events as the real controller's.
 */
import type { SimContext } from '../context.js';
import type { KObj } from '../types.js';
import { deleteQuietly, keyIf, ownerKeyIf, splitKey, startController, writeStatus, type Controller } from './framework.js';
import { GR, isPodActive, isPodReady, nowIso, podFromTemplate, randSuffix } from './util.js';

const SRC = { component: 'job-controller' };

export function installJobController(ctx: SimContext): Controller {
  return startController(ctx, 'job-controller', (ev) => keyIf(ev, GR.jobs) ?? (ev.key === '/pods' ? ownerKeyIf(ev, 'Job') : undefined),
    (key, c) => sync(ctx, c, key));
}

const isFinished = (job: KObj): boolean => ((job.status?.conditions ?? []) as KObj[]).some((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');

function restartsOf(p: KObj): number {
  return ((p.status?.containerStatuses ?? []) as KObj[]).reduce((s, c) => s + (c.restartCount ?? 0), 0);
}

function sync(ctx: SimContext, c: Controller, key: string): void {
  const { ns, name } = splitKey(key);
  const job = ctx.store.peek(GR.jobs, ns, name);
  if (!job || job.metadata.deletionTimestamp) return;
  const pods = c.index.controlled(job.metadata.uid!, GR.pods);
  const active = pods.filter(isPodActive);
  const indexed = job.spec?.completionMode === 'Indexed';
  const doneIndexes = new Set(pods.filter((p) => p.status?.phase === 'Succeeded').map(indexOf).filter((i) => i >= 0));
  // Indexed jobs count distinct succeeded indexes; NonIndexed ones count succeeded pods.
  const succeeded = indexed ? doneIndexes.size : pods.filter((p) => p.status?.phase === 'Succeeded').length;
  const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
  const onFailure = job.spec?.template?.spec?.restartPolicy === 'OnFailure';
  const failed = failedPods.length + (onFailure ? active.reduce((s, p) => s + restartsOf(p), 0) : 0);
  const completions: number | null = job.spec?.completions ?? null;
  const parallelism: number = job.spec?.parallelism ?? 1;
  const backoffLimit: number = job.spec?.backoffLimit ?? 6;
  const now = nowIso();
  let conditions = [...((job.status?.conditions ?? []) as KObj[])];
  const status: Record<string, unknown> = { ...(job.status ?? {}) };
  status.startTime ??= now;
  if (!isFinished(job)) {
    const cond = (type: string, reason: string, message: string) => ({ type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message }) as unknown as KObj;
    const deadline = job.spec?.activeDeadlineSeconds as number | undefined;
    const elapsedSim = (Date.now() - Date.parse(status.startTime as string)) * ctx.clock.timeScale;
    const done = completions === null ? succeeded > 0 && active.length === 0 : succeeded >= completions;
    if (failed > backoffLimit || (deadline !== undefined && elapsedSim >= deadline * 1000)) {
      const [reason, message] = failed > backoffLimit
        ? ['BackoffLimitExceeded', 'Job has reached the specified backoff limit']
        : ['DeadlineExceeded', 'Job was active longer than specified deadline'];
      for (const p of active) deleteQuietly(ctx, GR.pods, p.metadata.namespace, p.metadata.name!);
      conditions.push(cond('FailureTarget', reason, message), cond('Failed', reason, message));
      ctx.api.recordEvent(job, 'Warning', reason, message, SRC);
    } else if (done) {
      conditions.push(cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'),
        cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'));
      status.completionTime = now;
      ctx.api.recordEvent(job, 'Normal', 'Completed', 'Job completed', SRC);
    } else if (!job.spec?.suspend) {
      const remaining = completions === null ? (succeeded > 0 ? 0 : parallelism) : completions - succeeded;
      const want = Math.min(parallelism, remaining) - active.length;
      // Failed pods are replaced after 10s, 20s, 40s … (capped at 6 minutes), as the real controller waits.
      const lastFail = failedPods.map((p) => Date.parse(finishedAt(p) ?? p.metadata.creationTimestamp!)).sort((a, b) => b - a)[0];
      const backoff = failed > 0 ? Math.min(10_000 * 2 ** (failed - 1), 360_000) : 0;
      const waited = lastFail ? (Date.now() - lastFail) * ctx.clock.timeScale : Infinity;
      if (want > 0 && (failedPods.length === 0 || waited >= backoff)) {
        if (indexed) {
          const busy = new Set(active.map(indexOf));
          const free = Array.from({ length: completions ?? 1 }, (_, i) => i).filter((i) => !doneIndexes.has(i) && !busy.has(i));
          for (const i of free.slice(0, want)) createPod(ctx, job, i);
        } else for (let i = 0; i < want; i++) createPod(ctx, job);
      } else if (want > 0) c.queue.addAfter(key, backoff - waited + 50);
      if (deadline !== undefined) c.queue.addAfter(key, deadline * 1000 - elapsedSim + 50);
    }
  }
  const live = c.index.controlled(job.metadata.uid!, GR.pods);
  const liveActive = live.filter(isPodActive);
  status.active = liveActive.length || undefined;
  status.ready = liveActive.filter(isPodReady).length;
  status.succeeded = live.filter((p) => p.status?.phase === 'Succeeded').length || undefined;
  if (indexed) {
    const idx = [...new Set(live.filter((p) => p.status?.phase === 'Succeeded').map(indexOf).filter((i) => i >= 0))].sort((a, b) => a - b);
    status.completedIndexes = ranges(idx) || undefined;
  }
  status.failed = (live.filter((p) => p.status?.phase === 'Failed').length + (onFailure ? liveActive.reduce((s, p) => s + restartsOf(p), 0) : 0)) || undefined;
  status.terminating = live.filter((p) => p.metadata.deletionTimestamp).length;
  status.uncountedTerminatedPods = {};
  conditions = conditions.filter((x, i) => conditions.findIndex((y) => y.type === x.type) === i);
  if (conditions.length) status.conditions = conditions;
  for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
  const fresh = ctx.store.peek(GR.jobs, ns, name);
  if (fresh) writeStatus(ctx, GR.jobs, fresh, status);
}

function finishedAt(p: KObj): string | undefined {
  return ((p.status?.containerStatuses ?? []) as KObj[]).map((c) => c.state?.terminated?.finishedAt).filter(Boolean).sort().pop();
}

const INDEX = 'batch.kubernetes.io/job-completion-index';
const indexOf = (p: KObj): number => Number(p.metadata.annotations?.[INDEX] ?? -1);

/** [0,1,2,4] → "0-2,4", as status.completedIndexes spells it. */
function ranges(xs: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    out.push(j > i ? `${xs[i]}-${xs[j]}` : `${xs[i]}`);
    i = j + 1;
  }
  return out.join(',');
}

function createPod(ctx: SimContext, job: KObj, index?: number): void {
  const name = index === undefined ? `${job.metadata.name}-${randSuffix(5)}` : `${job.metadata.name}-${index}-${randSuffix(5)}`;
  const pod = podFromTemplate(job.spec.template, job, { name }, index === undefined ? {} : { [INDEX]: String(index) });
  if (index !== undefined) {
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [INDEX]: String(index) };
    pod.spec.hostname = `${job.metadata.name}-${index}`;
    pod.spec.containers = (pod.spec.containers as KObj[]).map((c) => ({ ...c, env: [...((c.env ?? []) as KObj[]), { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${INDEX}']` } } }] }));
  }
  try {
    const created = ctx.api.create(GR.pods, pod);
    ctx.api.recordEvent(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SRC);
  } catch (e) {
    ctx.api.recordEvent(job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, SRC);
  }
}
