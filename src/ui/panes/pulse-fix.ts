/**
 * The fix step of the pulse pane's evidence view. A fix command (the model's plan, or typed with `f`) for an
 * object Argo CD or Flux manages becomes a Git change: its file diff is shown here, `c` commits it on a new
 * branch (PR description written, pushed when gitops.push is on), `L` takes the live route instead (the
 * preview pane, whose preview warns that the controller will revert it). Any other object goes straight to
 * the preview pane. The pane only shows and asks; the host (src/ui/cockpit/feature-panes.ts) does the work
 * through src/ops/gitops.
 */
import type { GitopsChange, CommittedFix } from '../../ops/gitops/fix.js';
import type { Finding, ObjectRef } from '../../triage/types.js';

export type FixProposal = { kind: 'live' } | { kind: 'gitops'; change: GitopsChange };

export interface FixHost {
  message(text: string, level?: 'info' | 'error'): void;
  markDirty(): void;
  closeModal(): void;
  /** A palette command → plan → preview pane → confirm. */
  submitPlan?(text: string): Promise<void>;
  /** Which way the fix goes: a Git change (with its diff) or live. */
  prepareFix?(command: string, finding: Finding | undefined, ref: ObjectRef): Promise<FixProposal>;
  commitFix?(change: GitopsChange): Promise<CommittedFix>;
}

type Phase = 'preparing' | 'ready' | 'committing' | 'done' | 'error';

export class PulseFix {
  phase: Phase = 'preparing';
  change?: GitopsChange;
  done?: CommittedFix;
  error?: string;

  constructor(private readonly host: FixHost, readonly command: string) {}

  /** Works out the route; a live fix leaves the pane for the preview pane at once. */
  start(finding: Finding | undefined, ref: ObjectRef): this {
    if (!this.host.prepareFix) { this.live(); return this; }
    this.host.prepareFix(this.command, finding, ref).then((p) => {
      if (p.kind === 'live') { this.live(); return; }
      this.change = p.change;
      this.phase = 'ready';
      this.host.markDirty();
    }, (e: Error) => { this.error = e.message; this.phase = 'error'; this.host.markDirty(); });
    return this;
  }

  private live(): void {
    if (!this.host.submitPlan) { this.host.message('the operations pipeline is not available', 'error'); return; }
    this.host.closeModal();
    void this.host.submitPlan(this.command);
  }

  /** c: commit the previewed change; L: the live route after all. */
  key(full: string): boolean {
    if (full === 'L' && this.phase !== 'committing' && this.phase !== 'done') { this.live(); return true; }
    if (full === 'c' && this.phase === 'ready' && this.change && this.host.commitFix) {
      this.phase = 'committing';
      this.host.commitFix(this.change).then((d) => {
        this.done = d;
        this.phase = 'done';
        this.host.message(d.pushError ? `committed ${d.branch}; push failed: ${d.pushError}` : `committed ${d.commit.slice(0, 12)} on ${d.branch}${d.pushed ? ' (pushed)' : ''}`, d.pushError ? 'error' : 'info');
        this.host.markDirty();
      }, (e: Error) => { this.error = e.message; this.phase = 'error'; this.host.markDirty(); });
      this.host.markDirty();
      return true;
    }
    return false;
  }

  get hints(): string {
    return this.phase === 'ready' ? ' c:commit to Git L:live instead' : this.phase === 'error' ? ' L:live instead' : '';
  }

  /** Lines for the evidence view: [text, role]. */
  lines(): Array<[string, 'accent' | 'error' | 'ok' | 'muted' | 'warn' | undefined]> {
    const out: Array<[string, 'accent' | 'error' | 'ok' | 'muted' | 'warn' | undefined]> = [[`Fix: ${this.command.split('\n')[0]}`, 'accent']];
    if (this.phase === 'preparing') out.push(['  locating its source …', 'muted']);
    if (this.phase === 'error') out.push([`  ${this.error ?? 'failed'}`, 'error'], ['  L: apply it live instead (the preview pane shows what that means)', 'muted']);
    const c = this.change;
    if (c) {
      out.push([`  GitOps: managed by ${c.manager.tool === 'argocd' ? 'Argo CD Application' : 'Flux'} ${c.manager.appNamespace ? `${c.manager.appNamespace}/` : ''}${c.manager.app} (${c.manager.via}) — the fix goes to Git, nothing is applied live`, undefined]);
      out.push([`  ${c.root}: ${c.file} at ${c.base.slice(0, 12)}${c.baseBranch ? ` (${c.baseBranch})` : ''} → new branch ${c.branch}`, undefined]);
      for (const w of c.warnings) out.push([`  warning: ${w}`, 'warn']);
      for (const l of c.diff.trimEnd().split('\n')) out.push([`  ${l}`, /^\+(?!\+\+)/.test(l) ? 'ok' : /^-(?!--)/.test(l) ? 'error' : /^@@/.test(l) ? 'accent' : undefined]);
    }
    if (this.phase === 'ready') out.push(['  c: commit it on the new branch (and write the PR description)   L: apply it live instead', 'muted']);
    if (this.phase === 'committing') out.push(['  committing …', 'muted']);
    if (this.done) {
      out.push([`  committed ${this.done.commit.slice(0, 12)} on ${this.done.branch}${this.done.pushed ? ', pushed' : this.done.pushError ? `; push failed: ${this.done.pushError}` : ' (not pushed: gitops.push is off)'}`, this.done.pushError ? 'error' : 'ok']);
      out.push([`  PR description: ${this.done.prFile}`, undefined]);
    }
    return out;
  }
}
