/**
 * The command palette (`:`): one input line with completion (tab) and persisted history
 * (up/down), candidates listed above it. Keys are fed by the host while it is open.
 */
import blessed from 'blessed';
import type { Theme } from '../theme.js';
import { blessedStyle, paint } from '../theme.js';
import { escapeTags, sanitizePlain } from '../sanitize.js';
import { complete, commonPrefix, type CompletionSource } from '../../ops/completion.js';
import type { PaletteHistory } from '../../ops/palette-history.js';

export class PalettePane {
  readonly box: blessed.Widgets.BoxElement;
  text = '';
  cursor = 0;
  candidates: string[] = [];
  message = '';
  private histIndex = -1;
  private histPrefix = '';
  onSubmit: (text: string) => void = () => {};
  onCancel: () => void = () => {};
  requestPaint: () => void = () => {};

  constructor(screen: blessed.Widgets.Screen, private readonly source: () => CompletionSource, private readonly history: PaletteHistory, private theme: Theme) {
    this.box = blessed.box({ parent: screen, bottom: 1, left: 0, width: '100%', height: 3, border: { type: 'line' }, tags: true, hidden: true, label: ' command ' });
  }

  get visible(): boolean { return !this.box.hidden; }

  open(initial = '', message = ''): void {
    this.text = initial;
    this.cursor = initial.length;
    this.candidates = [];
    this.message = message;
    this.histIndex = -1;
    this.box.show();
    this.box.setFront();
    this.paint();
  }

  close(): void {
    this.box.hide();
    this.requestPaint();
  }

  setTheme(t: Theme): void { this.theme = t; }

  /** Returns true when the key was consumed (`full` is blessed's key name, `ch` the character). */
  handleKey(full: string, ch: string | undefined): boolean {
    if (!this.visible) return false;
    switch (full) {
      case 'escape': this.close(); this.onCancel(); return true;
      case 'enter': case 'return': {
        const t = this.text.trim();
        if (!t) { this.close(); this.onCancel(); return true; }
        this.history.add(t);
        this.close();
        this.onSubmit(t);
        return true;
      }
      case 'tab': this.tab(); break;
      case 'backspace': if (this.cursor > 0) { this.text = this.text.slice(0, this.cursor - 1) + this.text.slice(this.cursor); this.cursor--; } this.candidates = []; break;
      case 'delete': this.text = this.text.slice(0, this.cursor) + this.text.slice(this.cursor + 1); break;
      case 'left': this.cursor = Math.max(0, this.cursor - 1); break;
      case 'right': this.cursor = Math.min(this.text.length, this.cursor + 1); break;
      case 'C-a': case 'home': this.cursor = 0; break;
      case 'C-e': case 'end': this.cursor = this.text.length; break;
      case 'C-u': this.text = ''; this.cursor = 0; this.candidates = []; break;
      case 'C-w': { const before = this.text.slice(0, this.cursor).replace(/\S+\s*$/, ''); this.text = before + this.text.slice(this.cursor); this.cursor = before.length; break; }
      case 'up': this.historyStep(1); break;
      case 'down': this.historyStep(-1); break;
      default:
        if (ch && ch.length === 1 && ch >= ' ' && ch !== '\x7f' && !/^[CM]-/.test(full)) {
          this.text = this.text.slice(0, this.cursor) + ch + this.text.slice(this.cursor);
          this.cursor++;
          this.candidates = [];
        } else return true; // swallow everything else while open
    }
    this.message = '';
    this.paint();
    return true;
  }

  private tab(): void {
    const c = complete(this.text.slice(0, this.cursor), this.source());
    if (c.candidates.length === 0) { this.candidates = []; this.message = 'no completions'; return; }
    const current = this.text.slice(c.from, this.cursor);
    const insert = c.candidates.length === 1 ? c.candidates[0]! + (c.candidates[0]!.endsWith('=') || c.candidates[0]!.endsWith('/') ? '' : ' ') : commonPrefix(c.candidates);
    if (insert.length > current.length) {
      this.text = this.text.slice(0, c.from) + insert + this.text.slice(this.cursor);
      this.cursor = c.from + insert.length;
    }
    this.candidates = c.candidates.length > 1 ? c.candidates : [];
  }

  private historyStep(dir: 1 | -1): void {
    if (this.histIndex === -1) this.histPrefix = this.text;
    const list = this.history.matching(this.histPrefix);
    const next = this.histIndex + dir;
    if (next < -1 || next >= list.length) return;
    this.histIndex = next;
    this.text = next === -1 ? this.histPrefix : list[next]!;
    this.cursor = this.text.length;
  }

  /** Sets the box content (no frame request: the host paints it every frame). */
  render(): void {
    const t = this.theme;
    const width = Math.max(10, (this.box.screen.width as number) - 4);
    const cands = this.candidates.length ? paint(t, 'muted', escapeTags(sanitizePlain(this.candidates.join('  ')).slice(0, width))) : '';
    const before = escapeTags(sanitizePlain(this.text.slice(0, this.cursor)));
    const at = escapeTags(sanitizePlain(this.text[this.cursor] ?? ' '));
    const after = escapeTags(sanitizePlain(this.text.slice(this.cursor + 1)));
    const lines = [`${paint(t, 'accent', ':')}${before}{inverse}${at}{/inverse}${after}`];
    if (cands) lines.unshift(cands);
    if (this.message) lines.push(paint(t, 'warn', escapeTags(this.message)));
    this.box.height = lines.length + 2;
    this.box.style = { ...this.box.style, border: blessedStyle(t, 'focusBorder') };
    this.box.setContent(lines.join('\n'));
  }

  paint(): void {
    this.render();
    this.requestPaint();
  }
}

/** The cockpit loads this module and calls install(): the operations pipeline's panes and keys. */
export { install } from './operations.js';
