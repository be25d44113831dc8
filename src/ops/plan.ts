/**
 * The plan model: an ordered list of steps, each one exact API request. The hash of a step is
 * taken over the request exactly as it will be sent (method, path, query, content type, body
 * bytes), so what the user previewed and confirmed is provably what executes.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SafetyClass } from './safety.js';

export interface StepRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query: Array<[string, string]>;
  contentType?: string;
  /** Serialised body, the exact bytes sent. */
  body?: string;
}

export interface Target {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** What a step does, which drives preview, verification and its inverse. */
export type StepOp =
  | 'create' | 'delete' | 'patch' | 'replace' | 'scale' | 'apply' | 'evict'
  | 'restart' | 'rollback' | 'cordon' | 'uncordon';

export type VerifySpec =
  | { kind: 'rollout' }
  | { kind: 'gone' }
  | { kind: 'exists' }
  | { kind: 'podReady' }
  | { kind: 'drained'; ignoreDaemonSets: boolean }
  | { kind: 'none' };

export interface Step {
  title: string;
  class: SafetyClass;
  /** Why the class is what it is (rules and raises, in order). */
  classReasons: string[];
  op: StepOp;
  request: StepRequest;
  target: Target;
  /** Path of the object this step changes (GET-able): before-state and conflict checks. */
  objectPath: string;
  hash: string;
  /** resourceVersion of the object seen at preview ('' = the object did not exist). */
  expectedResourceVersion?: string;
  verify: VerifySpec;
  /** Warnings the builder already knows (e.g. scale to 0). */
  warnings: string[];
}

export interface Plan {
  id: string;
  /** The typed text the plan came from. */
  source: string;
  steps: Step[];
  /** When the plan is the inverse of a journal operation. */
  undoOf?: number;
}

export function hashRequest(r: StepRequest): string {
  const canonical = JSON.stringify([r.method, r.path, r.query, r.contentType ?? null, r.body ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function newPlan(source: string, steps: Step[], undoOf?: number): Plan {
  return { id: randomUUID(), source, steps, ...(undoOf !== undefined ? { undoOf } : {}) };
}

export function objectPathOf(t: Pick<Target, 'group' | 'version' | 'resource' | 'namespace' | 'name'>): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  const ns = t.namespace ? `/namespaces/${encodeURIComponent(t.namespace)}` : '';
  return `${base}${ns}/${t.resource}${t.name ? '/' + encodeURIComponent(t.name) : ''}`;
}

export function collectionPathOf(t: Pick<Target, 'group' | 'version' | 'resource' | 'namespace'>): string {
  return objectPathOf({ ...t, name: '' });
}

/** A step re-hashed after its request was edited (the edit must be previewed again). */
export function rehash(step: Step): Step {
  return { ...step, hash: hashRequest(step.request), expectedResourceVersion: undefined };
}

export function targetLabel(t: Target): string {
  return `${t.resource}${t.group ? '.' + t.group : ''}/${t.name}${t.namespace ? ` (ns ${t.namespace})` : ''}`;
}
