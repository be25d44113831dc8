/** The history view: past operations from the journal with their outcome; enter: details, u: undo it. */
import blessed from 'blessed';
import type { Theme } from '../theme.js';
import { blessedStyle, paint } from '../theme.js';
import { escapeTags, sanitizePlain, fit } from '../sanitize.js';
import type { Journal, JournalOperation } from '../../ops/journal.js';

const e = (s: unknown) => escapeTags(sanitizePlain(String(s ?? '')));

export class HistoryPane {
  readonly box: blessed.Widgets.BoxElement;
  ops: JournalOperation[] = [];
  cursor = 0;
  detail = false;
  requestPaint: () => void = () => {};
  onUndo: (id: number) => void = () => {};
  onClose: () => void = () => {};

  constructor(screen: blessed.Widgets.Screen, private readonly journal: Journal, private theme: Theme) {
    this.box = blessed.box({ parent: screen, top: 1, left: 2, right: 2, bottom: 2, border: { type: 'line' }, tags: true, hidden: true, label: ' history ' });
  }

  get visible(): boolean { return !this.box.hidden; }
  setTheme(t: Theme): void { this.theme = t; }

  open(): void {
    this.ops = this.journal.list(200);
    this.cursor = 0;
    this.detail = false;
    this.box.show();
    this.box.setFront();
    this.paint();
  }

  close(): void { this.box.hide(); this.requestPaint(); this.onClose(); }

  handleKey(full: string, _ch?: string): boolean {
    if (!this.visible) return false;
    const name = full;
    switch (name) {
      case 'escape': case 'q': if (this.detail) this.detail = false; else { this.close(); return true; } break;
      case 'j': case 'down': this.cursor = Math.min(this.ops.length - 1, this.cursor + 1); break;
      case 'k': case 'up': this.cursor = Math.max(0, this.cursor - 1); break;
      case 'enter': case 'return': this.detail = !this.detail; break;
      case 'u': { const op = this.ops[this.cursor]; if (op) { this.box.hide(); this.onUndo(op.id); return true; } break; }
      default: return true;
    }
    this.paint();
    return true;
  }

  private statusRole(s: string) {
    return s === 'succeeded' ? 'ok' as const : s === 'partial' || s === 'running' ? 'warn' as const : 'error' as const;
  }

  paint(): void {
    this.render();
    this.requestPaint();
  }

  render(): void {
    const t = this.theme;
    const width = Math.max(20, (this.box.width as number) - 2);
    const lines: string[] = [];
    if (this.ops.length === 0) lines.push(paint(t, 'muted', 'the journal is empty: operations you execute appear here'));
    const height = Math.max(1, (this.box.height as number) - 3);
    const start = Math.max(0, Math.min(this.cursor - Math.floor(height / 2), this.ops.length - height));
    if (this.detail && this.ops[this.cursor]) {
      const op = this.ops[this.cursor]!;
      lines.push(`${paint(t, 'title', `#${op.id}`)} ${e(op.source)}`);
      lines.push(`${e(op.startedAt)}  ${e(op.user)}@${e(op.host)}  context ${e(op.context ?? '?')}  ${paint(t, this.statusRole(op.status), op.status)}  ${e(op.summary ?? '')}`);
      if (op.undoOf !== undefined) lines.push(`undo of #${op.undoOf}`);
      if (op.undoneBy !== undefined) lines.push(`undone by #${op.undoneBy}`);
      for (const s of op.steps) {
        lines.push(`  ${s.index + 1}. ${e(s.title)}: ${paint(t, this.statusRole(s.status === 'unknown' ? 'interrupted' : s.status), s.status)}${s.httpStatus ? ` (${s.httpStatus})` : ''}${s.message ? ' — ' + e(s.message) : ''}`);
        lines.push(paint(t, 'muted', `     ${e(s.request.method)} ${e(s.request.path)}`));
      }
      lines.push('', paint(t, 'muted', 'esc: back   u: undo this operation'));
    } else {
      this.ops.slice(start, start + height).forEach((op, k) => {
        const i = start + k;
        const ran = op.steps.filter((s) => s.status === 'succeeded').length;
        const row = `#${String(op.id).padEnd(4)} ${op.startedAt.replace('T', ' ').slice(0, 19)}  ${op.status.padEnd(11)} ${String(ran).padStart(2)}/${op.steps.length} ${op.source}${op.undoneBy !== undefined ? `  (undone by #${op.undoneBy})` : ''}`;
        const txt = e(fit(row, width));
        lines.push(i === this.cursor ? `{inverse}${txt}{/inverse}` : txt.replace(op.status, paint(t, this.statusRole(op.status), op.status)));
      });
      lines.push(paint(t, 'muted', 'enter: details   u: undo   esc: close'));
    }
    this.box.style = { ...this.box.style, border: blessedStyle(t, 'focusBorder') };
    this.box.setContent(lines.join('\n'));
  }
}
