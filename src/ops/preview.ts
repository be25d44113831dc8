/**
 * Preview: for every step, the object before, the server-side dry-run (dryRun=All) of the exact
 * request — its result or its error exactly as the server gave it — the before/after diff, the
 * impact and warnings, and the resourceVersion seen (execution refuses if it moves). A plan with a
 * failing dry-run, a policy violation, or in read-only mode cannot be accepted.
 */
import type { KubeRequester } from '../kube/request.js';
import { hashRequest, type Plan, type Step } from './plan.js';
import { diffObjects, hasChanges, type DiffLine } from './diff.js';
import { freshImpactReads, planImpact, stepImpact } from './impact.js';
import { checkPolicies, raisedClasses, type PolicyRule, type Violation } from './policy.js';
import { planClass, raise, type SafetyClass } from './safety.js';
import { revertWarnings } from './gitops/detect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export interface DryRunResult {
  ok: boolean;
  status: number;
  /** The server's message when it refused (Status.message), verbatim. */
  message?: string;
  reason?: string;
  /** The server's reply body, verbatim. */
  body?: Obj;
}

export interface StepPreview {
  step: Step;
  before?: Obj;
  after?: Obj;
  dryRun: DryRunResult;
  diff: DiffLine[];
  changes: boolean;
  impact: string[];
  warnings: string[];
}

export interface PlanPreview {
  plan: Plan;
  steps: StepPreview[];
  class: SafetyClass;
  impact: string[];
  warnings: string[];
  violations: Violation[];
  /** Why the plan cannot be accepted as is (empty = acceptable). */
  refusals: string[];
  acceptable: boolean;
  previewedAt: string;
}

export interface PreviewOptions {
  policies?: PolicyRule[];
  readonly?: boolean;
  /** Called as step dry-runs finish (done, total): big plans show progress. */
  onProgress?: (done: number, total: number) => void;
  /** Extra warnings/raises from outside (an LLM): may only raise classes. */
  raises?: Array<{ index: number; to: SafetyClass; reason: string }>;
}

/** The request as dry-run: the same request with dryRun=All appended. */
export function dryRunRequest(step: Step): Step['request'] {
  return { ...step.request, query: [...step.request.query, ['dryRun', 'All']] };
}

/** Dry runs in flight at once for one plan. */
const PREVIEW_CONCURRENCY = 8;

export async function previewPlan(client: KubeRequester, plan: Plan, opts: PreviewOptions = {}): Promise<PlanPreview> {
  let steps = plan.steps.map((s) => s);
  for (const r of raisedClasses(opts.policies ?? [], steps)) steps[r.index] = raise(steps[r.index]!, r.to, `policy "${r.rule}"`);
  // Outside warnings (an LLM's) are shown with the step and may raise its class, never lower it.
  for (const r of opts.raises ?? []) {
    const st = steps[r.index];
    if (st) steps[r.index] = { ...raise(st, r.to, r.reason), warnings: [...st.warnings, r.reason] };
  }
  freshImpactReads(client);
  // Dry runs persist nothing, so steps are previewed independently: several at a time (a
  // 10,000-document apply is not 10,000 round trips in a row), results kept in plan order.
  const previews: StepPreview[] = new Array(steps.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < steps.length; i = next++) {
      previews[i] = await previewStep(client, steps[i]!);
      opts.onProgress?.(++done, steps.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PREVIEW_CONCURRENCY, steps.length) }, worker));
  freshImpactReads(client);
  const finalPlan: Plan = { ...plan, steps: previews.map((p) => p.step) };
  const pi = await planImpact(client, finalPlan.steps);
  const violations = await checkPolicies(opts.policies ?? [], previews.map((p) => ({ step: p.step, before: p.before, after: p.after })), client);
  // A live change to an object Argo CD or Flux manages is reverted at the next sync: say so before it runs.
  const reverts = await revertWarnings(client, previews).catch(() => [] as string[]);
  const cls = planClass(finalPlan.steps);
  const refusals: string[] = [];
  previews.forEach((p, i) => { if (!p.dryRun.ok) refusals.push(`step ${i + 1} failed its dry-run: ${p.dryRun.message}`); });
  for (const v of violations) refusals.push(`blocked by policy "${v.rule}": ${v.message}`);
  if (opts.readonly && cls !== 'read-only') refusals.push('read-only mode: mutating plans are refused');
  return {
    plan: finalPlan, steps: previews, class: cls, impact: pi.lines,
    warnings: [...new Set([...reverts, ...previews.flatMap((p) => p.warnings), ...pi.warnings])],
    violations, refusals, acceptable: refusals.length === 0, previewedAt: new Date().toISOString(),
  };
}

export async function previewStep(client: KubeRequester, stepIn: Step): Promise<StepPreview> {
  if (hashRequest(stepIn.request) !== stepIn.hash) throw new Error(`step "${stepIn.title}" was changed after it was built; rebuild the plan`);
  // A create with generateName has no object path yet: there is no before.
  const beforeRes = stepIn.target.name ? await client.request({ method: 'GET', path: stepIn.objectPath }) : undefined;
  const before = beforeRes?.status === 200 ? beforeRes.json : undefined;
  const step: Step = { ...stepIn, expectedResourceVersion: before?.metadata?.resourceVersion ?? '' };
  const res = await client.request(dryRunRequest(step));
  const ok = res.status >= 200 && res.status < 300;
  const dryRun: DryRunResult = ok
    ? { ok, status: res.status, body: res.json ?? res.text }
    : { ok, status: res.status, message: res.json?.message ?? (res.text.trim() || `HTTP ${res.status}`), reason: res.json?.reason, body: res.json ?? res.text };
  let after: Obj | undefined;
  if (ok) {
    if (step.op === 'delete' || step.op === 'evict') after = undefined;
    else if (res.json?.kind === 'Scale' && before) {
      after = structuredClone(before);
      after.spec = { ...after.spec, replicas: res.json.spec?.replicas };
    } else if (res.json?.kind && res.json.kind !== 'Status') after = res.json;
  }
  const diff = ok ? diffObjects(before, after) : [];
  const impact = ok ? await stepImpact(client, step, before, after) : { lines: [], warnings: [] };
  const warnings = [...step.warnings, ...impact.warnings];
  if (ok && before === undefined && step.op !== 'create' && step.op !== 'apply') warnings.push(`${step.target.resource}/${step.target.name} does not exist now`);
  return { step, before, after, dryRun, diff, changes: ok && (hasChanges(diff) || step.op === 'evict'), impact: impact.lines, warnings };
}
