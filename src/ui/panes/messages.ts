/**
 * The messages pane (`!`): every message of this session, newest first, wrapped to the width —
 * a message the status bar had to cut (a long kubeconfig path, a server's error) is read here
 * in full.
 */
import blessed from 'blessed';
import type { ModalPane } from './modal.js';
import { escapeTags, sanitizePlain, displayWidth } from '../sanitize.js';
import { blessedStyle, paint, type Theme } from '../theme.js';

export interface LoggedMessage { text: string; level: 'info' | 'error'; at: number }

/** Splits text into lines of at most `width` cells, at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/(\s+)/)) {
    if (displayWidth(line + word) <= width) { line += word; continue; }
    if (line.trim()) out.push(line.trimEnd());
    line = word.trimStart();
    while (displayWidth(line) > width) {
      let cut = '';
      for (const ch of line) { if (displayWidth(cut + ch) > width) break; cut += ch; }
      out.push(cut);
      line = line.slice(cut.length);
    }
  }
  if (line.trim() || out.length === 0) out.push(line.trimEnd());
  return out;
}

export class MessagesPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  readonly hints = 'j/k:scroll esc:close';
  private offset = 0;

  constructor(screen: blessed.Widgets.Screen, private readonly log: () => LoggedMessage[], private readonly close: () => void) {
    this.element = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%-2', border: { type: 'line' }, tags: true });
  }

  handleKey(full: string): boolean {
    if (full === 'escape' || full === 'q' || full === '!') { this.close(); return true; }
    if (full === 'j' || full === 'down') this.offset++;
    else if (full === 'k' || full === 'up') this.offset = Math.max(0, this.offset - 1);
    return true;
  }

  paint(theme: Theme): void {
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    const width = Math.max(20, (this.element.width as number) - 2);
    const height = Math.max(1, (this.element.height as number) - 2);
    const lines: string[] = [];
    const all = [...this.log()].reverse();
    for (const m of all) {
      const time = new Date(m.at).toTimeString().slice(0, 8);
      const body = wrap(sanitizePlain(m.text), Math.max(8, width - 12)); // 12: the time and the mark before each line
      body.forEach((l, i) => {
        const text = `${i === 0 ? time : ' '.repeat(8)}  ${m.level === 'error' && i === 0 ? '✖' : ' '} ${escapeTags(l)}`;
        lines.push(m.level === 'error' ? paint(theme, 'error', text) : i === 0 ? text : paint(theme, 'muted', text));
      });
    }
    this.offset = Math.min(this.offset, Math.max(0, lines.length - height));
    this.element.setLabel(` messages [${all.length}] `);
    this.element.setContent(lines.length ? lines.slice(this.offset, this.offset + height).join('\n') : paint(theme, 'muted', 'no messages yet'));
  }

  onClose(): void { this.element.destroy(); }
}
