/**
 * Safety classes. Classification is by rule from the request itself; afterwards a class can only
 * be raised (by policies, preview warnings or an LLM), never lowered.
 */
import type { Step, StepRequest, StepOp, Target } from './plan.js';

export type SafetyClass = 'read-only' | 'mutating' | 'destructive';

const RANK: Record<SafetyClass, number> = { 'read-only': 0, mutating: 1, destructive: 2 };

export function maxClass(a: SafetyClass, b: SafetyClass): SafetyClass {
  return RANK[a] >= RANK[b] ? a : b;
}

export function planClass(steps: Array<{ class: SafetyClass }>): SafetyClass {
  return steps.reduce<SafetyClass>((c, s) => maxClass(c, s.class), 'read-only');
}

/** Rule-based class of a request, with the reason. */
export function classify(op: StepOp, req: StepRequest, target: Target): { class: SafetyClass; reason: string } {
  if (req.method === 'GET') return { class: 'read-only', reason: 'reads only' };
  if (req.method === 'DELETE') {
    if (target.resource === 'namespaces') return { class: 'destructive', reason: 'deletes a namespace and everything in it' };
    return { class: 'destructive', reason: 'deletes an object' };
  }
  if (op === 'evict' || req.path.endsWith('/eviction')) return { class: 'destructive', reason: 'evicts a pod' };
  if (op === 'scale' && req.body) {
    try {
      const replicas = JSON.parse(req.body)?.spec?.replicas;
      if (replicas === 0) return { class: 'destructive', reason: 'scales to 0 replicas' };
    } catch { /* the body is not JSON; fall through */ }
  }
  if (req.contentType === 'application/json-patch+json' && req.body && /"op"\s*:\s*"remove"/.test(req.body)) {
    return { class: 'mutating', reason: 'JSON patch with remove operations' };
  }
  return { class: 'mutating', reason: 'changes an object' };
}

/** Raises a step's class (never lowers it); returns the same step when nothing changes. */
export function raise(step: Step, to: SafetyClass, reason: string): Step {
  const next = maxClass(step.class, to);
  if (next === step.class) return step;
  return { ...step, class: next, classReasons: [...step.classReasons, `raised to ${next}: ${reason}`] };
}
