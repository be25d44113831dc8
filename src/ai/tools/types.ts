/**
 * What a tool may use and what it looks like to the agent. Tools read the cluster with GET
 * only (ClusterReader); the two that touch ops/ (dry_run, propose_plan) only parse and
 * preview — a server-side dry run — and never execute. There is no mutating tool.
 */
import type { KindIndex } from '../../ops/kinds.js';
import type { Intent } from '../../ops/commands/index.js';
import type { Plan } from '../../ops/plan.js';
import type { PlanPreview } from '../../ops/preview.js';
import type { Redactor } from '../redact.js';
import type { ToolSpec } from '../providers/types.js';

/** GET-only access to the API (the agent cannot send anything else). */
export interface ClusterReader {
  get(path: string, query?: Array<[string, string]>, signal?: AbortSignal): Promise<{ status: number; json?: any; text: string }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The operations pipeline as the AI may use it: parse and preview, nothing else. */
export interface PlanDrafter {
  parse(text: string): Promise<Intent>;
  /** `raises`: the model's own risk rating per step — it can raise a step's class, never lower it. */
  preview(plan: Plan, raises?: Array<{ index: number; to: 'mutating' | 'destructive'; reason: string }>): Promise<PlanPreview>;
}

/** A plan the model proposed: parsed, previewed, waiting for a person's confirmation. */
export interface Proposal {
  rationale: string;
  commands: string[];
  plan?: Plan;
  preview?: PlanPreview;
  /** Commands that did not parse, with why. */
  errors: string[];
}

export interface ToolContext {
  cluster: ClusterReader;
  kinds: KindIndex;
  namespace: string;
  context: string;
  redactor: Redactor;
  drafter?: PlanDrafter;
  /** What the cockpit can add: the exec shell's recent lines, port-forward counters. */
  shellTranscript?: () => string | undefined;
  forwards?: () => unknown;
  proposals: Proposal[];
  signal?: AbortSignal;
  /** Called before the first tool runs: teaches the redactor the cluster's secret values. */
  prime?: () => Promise<void>;
}

export interface Tool {
  spec: ToolSpec;
  /** Always false: kept as data so a test can assert no tool modifies anything. */
  modifies: false;
  timeoutMs: number;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<string>;
}

export class ToolInputError extends Error {}

export function str(args: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new ToolInputError(`'${key}' is required`);
    return undefined;
  }
  return String(v);
}

export function num(args: Record<string, unknown>, key: string, def: number, max: number): number {
  const v = Number(args[key] ?? def);
  return Number.isFinite(v) ? Math.max(0, Math.min(max, Math.floor(v))) : def;
}
