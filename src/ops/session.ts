/**
 * One place that wires the pipeline for a cluster: text → intent → plan → preview → execute →
 * verify → journal, and undo. Used by `kai-tui do|undo|history` and by the cockpit's panes.
 */
import { KubeRequester } from '../kube/request.js';
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import { paths } from '../config/paths.js';
import { KindIndex, kindIndexFor, type KindSource } from './kinds.js';
import { parseCommand, type Intent, type MarkedRow, type OpsEnv } from './commands/index.js';
import { executePlan, type ExecuteOptions, type ExecuteResult } from './execute.js';
import { previewPlan, type PlanPreview, type PreviewOptions } from './preview.js';
import { verifySteps, type Verdict, type VerifyOptions } from './verify.js';
import { Journal } from './journal.js';
import { buildUndo, type UndoPlan } from './undo.js';
import { loadPolicies, type PolicyRule } from './policy.js';
import type { Plan } from './plan.js';

export type Mode = 'manual' | 'semiauto' | 'auto';

export interface SessionOptions {
  loaded: LoadedKubeConfig;
  /** Kinds from the cockpit's discovery; read over HTTP when absent. */
  kinds?: KindSource;
  namespace?: string;
  journalFile?: string;
  policyDirs?: string[];
  readonly?: boolean;
  mode?: Mode;
  failFast?: boolean;
  verifyTimeoutMs?: number;
  cwd?: string;
  editText?: OpsEnv['editText'];
  env?: NodeJS.ProcessEnv;
  /** ops.maxApplyBytes / ops.maxApplyDocs. */
  applyLimits?: OpsEnv['limits'];
  /** kube.requestTimeoutMs: one request's timeout. */
  requestTimeoutMs?: number;
}

export class OpsSession {
  readonly client: KubeRequester;
  readonly journal: Journal;
  readonly policies: PolicyRule[];
  mode: Mode;
  readonly: boolean;
  failFast: boolean;
  namespace: string;

  private constructor(readonly opts: SessionOptions, readonly kinds: KindIndex) {
    this.client = new KubeRequester(opts.loaded, opts.requestTimeoutMs);
    const p = paths(opts.env);
    this.journal = new Journal(opts.journalFile ?? p.journal);
    this.policies = loadPolicies(opts.policyDirs ?? [p.policies]);
    this.mode = opts.mode ?? 'manual';
    this.readonly = opts.readonly ?? false;
    this.failFast = opts.failFast ?? false;
    this.namespace = opts.namespace ?? opts.loaded.namespace;
  }

  static async open(opts: SessionOptions): Promise<OpsSession> {
    const kinds = opts.kinds ? new KindIndex(opts.kinds) : await kindIndexFor(new KubeRequester(opts.loaded, opts.requestTimeoutMs));
    return new OpsSession(opts, kinds);
  }

  get context(): string { return this.opts.loaded.context; }

  env(marked?: MarkedRow[]): OpsEnv {
    return { client: this.client, kinds: this.kinds, namespace: this.namespace, cwd: this.opts.cwd ?? process.cwd(), editText: this.opts.editText, marked, limits: this.opts.applyLimits };
  }

  async parse(text: string, marked?: MarkedRow[]): Promise<Intent> {
    await this.kinds.ready();
    return parseCommand(text, this.env(marked));
  }

  async undoPlan(id?: number): Promise<UndoPlan> {
    const op = id === undefined ? this.journal.lastUndoable() : this.journal.get(id);
    if (!op) throw new Error(id === undefined ? 'nothing to undo: the journal has no operation that changed something' : `operation #${id} is not in the journal`);
    if (op.status === 'running') throw new Error(`operation #${op.id} is still running`);
    return buildUndo(this.client, op);
  }

  preview(plan: Plan, raises?: PreviewOptions['raises'], onProgress?: PreviewOptions['onProgress']): Promise<PlanPreview> {
    return previewPlan(this.client, plan, { policies: this.policies, readonly: this.readonly, raises, onProgress });
  }

  execute(preview: PlanPreview, opts: Omit<ExecuteOptions, 'journal' | 'context' | 'server'> = {}): Promise<ExecuteResult> {
    return executePlan(this.client, preview, { failFast: this.failFast, ...opts, journal: this.journal, context: this.context, server: this.opts.loaded.server });
  }

  verify(preview: PlanPreview, result: ExecuteResult, opts: VerifyOptions = {}): Promise<Verdict[]> {
    return verifySteps(this.client, preview.plan.steps, result.results, { timeoutMs: this.opts.verifyTimeoutMs, ...opts });
  }

  close(): void { this.journal.close(); }
}

export function defaultPolicyDirs(extra?: string, env?: NodeJS.ProcessEnv): string[] {
  return [paths(env).policies, ...(extra ? [extra] : [])];
}
