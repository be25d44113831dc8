/**
 * Verification after execution: waits for each succeeded step's outcome — rollout complete
 * (kubectl's rules), object gone, object exists, node drained — polling through transitional
 * states and passing server hiccups, with live progress and a clear verdict per step.
 */
import type { KubeRequester } from '../kube/request.js';
import type { Step } from './plan.js';
import type { StepResult } from './execute.js';
import { drainFilter } from './commands/nodes.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export interface Verdict { index: number; title: string; ok: boolean; message: string }

export interface VerifyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  onProgress?: (index: number, message: string) => void;
  signal?: AbortSignal;
}

type Check = { done: boolean; message: string; failed?: boolean };

/** kubectl rollout status, for Deployments, StatefulSets and DaemonSets. */
export function rolloutCheck(o: Obj): Check {
  const name = `${o.kind?.toLowerCase()} "${o.metadata.name}"`;
  const st = o.status ?? {};
  const gen = o.metadata.generation ?? 0;
  if ((st.observedGeneration ?? 0) < gen) return { done: false, message: `Waiting for ${name} spec update to be observed...` };
  if (o.kind === 'Deployment') {
    const cond = (st.conditions ?? []).find((c: Obj) => c.type === 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return { done: true, failed: true, message: `${name} exceeded its progress deadline` };
    const want = o.spec?.replicas ?? 1;
    const updated = st.updatedReplicas ?? 0, replicas = st.replicas ?? 0, available = st.availableReplicas ?? 0;
    if (updated < want) return { done: false, message: `Waiting for ${name} rollout to finish: ${updated} out of ${want} new replicas have been updated...` };
    if (replicas > updated) return { done: false, message: `Waiting for ${name} rollout to finish: ${replicas - updated} old replicas are pending termination...` };
    if (available < updated) return { done: false, message: `Waiting for ${name} rollout to finish: ${available} of ${updated} updated replicas are available...` };
    // Beyond kubectl's rule: a scale-down is done when the extra replicas are gone, not when
    // the controller has only noted the new count ("4/2 available" is not what was asked for).
    if (replicas > want) return { done: false, message: `Waiting for ${name} scale-down: ${replicas - want} extra replicas are terminating...` };
    return { done: true, message: `${name} successfully rolled out (${available}/${want} available)` };
  }
  if (o.kind === 'StatefulSet') {
    const want = o.spec?.replicas ?? 1;
    const ready = st.readyReplicas ?? 0, updated = st.updatedReplicas ?? 0;
    if (ready < want) return { done: false, message: `Waiting for ${want - ready} pods to be ready...` };
    if (st.updateRevision && st.currentRevision !== st.updateRevision && updated < want) return { done: false, message: `Waiting for partitioned roll out to finish: ${updated} out of ${want} new pods have been updated...` };
    return { done: true, message: `${name} rolled out: ${ready} of ${want} pods ready` };
  }
  if (o.kind === 'DaemonSet') {
    const want = st.desiredNumberScheduled ?? 0;
    const updated = st.updatedNumberScheduled ?? 0, available = st.numberAvailable ?? 0;
    if (updated < want) return { done: false, message: `Waiting for daemon set "${o.metadata.name}" rollout to finish: ${updated} out of ${want} new pods have been updated...` };
    if (available < want) return { done: false, message: `Waiting for daemon set "${o.metadata.name}" rollout to finish: ${available} of ${want} updated pods are available...` };
    return { done: true, message: `daemon set "${o.metadata.name}" successfully rolled out` };
  }
  return { done: true, message: `${name} changed` };
}

async function checkStep(client: KubeRequester, step: Step, result: StepResult): Promise<Check> {
  const v = step.verify;
  const path = step.target.name ? step.objectPath : objectFromResponse(step, result);
  if (v.kind === 'none') return { done: true, message: 'applied' };
  if (v.kind === 'drained') {
    const res = await client.request({ method: 'GET', path: '/api/v1/pods', query: [['fieldSelector', `spec.nodeName=${step.target.name}`]] });
    if (res.status >= 500) throw new Error(res.json?.message ?? `HTTP ${res.status}`);
    const { evict, blockers } = drainFilter((res.json?.items ?? []).filter((p: Obj) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'), { ignoreDaemonSets: v.ignoreDaemonSets, deleteEmptyDirData: true, force: true });
    const left = evict.length + blockers.length;
    return left === 0 ? { done: true, message: `node ${step.target.name} drained` } : { done: false, message: `node ${step.target.name}: ${left} pod${left === 1 ? '' : 's'} still to go (${evict.slice(0, 3).map((p: Obj) => p.metadata.name).join(', ')})` };
  }
  if (!path) return { done: true, message: 'applied (no object path to check)' };
  const res = await client.request({ method: 'GET', path });
  if (res.status >= 500 || res.status === 429) throw new Error(res.json?.message ?? `HTTP ${res.status}`);
  if (v.kind === 'gone') {
    if (res.status === 404) return { done: true, message: `${step.target.resource}/${step.target.name} is gone` };
    const before = result.response?.metadata?.uid;
    if (res.status === 200 && before && res.json?.metadata?.uid && res.json.metadata.uid !== before && step.op !== 'evict') return { done: true, message: `${step.target.resource}/${step.target.name} was deleted (a new one with the same name exists)` };
    return { done: false, message: `waiting for ${step.target.resource}/${step.target.name} to go${res.json?.metadata?.deletionTimestamp ? ' (terminating)' : ''}` };
  }
  if (v.kind === 'exists') {
    return res.status === 200 ? { done: true, message: `${step.target.resource}/${res.json.metadata.name} exists` } : { done: false, message: `waiting for ${step.target.resource}/${step.target.name} to appear` };
  }
  if (v.kind === 'podReady') {
    if (res.status !== 200) return { done: false, message: `waiting for pod ${step.target.name || ''} to appear` };
    const p = res.json;
    const ready = (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
    if (ready) return { done: true, message: `pod ${p.metadata.name} is Ready` };
    if (p.status?.phase === 'Succeeded') return { done: true, message: `pod ${p.metadata.name} completed` };
    if (p.status?.phase === 'Failed') return { done: true, failed: true, message: `pod ${p.metadata.name} failed` };
    const waiting = (p.status?.containerStatuses ?? []).map((c: Obj) => c.state?.waiting?.reason).filter(Boolean);
    return { done: false, message: `waiting for pod ${p.metadata.name} to be Ready (${p.status?.phase ?? 'Pending'}${waiting.length ? ': ' + waiting.join(', ') : ''})` };
  }
  // rollout
  if (res.status === 404) return { done: true, failed: true, message: `${step.target.resource}/${step.target.name} no longer exists` };
  if (res.status !== 200) return { done: false, message: `HTTP ${res.status}` };
  return rolloutCheck(res.json);
}

function objectFromResponse(step: Step, result: StepResult): string | undefined {
  const name = result.response?.metadata?.name;
  return name ? `${step.objectPath.replace(/\/$/, '')}/${encodeURIComponent(name)}` : undefined;
}

/** Waits ms or until aborted; the abort listener goes when the wait ends (a poll loop must not pile them up). */
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((res) => {
  const done = () => { clearTimeout(t); signal?.removeEventListener('abort', done); res(); };
  const t = setTimeout(done, ms);
  signal?.addEventListener('abort', done, { once: true });
});

/** Verifies every succeeded step, all in parallel; resolves with one verdict per verified step. */
export async function verifySteps(client: KubeRequester, steps: Step[], results: StepResult[], opts: VerifyOptions = {}): Promise<Verdict[]> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const interval = opts.intervalMs ?? 500;
  // Evictions of a drain are covered by the node check; verify them individually only without one.
  const hasDrain = steps.some((s) => s.verify.kind === 'drained');
  const todo = results.filter((r) => r.status === 'succeeded' && !(hasDrain && steps[r.index]!.op === 'evict') && steps[r.index]!.verify.kind !== 'none');
  return Promise.all(todo.map(async (r): Promise<Verdict> => {
    const step = steps[r.index]!;
    const deadline = Date.now() + timeoutMs;
    let last = 'not checked yet';
    for (;;) {
      try {
        const c = await checkStep(client, step, r);
        if (c.message !== last) opts.onProgress?.(r.index, c.message);
        last = c.message;
        if (c.done) return { index: r.index, title: step.title, ok: !c.failed, message: c.message };
      } catch (e) {
        last = `retrying: ${(e as Error).message}`; // transitional server errors
        opts.onProgress?.(r.index, last);
      }
      if (opts.signal?.aborted) return { index: r.index, title: step.title, ok: false, message: `cancelled: ${last}` };
      if (Date.now() >= deadline) return { index: r.index, title: step.title, ok: false, message: `timed out after ${Math.round(timeoutMs / 1000)} s: ${last}` };
      await sleep(interval, opts.signal);
    }
  }));
}

/** For tests: the wait used between verification polls. */
export const __sleepForTests = sleep;
