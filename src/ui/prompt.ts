/** A one-line editor for `:` commands and `/` filters (blessed's textbox fights our key loop). */
export interface PromptKey { full: string; ch?: string }

export class LineEditor {
  text = '';
  cursor = 0;
  private history: string[] = [];
  private hpos = 0;

  constructor(readonly prefix: string, initial = '', history: string[] = []) {
    this.text = initial;
    this.cursor = initial.length;
    this.history = history;
    this.hpos = history.length;
  }

  /** Returns 'submit', 'cancel', 'changed' or 'ignored'. */
  key(k: PromptKey): 'submit' | 'cancel' | 'changed' | 'ignored' {
    switch (k.full) {
      case 'enter': return 'submit';
      case 'escape': case 'C-c': case 'C-g': return 'cancel';
      case 'backspace':
        if (this.cursor === 0) return this.text === '' ? 'cancel' : 'ignored';
        this.text = this.text.slice(0, this.cursor - 1) + this.text.slice(this.cursor);
        this.cursor--;
        return 'changed';
      case 'C-u': this.text = ''; this.cursor = 0; return 'changed';
      case 'C-w': {
        const before = this.text.slice(0, this.cursor).replace(/\S+\s*$/, '');
        this.text = before + this.text.slice(this.cursor);
        this.cursor = before.length;
        return 'changed';
      }
      case 'left': this.cursor = Math.max(0, this.cursor - 1); return 'changed';
      case 'right': this.cursor = Math.min(this.text.length, this.cursor + 1); return 'changed';
      case 'home': case 'C-a': this.cursor = 0; return 'changed';
      case 'end': case 'C-e': this.cursor = this.text.length; return 'changed';
      case 'up':
        if (this.hpos > 0) { this.hpos--; this.text = this.history[this.hpos]!; this.cursor = this.text.length; }
        return 'changed';
      case 'down':
        if (this.hpos < this.history.length) { this.hpos++; this.text = this.history[this.hpos] ?? ''; this.cursor = this.text.length; }
        return 'changed';
      default:
        // Printable input only: never a control character into the buffer.
        if (k.ch && k.ch.length >= 1 && !/[\u0000-\u001f\u007f-\u009f]/.test(k.ch)) {
          this.text = this.text.slice(0, this.cursor) + k.ch + this.text.slice(this.cursor);
          this.cursor += k.ch.length;
          return 'changed';
        }
        return 'ignored';
    }
  }
}
