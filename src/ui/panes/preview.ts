/**
 * The preview / results pane: the plan's steps with their exact request, the server's dry-run
 * result (or its error verbatim), the coloured diff, impact, warnings and class; then execution
 * progress, per-step results and verification. Keys: enter/y accept (destructive plans ask for
 * a second press), e edit the selected step, r refine (back to the palette), n/esc reject,
 * tab/shift-tab select step, j/k/pgup/pgdn scroll.
 */
import blessed from 'blessed';
import type { Theme, Role } from '../theme.js';
import { blessedStyle, paint } from '../theme.js';
import { escapeTags, sanitizePlain } from '../sanitize.js';
import { queryString } from '../../kube/request.js';
import type { FlowState, OpsFlow } from '../../ops/flow.js';

const CLASS_ROLE: Record<string, Role> = { 'read-only': 'muted', mutating: 'warn', destructive: 'error' };
const e = (s: unknown) => escapeTags(sanitizePlain(String(s ?? '')));

/** The keys that work in this state — the bottom hint line shows exactly these. */
export function flowHints(s: FlowState): string {
  switch (s.phase) {
    case 'idle': return 'esc:close';
    case 'planning': return 'esc:cancel';
    case 'error': return 'r:refine esc:close';
    case 'preview':
      return s.preview.acceptable
        ? `${s.preview.class === 'destructive' ? 'y y' : 'enter/y'}:execute e:edit step r:refine n/esc:reject tab:next step`
        : 'r:refine e:edit step n/esc:reject';
    case 'running':
      if (s.confirmIndex !== undefined) return 'y:run the step n:skip it';
      return s.verifying ? 'esc:stop waiting' : 'executing…';
    case 'done':
      // Undo only when something changed; a plan that changed nothing can be refined instead.
      return s.result.results.some((r) => r.status === 'succeeded') ? 'esc:close u:undo' : 'r:refine (nothing changed) esc:close';
  }
  return 'esc:close';
}

/** Tagged lines for a flow state (pure; the pane shows them). */
/** `context`: named in the plan line and in every step (plans from the fleet view, where several clusters are on screen). */
export function flowLines(s: FlowState, t: Theme, selected = 0, mode = 'manual', context?: string): string[] {
  const out: string[] = [];
  if (s.phase === 'idle') return out;
  if (s.phase === 'planning') return [paint(t, 'muted', `planning: ${e(s.text)} …`)];
  if (s.phase === 'error') return [paint(t, 'error', `✗ ${e(s.text)}`), e(s.message), '', paint(t, 'muted', 'r: refine   esc: close')];
  const p = s.preview;
  const inCtx = context ? `${paint(t, 'accent', e(context))}: ` : '';
  out.push(`${paint(t, 'title', 'Plan')}${context ? ` in context ${paint(t, 'accent', e(context))}` : ''}: ${e(p.plan.source)}  [${paint(t, CLASS_ROLE[p.class]!, p.class)}]  ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}  mode: ${e(mode)}`);
  const head: string[] = [];
  if (s.phase === 'preview') {
    if (s.message) head.push(paint(t, s.armed ? 'error' : 'warn', e(s.message)));
    head.push(paint(t, 'muted', p.acceptable
      ? `${p.class === 'destructive' ? 'y y' : 'enter/y'}: execute   e: edit step   r: refine   n/esc: reject   tab: next step`
      : 'cannot be accepted as is — r: refine   e: edit step   n/esc: reject'));
  } else if (s.phase === 'running') {
    if (s.confirmIndex !== undefined) head.push(paint(t, 'warn', `run step ${s.confirmIndex + 1}? y: yes   n: skip it`));
    else {
      const n = p.steps.length, k = s.results.length, w = 30;
      const bar = '█'.repeat(Math.round((k / Math.max(1, n)) * w)).padEnd(w, '░');
      const failed = s.results.filter((r) => r.status !== 'succeeded').length;
      head.push(paint(t, 'accent', s.verifying ? 'verifying…  (esc: stop waiting)' : `executing ${bar} ${k}/${n}`) + (failed ? paint(t, 'error', `  ${failed} not succeeded`) : ''));
    }
  } else if (s.phase === 'done') {
    const changed = s.result.results.some((r) => r.status === 'succeeded');
    head.push(`${s.ok ? paint(t, 'ok', '✓ done') : paint(t, 'error', '✗ finished with problems')}: ${e(s.result.summary)}${s.result.operationId !== undefined && changed ? ` (journal #${s.result.operationId}; u: undo)` : ''}`);
    head.push(paint(t, 'muted', changed ? 'esc: close   u: undo' : 'nothing changed — r: refine   esc: close'));
  }
  out.push(...head);
  for (const l of p.impact) out.push(`impact: ${e(l)}`);
  for (const w of p.warnings) out.push(`${paint(t, 'warn', 'warning')}: ${e(w)}`);
  for (const r of p.refusals) out.push(`${paint(t, 'error', 'refused')}: ${e(r)}`);
  if (s.phase === 'preview') for (const n of s.notes) out.push(paint(t, 'muted', `note: ${e(n)}`));
  const results = s.phase === 'running' ? s.results : s.phase === 'done' ? s.result.results : [];
  const progress = s.phase === 'running' ? s.progress : {};
  const verdicts = s.phase === 'done' ? s.verdicts : [];
  p.steps.forEach((sp, i) => {
    const st = sp.step;
    out.push('');
    const r = results.find((x) => x.index === i);
    const mark = r ? (r.status === 'succeeded' ? paint(t, 'ok', '✓') : r.status === 'skipped' || r.status === 'declined' ? paint(t, 'muted', '-') : paint(t, 'error', '✗')) : i === selected ? paint(t, 'accent', '›') : ' ';
    out.push(`${mark} ${i + 1}. [${paint(t, CLASS_ROLE[st.class]!, st.class)}] ${inCtx}${i === selected ? paint(t, 'title', e(st.title)) : e(st.title)}`);
    out.push(paint(t, 'muted', `    ${e(st.request.method)} ${e(st.request.path + queryString(st.request.query))}${st.request.contentType ? `  (${e(st.request.contentType)})` : ''}`));
    if (r) out.push(`    ${r.status === 'succeeded' ? paint(t, 'ok', 'succeeded') : paint(t, 'error', e(r.status))}${r.httpStatus ? ` (${r.httpStatus})` : ''}${r.message ? ': ' + e(r.message) : ''}`);
    if (progress[i]) out.push(paint(t, 'accent', `    ⟳ ${e(progress[i])}`));
    const v = verdicts.find((x) => x.index === i);
    if (v) out.push(`    ${v.ok ? paint(t, 'ok', 'verified') : paint(t, 'error', 'NOT verified')}: ${e(v.message)}`);
    if (s.phase !== 'preview' && !(i === selected)) return;
    out.push(sp.dryRun.ok ? `    dry-run: ${paint(t, 'ok', 'OK')} (${sp.dryRun.status})` : `    dry-run: ${paint(t, 'error', 'FAILED')} (${sp.dryRun.status}${sp.dryRun.reason ? ' ' + e(sp.dryRun.reason) : ''}): ${e(sp.dryRun.message)}`);
    // Impact and warnings first: they matter more than a long diff.
    for (const l of sp.impact) out.push(`    impact: ${e(l)}`);
    for (const w of sp.warnings) out.push(`    ${paint(t, 'warn', 'warning')}: ${e(w)}`);
    if (sp.dryRun.ok && (st.op === 'delete' || st.op === 'evict')) out.push(paint(t, 'error', `    - the whole object is removed (${sp.diff.length} lines)`));
    else {
      for (const l of sp.diff.slice(0, 60)) out.push(`      ${l.op === '+' ? paint(t, 'ok', e('+ ' + l.text)) : l.op === '-' ? paint(t, 'error', e('- ' + l.text)) : paint(t, 'muted', e('  ' + l.text))}`);
      if (sp.diff.length > 60) out.push(paint(t, 'muted', `      … ${sp.diff.length - 60} more diff lines`));
      if (sp.dryRun.ok && sp.diff.length === 0) out.push(paint(t, 'muted', '    no changes'));
    }
  });
  return out;
}

export class PreviewPane {
  readonly box: blessed.Widgets.BoxElement;
  selected = 0;
  requestPaint: () => void = () => {};
  /** Set by the host: r was pressed, reopen the palette with this text. */
  onRefine: (text: string) => void = () => {};
  /** Set by the host: open an editor on text (the cockpit suspends the screen). */
  editText: (text: string, fileName: string) => Promise<string> = async (t) => t;
  onClose: () => void = () => {};
  /** Set by the host for plans from the fleet view: the context every step is named with. */
  contextLabel: string | undefined;

  /** The keys of the current state, for the cockpit's bottom line. */
  get hints(): string { return flowHints(this.flow.state); }

  constructor(screen: blessed.Widgets.Screen, readonly flow: OpsFlow, private theme: Theme) {
    this.box = blessed.box({ parent: screen, top: 1, left: 2, right: 2, bottom: 2, border: { type: 'line' }, tags: true, hidden: true,
      scrollable: true, alwaysScroll: true, label: ' preview ', keys: false, mouse: true });
  }

  get visible(): boolean { return !this.box.hidden; }
  show(): void { this.box.show(); this.box.setFront(); this.paint(); }
  hide(): void { this.box.hide(); this.requestPaint(); }
  setTheme(t: Theme): void { this.theme = t; }

  handleKey(full: string, _ch?: string): boolean {
    if (!this.visible) return false;
    const s = this.flow.state;
    const name = full;
    const steps = s.phase === 'preview' || s.phase === 'running' || s.phase === 'done' ? s.preview.steps.length : 0;
    switch (name) {
      case 'enter': case 'return': case 'y':
        if (s.phase === 'done' || s.phase === 'error') { this.hide(); this.flow.reject(); this.onClose(); return true; }
        void this.flow.accept();
        break;
      case 'n': case 'escape': case 'q':
        if (s.phase === 'running' && s.confirmIndex === undefined && !s.verifying) return true;
        if (s.phase !== 'running' || name !== 'q') this.flow.reject();
        if (this.flow.state.phase === 'idle') { this.hide(); this.onClose(); }
        break;
      case 'r': {
        const text = this.flow.refine();
        if (text !== undefined) { this.hide(); this.onRefine(text); }
        return true;
      }
      case 'e':
        if (s.phase === 'preview') void this.flow.editStep(this.selected, (body) => this.editText(body, 'step.json'));
        break;
      case 'u':
        // Nothing to undo when nothing changed (a conflict, every step failed).
        if (s.phase === 'done' && s.result.operationId !== undefined && s.result.results.some((r) => r.status === 'succeeded')) void this.flow.undo(s.result.operationId);
        break;
      case 'tab': this.selected = steps ? (this.selected + 1) % steps : 0; break;
      case 'S-tab': this.selected = steps ? (this.selected + steps - 1) % steps : 0; break;
      case 'j': case 'down': this.box.scroll(1); break;
      case 'k': case 'up': this.box.scroll(-1); break;
      case 'pagedown': this.box.scroll((this.box.height as number) - 3); break;
      case 'pageup': this.box.scroll(-((this.box.height as number) - 3)); break;
      default: return true;
    }
    this.paint();
    return true;
  }

  paint(): void {
    this.render();
    this.requestPaint();
  }

  /** Sets the box content (no frame request: the host paints it every frame). */
  render(): void {
    const s = this.flow.state;
    const label = s.phase === 'running' ? ' executing ' : s.phase === 'done' ? ' result ' : ' preview ';
    this.box.setLabel(label);
    this.box.style = { ...this.box.style, border: blessedStyle(this.theme, 'focusBorder') };
    this.box.setContent(flowLines(s, this.theme, this.selected, this.flow.session.mode, this.contextLabel).join('\n'));
  }
}
