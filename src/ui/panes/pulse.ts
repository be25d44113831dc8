/**
 * The pulse pane (`:pulse`, key p): the triage findings, live, ranked by severity then freshness, filterable
 * (`/crash`, `/ns:shop`, `/cat:oom`, `n` = only the cockpit's namespace). Enter on a finding → its evidence
 * bundle and the rule's explanation (offline) → `a`: the AI diagnosis → `p`: the fix plan the model proposed,
 * handed to the operations pipeline (preview pane, confirm). The table's explain key opens the same view for
 * any object. It needs only the PulseHost below, never the cockpit itself; cluster text is sanitised.
 */
import blessed from 'blessed';
import type { Keymap } from '../keymap.js';
import { LineEditor } from '../prompt.js';
import { displayWidth, escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Role, type Theme } from '../theme.js';
import { renderEvidence } from '../../triage/evidence.js';
import type { Explanation } from '../../triage/explain.js';
import type { AiDiagnosis } from '../../triage/ai.js';
import type { LiveFinding } from '../../triage/live.js';
import type { Finding, ObjectRef } from '../../triage/types.js';
import { PulseFix, type FixHost } from './pulse-fix.js';

/** What the pulse pane needs from its host (prepareFix/commitFix: GitOps fixes, see pulse-fix.ts). */
export interface PulseHost extends FixHost {
  readonly screen: blessed.Widgets.Screen;
  readonly keymap: Keymap;
  message(text: string, level?: 'info' | 'error'): void;
  markDirty(): void;
  closeModal(): void;
  /** The cockpit's namespace (undefined: all). */
  namespace(): string | undefined;
  findings(): LiveFinding[];
  onFindingsChange(fn: () => void): () => void;
  /** Evidence + rule explanation for an object; `fresh` adds log tails read now (previous container included). */
  explain(ref: ObjectRef): { now: Explanation; fresh: Promise<Explanation> };
  /** AI diagnosis of a finding (undefined: no model configured). */
  diagnose?(f: Finding, onText: (text: string) => void, signal: AbortSignal): Promise<AiDiagnosis>;
  /** A palette command → plan → preview pane → confirm. */
  submitPlan?(text: string): Promise<void>;
  /** The healing guard for an object (undefined: no journal). */
  guard?(ref: ObjectRef): { status: 'ok' | 'needs-human'; line: string } | undefined;
  /** The object's intervention timeline, one line each, oldest first. */
  timeline?(ref: ObjectRef): string[];
  /** Records a stage of the timeline (finding looked at, diagnosis, plan). */
  record?(ref: ObjectRef, stage: 'finding' | 'diagnosis' | 'plan', detail: string): void;
}

const SEV_ROLE: Record<string, Role> = { critical: 'error', high: 'error', medium: 'warn', low: 'muted' };
const e = (s: unknown) => escapeTags(sanitizePlain(String(s ?? '')));

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : s < 86_400 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86_400)}d`;
}

interface Detail { ref: ObjectRef; ex: Explanation; scroll: number; ai?: { text: string; done: boolean; result?: AiDiagnosis; error?: string }; abort?: AbortController; fix?: PulseFix }

export class PulsePane {
  readonly element: blessed.Widgets.BoxElement;
  private selected = 0;
  private offset = 0;
  private filterText = '';
  private onlyNs = false;
  private prompt?: { editor: LineEditor; before: string; fix?: boolean };
  private detail?: Detail;
  private readonly off: () => void;

  constructor(private readonly host: PulseHost) {
    this.element = blessed.box({ parent: host.screen, top: 0, left: 0, width: '100%', height: '100%-2', border: { type: 'line' }, tags: true, hidden: true, wrap: false, label: ' pulse ' });
    this.off = host.onFindingsChange(() => host.markDirty());
  }

  get hints(): string {
    if (this.prompt?.fix) return 'enter:propose this fix esc:cancel (a palette command, e.g. set resources deploy/NAME --limits=memory=512Mi)';
    if (this.prompt) return 'enter:apply esc:cancel (text, ns:NAME, cat:CATEGORY)';
    if (this.detail) return `j/k:scroll${this.host.diagnose ? ' a:AI diagnosis' : ''}${this.detail.ai?.result?.proposals?.length ? ' p:fix plan' : ''}${this.host.submitPlan ? ' f:type a fix' : ''}${this.detail.fix?.hints ?? ''} esc:back`;
    return `enter:evidence /:filter n:${this.onlyNs ? 'all namespaces' : 'this namespace'} esc:close`;
  }

  /** The findings shown, after the namespace and text filters. */
  rows(): LiveFinding[] {
    const ns = this.onlyNs ? this.host.namespace() : undefined;
    const terms = this.filterText.toLowerCase().split(/\s+/).filter(Boolean);
    return this.host.findings().filter((f) => {
      if (ns && f.object.namespace !== ns && f.object.namespace !== undefined) return false;
      return terms.every((t) => {
        if (t.startsWith('ns:')) return (f.object.namespace ?? '') === t.slice(3);
        if (t.startsWith('cat:')) return f.category.startsWith(t.slice(4));
        return `${f.category} ${f.object.kind} ${f.object.namespace ?? ''} ${f.object.name} ${f.summary}`.toLowerCase().includes(t);
      });
    });
  }

  /** Opens the list, or straight into the evidence of one object (the explain key on a table row). */
  show(ref?: ObjectRef): void {
    this.detail = undefined;
    if (ref) this.openDetail(ref);
    this.host.markDirty();
  }

  onClose(): void {
    this.detail?.abort?.abort();
    this.off();
  }

  handleKey(full: string, ch: string | undefined): boolean {
    if (this.prompt) { this.promptKey(full, ch); return true; }
    const action = this.host.keymap.byKey.get(full);
    if (this.detail) return this.detailKey(full, action);
    if (full === 'enter' || full === 'return') { const f = this.rows()[this.selected]; if (f) this.openDetail(f.object); return true; }
    if (full === 'escape' || action === 'back') {
      if (this.filterText) { this.filterText = ''; this.selected = 0; this.host.markDirty(); return true; }
      this.host.closeModal();
      return true;
    }
    if (full === 'n') { this.onlyNs = !this.onlyNs; this.selected = 0; this.host.markDirty(); return true; }
    switch (action) {
      case 'down': this.move(1); return true;
      case 'up': this.move(-1); return true;
      case 'pageDown': this.move(this.height()); return true;
      case 'pageUp': this.move(-this.height()); return true;
      case 'top': this.move(-Infinity); return true;
      case 'bottom': this.move(Infinity); return true;
      case 'filter': this.prompt = { editor: new LineEditor('/', this.filterText), before: this.filterText }; this.host.markDirty(); return true;
    }
    return true;
  }

  private detailKey(full: string, action: string | undefined): boolean {
    const d = this.detail!;
    if (full === 'escape' || action === 'back') { d.abort?.abort(); this.detail = undefined; this.host.markDirty(); return true; }
    if (full === 'a') { this.runAi(); return true; }
    if (full === 'p') { this.plan(); return true; }
    if (d.fix?.key(full)) return true;
    if (full === 'f' && this.host.submitPlan) {
      const t = d.ex.findings[0]?.object ?? d.ref;
      this.prompt = { editor: new LineEditor('fix> ', ` ${t.kind.toLowerCase()}/${t.name}${t.namespace ? ` -n ${t.namespace}` : ''}`), before: this.filterText, fix: true };
      this.host.markDirty();
      return true;
    }
    if (action === 'down') d.scroll++;
    else if (action === 'up') d.scroll = Math.max(0, d.scroll - 1);
    else if (action === 'pageDown') d.scroll += this.height();
    else if (action === 'pageUp') d.scroll = Math.max(0, d.scroll - this.height());
    else if (action === 'top') d.scroll = 0;
    this.host.markDirty();
    return true;
  }

  private promptKey(full: string, ch: string | undefined): void {
    const p = this.prompt!;
    const r = p.editor.key({ full, ch });
    if (p.fix) {
      if (r === 'cancel') this.prompt = undefined;
      else if (r === 'submit') { this.prompt = undefined; const text = p.editor.text.trim(); if (text) this.proposeFix([text]); }
      this.host.markDirty();
      return;
    }
    if (r === 'cancel') { this.filterText = p.before; this.prompt = undefined; }
    else if (r === 'changed') this.filterText = p.editor.text;
    else if (r === 'submit') { this.filterText = p.editor.text.trim(); this.prompt = undefined; }
    this.selected = 0;
    this.offset = 0;
    this.host.markDirty();
  }

  private move(n: number): void {
    const count = this.rows().length;
    this.selected = Math.max(0, Math.min(count - 1, n === Infinity ? count - 1 : n === -Infinity ? 0 : this.selected + n));
    this.host.markDirty();
  }

  private height(): number {
    return Math.max(1, ((this.element.height as number) || 24) - 4);
  }

  private openDetail(ref: ObjectRef): void {
    const { now, fresh } = this.host.explain(ref);
    const d: Detail = { ref, ex: now, scroll: 0 };
    this.detail = d;
    const f = now.findings[0];
    if (f) this.host.record?.(f.object, 'finding', `${f.category}: ${f.summary}`);
    void fresh.then((ex) => { if (this.detail === d) { d.ex = ex; this.host.markDirty(); } }, () => undefined);
    this.host.markDirty();
  }

  private runAi(): void {
    const d = this.detail!;
    const f = d.ex.findings[0];
    if (!this.host.diagnose) { this.host.message('AI diagnosis: no model available (see docs/ai.md)', 'error'); return; }
    if (!f) { this.host.message('nothing to diagnose: the rules found no fault here', 'error'); return; }
    if (d.ai && !d.ai.done) return;
    d.abort = new AbortController();
    const ai: NonNullable<Detail['ai']> = { text: '', done: false };
    d.ai = ai;
    this.host.diagnose(f, (t) => { ai.text += t; this.host.markDirty(); }, d.abort.signal).then(
      (r) => { ai.result = r; ai.done = true; ai.text = r.text; this.host.record?.(f.object, 'diagnosis', `${r.rootCause ?? r.text.split('\n')[0] ?? ''}${r.confidence ? ` (confidence ${r.confidence})` : ''}`.slice(0, 300)); this.host.markDirty(); },
      (err: Error) => { ai.error = err.message; ai.done = true; this.host.markDirty(); },
    );
    this.host.markDirty();
  }

  private plan(): void {
    const p = this.detail?.ai?.result?.proposals?.[0];
    if (!p) { this.host.message(this.detail?.ai?.done ? 'the model proposed no plan' : 'press a for the AI diagnosis first: it proposes the plan (or f: type a fix)', 'error'); return; }
    this.proposeFix(p.commands);
  }

  /** The guard first; then a GitOps-managed object's fix is shown as a file diff here, any other goes to the preview pane. */
  private proposeFix(commands: string[]): void {
    if (!this.host.submitPlan) { this.host.message('the operations pipeline is not available', 'error'); return; }
    const d = this.detail!;
    const target = d.ex.findings[0]?.object ?? d.ref;
    const guard = this.host.guard?.(target);
    if (guard?.status === 'needs-human') { this.host.message(guard.line, 'error'); return; }
    const [first, ...more] = commands;
    if (!first) return;
    if (!this.host.prepareFix) this.host.record?.(target, 'plan', commands.join(' ; ').slice(0, 300));
    if (more.length) this.host.message(`the plan has ${commands.length} commands; proposing the first: ${first}`);
    d.fix = new PulseFix(this.host, first).start(d.ex.findings[0], target);
    this.host.markDirty();
  }

  paint(theme: Theme): void {
    const width = Math.max(20, ((this.element.width as number) || 80) - 2);
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    const lines = this.detail ? this.detailLines(theme, width) : this.listLines(theme, width);
    this.element.setLabel(this.detail ? ` pulse › ${e(`${this.detail.ex.object.kind}/${this.detail.ex.object.name}`)} ` : ` pulse — ${this.host.findings().length} finding${this.host.findings().length === 1 ? '' : 's'} `);
    if (this.prompt) lines.push(paint(theme, 'accent', e(`${this.prompt.editor.prefix}${this.prompt.editor.text}█`)));
    this.element.setContent(lines.join('\n'));
  }

  private listLines(theme: Theme, width: number): string[] {
    const rows = this.rows();
    if (this.selected >= rows.length) this.selected = Math.max(0, rows.length - 1);
    const h = this.height();
    if (this.selected < this.offset) this.offset = this.selected;
    if (this.selected >= this.offset + h) this.offset = this.selected - h + 1;
    const now = Date.now();
    // Columns as wide as what they hold (over every row, so they do not jump while scrolling): the summary gets the rest.
    const objText = (f: LiveFinding) => `${f.object.kind}/${f.object.name}`;
    const widest = (label: string, values: string[], max: number) => Math.min(max, Math.max(label.length, ...values.map((v) => displayWidth(v))));
    const catW = widest('CATEGORY', rows.map((f) => f.category), 23);
    const nsW = widest('NAMESPACE', rows.map((f) => f.object.namespace ?? '-'), 20);
    const objW = widest('OBJECT', rows.map(objText), Math.max(20, Math.floor(width * 0.3)));
    const head = `${'SEVERITY'.padEnd(9)}${fit('CATEGORY', catW)} ${fit('NAMESPACE', nsW)} ${fit('OBJECT', objW)} ${'AGE'.padEnd(5)} SUMMARY`;
    const out = [paint(theme, 'header', e(fit(head, width)))];
    if (!rows.length) out.push(paint(theme, 'muted', e(this.host.findings().length ? 'no finding matches the filter' : 'no findings: every rule is quiet')));
    rows.slice(this.offset, this.offset + h).forEach((f, k) => {
      const i = this.offset + k;
      const sym = f.symptoms.length ? ` (+${f.symptoms.length} symptom${f.symptoms.length === 1 ? '' : 's'})` : '';
      const text = `${f.severity.toUpperCase().padEnd(9)}${fit(f.category, catW)} ${fit(f.object.namespace ?? '-', nsW)} ${fit(objText(f), objW)} ${age(now - f.firstSeen).padEnd(5)} ${f.summary}${sym}`;
      const cellText = e(fit(text, width));
      out.push(i === this.selected ? `{inverse}${cellText}{/inverse}` : cellText.replace(f.severity.toUpperCase(), paint(theme, SEV_ROLE[f.severity]!, f.severity.toUpperCase())));
    });
    return out;
  }

  private detailLines(theme: Theme, width: number): string[] {
    const d = this.detail!;
    const all: string[] = [];
    const add = (s: string, role?: Role) => all.push(role ? paint(theme, role, e(fit(s, width, false))) : e(fit(s, width, false)));
    if (!d.ex.findings.length) add(`No findings about ${d.ref.kind}/${d.ref.name}: every rule is quiet. Evidence below.`, 'ok');
    for (const f of d.ex.findings) {
      add(`${f.severity.toUpperCase()} ${f.category} — ${f.object.kind}/${f.object.name}${f.object.namespace ? ` -n ${f.object.namespace}` : ''}`, SEV_ROLE[f.severity]);
      add(f.summary, 'title');
      for (const ev of f.evidence) add(`  · ${ev}`);
      for (const s of f.symptoms) add(`  ↳ symptom ${s.category} on ${s.object.kind}/${s.object.name}: ${s.summary}`, 'warn');
    }
    add('');
    add('Evidence', 'accent');
    for (const l of renderEvidence(d.ex.evidence)) add(l, /^\S/.test(l) ? 'header' : undefined);
    for (const r of d.ex.rules) { add(''); add(`Rule ${r.category}`, 'accent'); for (const l of wrap(r.explanation, width)) add(l, 'muted'); }
    const target = d.ex.findings[0]?.object ?? d.ref;
    const guard = this.host.guard?.(target);
    if (guard) { add(''); add(`Healing guard: ${guard.line}`, guard.status === 'needs-human' ? 'error' : 'muted'); }
    const timeline = this.host.timeline?.(target) ?? [];
    if (timeline.length) { add(''); add('Interventions', 'accent'); for (const l of timeline.slice(-12)) add(`  ${l}`); }
    add('');
    if (d.ai && guard?.status === 'needs-human') add('this object needs a human: no fix plan is proposed', 'error');
    if (d.ai) {
      add(`AI diagnosis${d.ai.result?.model ? ` (${d.ai.result.model})` : ''}${d.ai.done ? '' : ' …'}`, 'accent');
      if (d.ai.error) add(d.ai.error, 'error');
      else if (d.ai.result?.rootCause) {
        add(`Root cause: ${d.ai.result.rootCause}`, 'title');
        add(`Confidence: ${d.ai.result.confidence ?? '?'}`);
        add(`Would confirm: ${d.ai.result.confirm ?? '?'}`);
      } else for (const l of d.ai.text.split('\n').flatMap((x) => wrap(x, width))) add(l);
      for (const p of d.ai.result?.proposals ?? []) {
        add(`Fix plan: ${p.rationale}`, 'accent');
        for (const c of p.commands) add(`  ${c.split('\n')[0]}`);
        add('  p: open it in the preview pane (server dry run, then confirm)', 'muted');
      }
    } else if (this.host.diagnose && d.ex.findings.length) add('a: ask the AI for a diagnosis (root cause, confidence, what would confirm it, a fix plan)', 'muted');
    if (d.fix) { add(''); for (const [l, role] of d.fix.lines()) add(l, role); }
    else if (this.host.submitPlan && guard?.status !== 'needs-human') add('f: type a fix (a palette command); an Argo CD/Flux-managed object gets it as a Git commit', 'muted');
    const h = this.height() + 1;
    d.scroll = Math.max(0, Math.min(d.scroll, all.length - h));
    return all.slice(d.scroll, d.scroll + h);
  }
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + w.length + 1 > width) { out.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}
