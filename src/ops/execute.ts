/**
 * Executes an accepted preview: exactly the previewed requests, in order. Before each step the
 * object is read again; if it changed since the preview (other than its status), execution stops
 * with "changed since preview — re-preview" rather than overwrite. Continue-on-error by default;
 * fail-fast on request. Every step is written to the journal before it is sent and after.
 */
import type { KubeRequester } from '../kube/request.js';
import { hashRequest } from './plan.js';
import type { PlanPreview } from './preview.js';
import { userContent } from './diff.js';
import type { Journal } from './journal.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export type StepStatus = 'succeeded' | 'failed' | 'conflict' | 'skipped' | 'declined';

export interface StepResult {
  index: number;
  title: string;
  status: StepStatus;
  httpStatus?: number;
  /** The server's message verbatim on failure; ours for conflicts/skips. */
  message?: string;
  response?: Obj;
}

export interface ExecuteResult {
  results: StepResult[];
  ok: boolean;
  /** Journal operation id, when journaled. */
  operationId?: number;
  summary: string;
}

export interface ExecuteOptions {
  failFast?: boolean;
  journal?: Journal;
  context?: string;
  server?: string;
  /** semiauto: asked before each step; false declines that step (the rest continue). */
  confirmStep?: (index: number) => Promise<boolean>;
  onStep?: (r: StepResult, done: number, total: number) => void;
}


export const CHANGED_SINCE_PREVIEW = 'changed since preview — re-preview';

export async function executePlan(client: KubeRequester, preview: PlanPreview, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
  if (!preview.acceptable) throw new Error(`the plan cannot be executed: ${preview.refusals.join('; ')}`);
  for (const sp of preview.steps) {
    if (hashRequest(sp.step.request) !== sp.step.hash) throw new Error(`step "${sp.step.title}" differs from what was previewed; re-preview`);
  }
  const plan = preview.plan;
  const opId = opts.journal?.beginOperation(plan, { context: opts.context, server: opts.server, planClass: preview.class });
  const results: StepResult[] = [];
  const touched = new Set<string>();
  let stop: string | undefined;
  const total = preview.steps.length;
  for (const [index, sp] of preview.steps.entries()) {
    const step = sp.step;
    const push = (r: StepResult) => { results.push(r); opts.onStep?.(r, results.length, total); };
    if (stop) { push({ index, title: step.title, status: 'skipped', message: stop }); continue; }
    if (opts.confirmStep && !(await opts.confirmStep(index))) { push({ index, title: step.title, status: 'declined', message: 'declined' }); continue; }
    // Re-read and compare with what the preview saw.
    let current: Obj | undefined;
    try {
      const cur = step.target.name ? await client.request({ method: 'GET', path: step.objectPath }) : undefined;
      current = cur?.status === 200 ? cur.json : undefined;
      if (cur && cur.status !== 200 && cur.status !== 404) throw new Error(cur.json?.message ?? `HTTP ${cur.status}`);
    } catch (e) {
      push({ index, title: step.title, status: 'failed', message: `could not re-read the object: ${(e as Error).message}` });
      if (opts.failFast) stop = 'not run: an earlier step failed (fail-fast)';
      continue;
    }
    if (!touched.has(step.objectPath)) {
      const seenRv = step.expectedResourceVersion ?? '';
      const nowRv = current?.metadata?.resourceVersion ?? '';
      const moved = seenRv !== nowRv && (seenRv === '' || nowRv === '' || current?.metadata?.uid !== sp.before?.metadata?.uid || userContent(current) !== userContent(sp.before));
      if (moved) {
        const what = seenRv === '' ? 'it was created' : nowRv === '' ? 'it was deleted' : `resourceVersion ${seenRv} → ${nowRv}`;
        push({ index, title: step.title, status: 'conflict', message: `${step.target.resource}/${step.target.name} ${CHANGED_SINCE_PREVIEW} (${what})` });
        // Every step is re-read and compared on its own, so the others stay safe to run (a batch
        // of independent objects goes on); fail-fast stops here like on any failure.
        if (opts.failFast) stop = `not run: ${CHANGED_SINCE_PREVIEW}`;
        continue;
      }
    }
    const stepRow = opts.journal?.beginStep(opId!, index, step, current);
    let r: StepResult;
    try {
      const res = await client.request(step.request);
      const ok = res.status >= 200 && res.status < 300;
      r = ok
        ? { index, title: step.title, status: 'succeeded', httpStatus: res.status, response: res.json }
        : { index, title: step.title, status: 'failed', httpStatus: res.status, message: res.json?.message ?? (res.text.trim() || `HTTP ${res.status}`), response: res.json };
    } catch (e) {
      r = { index, title: step.title, status: 'failed', message: (e as Error).message };
    }
    if (stepRow !== undefined) opts.journal!.finishStep(stepRow, r);
    touched.add(step.objectPath);
    push(r);
    if (r.status === 'failed' && opts.failFast) stop = 'not run: an earlier step failed (fail-fast)';
  }
  const ok = results.every((r) => r.status === 'succeeded');
  const count = (s: StepStatus) => results.filter((r) => r.status === s).length;
  const parts = [`${count('succeeded')} succeeded`];
  for (const s of ['failed', 'conflict', 'skipped', 'declined'] as const) if (count(s)) parts.push(`${count(s)} ${s}`);
  const summary = `${parts.join(', ')} of ${total} step${total === 1 ? '' : 's'}`;
  if (opId !== undefined) opts.journal!.finishOperation(opId, ok ? 'succeeded' : count('succeeded') > 0 ? 'partial' : 'failed', summary);
  return { results, ok, operationId: opId, summary };
}
