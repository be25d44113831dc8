/**
 * The pipeline as a state machine for an interactive front end (the cockpit's palette and
 * preview panes): text → plan → preview → (accept | edit step | refine | reject) → execute →
 * verify. It never renders; it reports state changes. Destructive plans need a second accept.
 */
import type { OpsSession } from './session.js';
import type { Intent, MarkedRow } from './commands/index.js';
import type { PlanPreview } from './preview.js';
import type { ExecuteResult, StepResult } from './execute.js';
import type { Verdict } from './verify.js';
import { rehash, type Plan } from './plan.js';

export type FlowState =
  | { phase: 'idle' }
  | { phase: 'planning'; text: string }
  | { phase: 'error'; text: string; message: string }
  | { phase: 'preview'; text: string; preview: PlanPreview; notes: string[]; armed: boolean; message?: string }
  | { phase: 'running'; text: string; preview: PlanPreview; results: StepResult[]; progress: Record<number, string>; confirmIndex?: number; verifying: boolean }
  | { phase: 'done'; text: string; preview: PlanPreview; result: ExecuteResult; verdicts: Verdict[]; ok: boolean };

export interface FlowHooks {
  /** Read-only commands: the cockpit navigates (get, describe, logs, …). */
  onShow?: (intent: Extract<Intent, { type: 'show' }>) => void;
  onChange?: (s: FlowState) => void;
}

export class OpsFlow {
  state: FlowState = { phase: 'idle' };
  private stepAnswer: ((ok: boolean) => void) | undefined;
  private abort: AbortController | undefined;

  constructor(readonly session: OpsSession, readonly hooks: FlowHooks = {}) {}

  private set(s: FlowState) { this.state = s; this.hooks.onChange?.(s); }

  /** Plans and previews a typed command (or shows it, for read-only verbs). */
  async submit(text: string, marked?: MarkedRow[]): Promise<void> {
    this.set({ phase: 'planning', text });
    try {
      const intent = await this.session.parse(text, marked);
      if (intent.type === 'show') { this.set({ phase: 'idle' }); this.hooks.onShow?.(intent); return; }
      if (intent.type === 'undo') return await this.undo(intent.id, text);
      await this.previewPlan(text, intent.plan, []);
    } catch (e) {
      this.set({ phase: 'error', text, message: (e as Error).message });
    }
  }

  async undo(id?: number, text = id === undefined ? 'undo' : `undo ${id}`): Promise<void> {
    this.set({ phase: 'planning', text });
    try {
      const u = await this.session.undoPlan(id);
      await this.previewPlan(text, u.plan, u.notes);
    } catch (e) {
      this.set({ phase: 'error', text, message: (e as Error).message });
    }
  }

  /**
   * Previews a plan made elsewhere (proposed over MCP) for a person to confirm: never run
   * without that confirmation, whatever the mode.
   */
  async review(text: string, plan: Plan, notes: string[] = []): Promise<void> {
    this.set({ phase: 'planning', text });
    try {
      const preview = await this.session.preview(plan);
      this.set({ phase: 'preview', text, preview, notes, armed: false });
    } catch (e) {
      this.set({ phase: 'error', text, message: (e as Error).message });
    }
  }

  private async previewPlan(text: string, plan: Plan, notes: string[]) {
    const preview = await this.session.preview(plan);
    this.set({ phase: 'preview', text, preview, notes, armed: false });
    if (this.session.mode === 'auto' && preview.acceptable) await this.run(preview, text);
  }

  /**
   * Accept the previewed plan. A destructive plan needs a second call (the first one arms it);
   * returns what happened.
   */
  async accept(): Promise<'refused' | 'armed' | 'started' | 'ignored'> {
    const s = this.state;
    if (s.phase === 'running' && s.confirmIndex !== undefined) { this.answerStep(true); return 'started'; }
    if (s.phase !== 'preview') return 'ignored';
    if (!s.preview.acceptable) { this.set({ ...s, message: 'cannot accept: ' + s.preview.refusals[0] }); return 'refused'; }
    if (s.preview.class === 'destructive' && !s.armed) {
      this.set({ ...s, armed: true, message: 'destructive plan: press the confirm key again to execute' });
      return 'armed';
    }
    void this.run(s.preview, s.text);
    return 'started';
  }

  /** Reject: back to idle (or decline the step asked for in semiauto mode). */
  reject(): void {
    const s = this.state;
    if (s.phase === 'running' && s.confirmIndex !== undefined) { this.answerStep(false); return; }
    if (s.phase === 'running') { this.abort?.abort(); return; }
    this.set({ phase: 'idle' });
  }

  /** Refine: the text goes back to the palette. */
  refine(): string | undefined {
    const s = this.state;
    if (s.phase !== 'preview' && s.phase !== 'error') return undefined;
    this.set({ phase: 'idle' });
    return s.text;
  }

  /** Edit one step's request body (e.g. in $EDITOR); the plan is previewed again. */
  async editStep(index: number, edit: (body: string) => Promise<string>): Promise<void> {
    const s = this.state;
    if (s.phase !== 'preview') return;
    const step = s.preview.plan.steps[index];
    if (!step || step.request.body === undefined) { this.set({ ...s, message: 'this step has no body to edit' }); return; }
    const edited = await edit(prettyBody(step.request.body));
    let body: string;
    try { body = JSON.stringify(JSON.parse(edited)); } catch (e) { this.set({ ...s, message: `the edited body is not JSON: ${(e as Error).message}` }); return; }
    if (body === step.request.body) { this.set({ ...s, message: 'no changes' }); return; }
    const steps = [...s.preview.plan.steps];
    steps[index] = rehash({ ...step, title: `${step.title} (edited)`, request: { ...step.request, body } });
    await this.previewPlan(`${s.text} (edited)`, { ...s.preview.plan, steps }, s.notes);
  }

  private answerStep(ok: boolean) {
    const a = this.stepAnswer;
    this.stepAnswer = undefined;
    a?.(ok);
  }

  private async run(preview: PlanPreview, text: string) {
    const results: StepResult[] = [];
    const progress: Record<number, string> = {};
    const running = (extra: Partial<Extract<FlowState, { phase: 'running' }>> = {}) => this.set({ phase: 'running', text, preview, results: [...results], progress: { ...progress }, verifying: false, ...extra });
    running();
    const semi = this.session.mode === 'semiauto';
    const result = await this.session.execute(preview, {
      confirmStep: semi ? (i) => new Promise<boolean>((res) => { this.stepAnswer = res; running({ confirmIndex: i }); }) : undefined,
      onStep: (r) => { results.push(r); running(); },
    });
    this.abort = new AbortController();
    running({ verifying: true });
    const verdicts = await this.session.verify(preview, result, { signal: this.abort.signal, onProgress: (i, m) => { progress[i] = m; running({ verifying: true }); } });
    this.set({ phase: 'done', text, preview, result, verdicts, ok: result.ok && verdicts.every((v) => v.ok) });
  }
}

function prettyBody(body: string): string {
  try { return JSON.stringify(JSON.parse(body), null, 2) + '\n'; } catch { return body; }
}
