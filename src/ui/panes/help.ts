/** The `?` overlay: every binding of the active keymap, with what it does. */
// Screen and box only, not all of blessed's widgets: see blessed-lite.ts.
import blessed from '../blessed-lite.js';
import type { Widgets } from 'blessed';
import { paint, blessedStyle, type Theme } from '../theme.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';

export class HelpOverlay {
  readonly box: Widgets.BoxElement;
  private offset = 0;
  private rows: Array<[string, string]> = [];

  constructor(screen: Widgets.Screen) {
    this.box = blessed.box({ parent: screen, border: { type: 'line' }, tags: true, hidden: true, wrap: false, top: 'center', left: 'center', width: '80%', height: '80%' });
  }

  /** Rows of [keys or usage, what it does] (from the cockpit's registry, plugins' rows after). */
  open(rows: Array<[string, string]>): void {
    this.rows = rows;
    this.offset = 0;
    this.box.show();
    this.box.setFront();
  }

  close(): void {
    this.box.hide();
  }

  get visible(): boolean {
    return !this.box.hidden;
  }

  scroll(delta: number): void {
    const vis = Math.max(1, (this.box.height as number) - 3);
    this.offset = Math.max(0, Math.min(Math.max(0, this.rows.length - vis), this.offset + delta));
  }

  paint(theme: Theme, keymapName: string): void {
    this.box.style.border = blessedStyle(theme, 'focusBorder');
    this.box.setLabel(paint(theme, 'title', ` help — keymap ${escapeTags(sanitizePlain(keymapName))} (esc closes) `));
    const width = Math.max(10, (this.box.width as number) - 2);
    // As wide as the longest key or usage, up to almost half the box (commands carry their arguments).
    const keyW = Math.max(10, Math.min(Math.max(...this.rows.map(([k]) => k.length), 4), Math.floor(width * 0.45)));
    const vis = Math.max(1, (this.box.height as number) - 3);
    const lines = [paint(theme, 'header', escapeTags(fit(`${'KEYS'.padEnd(keyW)}  ACTION`, width)))];
    for (const [keys, what] of this.rows.slice(this.offset, this.offset + vis)) {
      lines.push(paint(theme, 'statusKey', escapeTags(fit(keys, keyW))) + '  ' + escapeTags(fit(what, width - keyW - 2, false)));
    }
    this.box.setContent(lines.join('\n'));
  }
}
