/**
 * The base of every pane: one bordered blessed box whose content is only the visible slice of
 * its rows (so 20,000 rows cost as much as 40), a cursor, scrolling, and mouse click/wheel.
 */
// Screen and box only, not all of blessed's widgets: see blessed-lite.ts.
import blessed from '../blessed-lite.js';
import type { Widgets } from 'blessed';
import type { Theme } from '../theme.js';
import { blessedStyle, paint } from '../theme.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import type { PaneId } from '../layout.js';

export interface PaintInfo {
  theme: Theme;
  focused: boolean;
  now: number;
}

export abstract class ListPane {
  readonly box: Widgets.BoxElement;
  cursor = 0;
  offset = 0;
  /** Rows above the list inside the box (a table header). */
  protected headerRows = 0;
  /** Set by the host: ask for a frame. */
  requestPaint: () => void = () => {};
  /** Set by the host: the user clicked this pane. */
  onFocusRequest: () => void = () => {};

  constructor(readonly id: PaneId, screen: Widgets.Screen) {
    this.box = blessed.box({ parent: screen, border: { type: 'line' }, tags: true, wrap: false, hidden: true, clickable: true });
    this.box.on('click', (data: { y: number }) => {
      this.onFocusRequest();
      const row = data.y - (this.box.atop as number) - 1 - this.headerRows;
      if (row >= 0 && this.offset + row < this.count()) {
        this.cursor = this.offset + row;
        this.cursorMoved();
      }
      this.requestPaint();
    });
    this.box.on('wheeldown', () => this.scroll(3));
    this.box.on('wheelup', () => this.scroll(-3));
  }

  abstract count(): number;
  abstract title(): string;
  abstract hints(): string;
  /** One row's tagged text, fitted to `width` cells; uncoloured when `selected` (the bar colours it). */
  protected abstract line(i: number, width: number, info: PaintInfo, selected: boolean): string;
  protected header(_width: number, _info: PaintInfo): string | undefined {
    return undefined;
  }
  /** Shown when there are no rows (e.g. "forbidden", "no pods"). */
  protected emptyText(): string {
    return '';
  }
  /** Text views (describe, YAML, help) scroll and show no selection bar. */
  paintSelection(): boolean {
    return true;
  }
  /** Called after the cursor moved through the keyboard or mouse. */
  protected cursorMoved(): void {}
  /** Returns true when the action was handled by this pane. */
  handleAction(action: string): boolean {
    const page = Math.max(1, this.visibleRows() - 1);
    switch (action) {
      case 'up': return this.move(-1);
      case 'down': return this.move(1);
      case 'pageUp': return this.move(-page);
      case 'pageDown': return this.move(page);
      case 'top': return this.move(-this.count());
      case 'bottom': return this.move(this.count());
      default: return false;
    }
  }

  visibleRows(): number {
    return Math.max(0, (this.box.height as number) - 2 - this.headerRows);
  }
  innerWidth(): number {
    return Math.max(0, (this.box.width as number) - 2);
  }

  move(delta: number): boolean {
    const n = this.count();
    this.cursor = Math.max(0, Math.min(n - 1, this.cursor + delta));
    this.cursorMoved();
    return true;
  }

  scroll(delta: number): void {
    const n = this.count();
    const vis = this.visibleRows();
    this.offset = Math.max(0, Math.min(Math.max(0, n - vis), this.offset + delta));
    if (this.cursor < this.offset) this.cursor = this.offset;
    if (this.cursor >= this.offset + vis) this.cursor = Math.max(this.offset, this.offset + vis - 1);
    this.cursor = Math.max(0, Math.min(n - 1, this.cursor));
    this.cursorMoved();
    this.requestPaint();
  }

  /** Keeps the cursor on screen; returns the visible index range. */
  protected clamp(): [number, number] {
    const n = this.count();
    const vis = this.visibleRows();
    if (n === 0) {
      this.cursor = 0;
      this.offset = 0;
      return [0, 0];
    }
    this.cursor = Math.max(0, Math.min(n - 1, this.cursor));
    if (this.cursor < this.offset) this.offset = this.cursor;
    if (this.cursor >= this.offset + vis) this.offset = this.cursor - vis + 1;
    this.offset = Math.max(0, Math.min(this.offset, Math.max(0, n - vis)));
    return [this.offset, Math.min(n, this.offset + vis)];
  }

  /** Builds the box content from the visible slice only. */
  paint(info: PaintInfo): void {
    const { theme, focused } = info;
    this.box.style.border = blessedStyle(theme, focused ? 'focusBorder' : 'border');
    this.box.setLabel(paint(theme, 'title', ` ${escapeTags(sanitizePlain(this.title()))} `));
    const width = this.innerWidth();
    const lines: string[] = [];
    const head = this.header(width, info);
    if (head !== undefined) lines.push(head);
    const [from, to] = this.clamp();
    if (this.count() === 0) {
      const empty = this.emptyText();
      if (empty) lines.push(paint(theme, 'muted', escapeTags(fit(sanitizePlain(empty), width, false))));
    }
    for (let i = from; i < to; i++) {
      const bar = this.paintSelection();
      const selected = bar && i === this.cursor && focused;
      const text = this.line(i, width, info, selected);
      lines.push(selected ? paint(theme, 'selection', text) : bar && i === this.cursor ? `{underline}${text}{/underline}` : text);
    }
    this.box.setContent(lines.join('\n'));
  }
}
