/**
 * The interactive shell's line editing on a raw terminal: insert, backspace, left/right,
 * home/end, Ctrl-U/K/W, history with up/down. Redraws the current line in place.
 */

export interface EditorEvents {
  line(text: string): void;
  /** Candidates for the word ending at the cursor (Tab completion). */
  complete?(word: string, first: boolean): string[];
  interrupt(): void;
  eof(): void;
  clear(): void;
}

export class LineEditor {
  private buf = '';
  private cur = 0;
  private readonly history: string[] = [];
  private hpos = 0;
  private saved = '';
  private prompt = '';
  private pendingEsc = '';
  private lastTab = false;

  constructor(private readonly write: (s: string) => void, private readonly ev: EditorEvents) {}

  start(prompt: string): void {
    this.prompt = prompt;
    this.buf = '';
    this.cur = 0;
    this.hpos = this.history.length;
    this.write(prompt);
  }

  private redraw(): void {
    const back = this.buf.length - this.cur;
    this.write(`\r${this.prompt}${this.buf}\x1b[K${back > 0 ? `\x1b[${back}D` : ''}`);
  }

  private set(text: string): void {
    this.buf = text;
    this.cur = text.length;
    this.redraw();
  }

  feed(data: string): void {
    let s = this.pendingEsc + data;
    this.pendingEsc = '';
    while (s.length) {
      if (s[0] === '\x1b') {
        const m = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z]|[bf])/.exec(s);
        if (!m) {
          if (s.length < 6) { this.pendingEsc = s; return; }
          s = s.slice(1);
          continue;
        }
        this.escape(m[1]!);
        s = s.slice(m[0].length);
        continue;
      }
      const ch = s[0]!;
      s = s.slice(1);
      this.key(ch, s);
    }
  }

  private escape(seq: string): void {
    switch (seq) {
      case '[D': case 'OD': if (this.cur > 0) { this.cur--; this.write('\x1b[D'); } return;
      case '[C': case 'OC': if (this.cur < this.buf.length) { this.cur++; this.write('\x1b[C'); } return;
      case '[A': case 'OA':
        if (this.hpos > 0) {
          if (this.hpos === this.history.length) this.saved = this.buf;
          this.set(this.history[--this.hpos]!);
        }
        return;
      case '[B': case 'OB':
        if (this.hpos < this.history.length) {
          this.hpos++;
          this.set(this.hpos === this.history.length ? this.saved : this.history[this.hpos]!);
        }
        return;
      case '[H': case 'OH': case '[1~': this.cur = 0; this.redraw(); return;
      case '[F': case 'OF': case '[4~': this.cur = this.buf.length; this.redraw(); return;
      case '[3~':
        if (this.cur < this.buf.length) { this.buf = this.buf.slice(0, this.cur) + this.buf.slice(this.cur + 1); this.redraw(); }
        return;
      default:
        return;
    }
  }

  /** Tab: extend the word to the candidates' common prefix; a second Tab lists them. */
  private completeWord(again: boolean): void {
    const left = this.buf.slice(0, this.cur);
    const word = /(\S*)$/.exec(left)![1]!;
    const first = !/\S\s/.test(left.trimStart()) && !left.trimStart().includes(' ');
    const cands = this.ev.complete?.(word, first) ?? [];
    if (!cands.length) return;
    let common = cands[0]!;
    for (const c of cands) while (!c.startsWith(common)) common = common.slice(0, -1);
    if (cands.length === 1 && !common.endsWith('/')) common += ' ';
    if (common.length > word.length) {
      const add = common.slice(word.length);
      this.buf = this.buf.slice(0, this.cur) + add + this.buf.slice(this.cur);
      this.cur += add.length;
      this.redraw();
      return;
    }
    if (again && cands.length > 1) {
      this.write(`\r\n${cands.map((c) => c.replace(/^.*\/(?=.)/, '')).join('  ')}\r\n`);
      this.redraw();
      return;
    }
    this.lastTab = true;
  }

  private key(ch: string, rest: string): void {
    const tab = this.lastTab;
    this.lastTab = false;
    switch (ch) {
      case '\r':
      case '\n': {
        if (ch === '\r' && rest[0] === '\n') return;
        const line = this.buf;
        this.write('\r\n');
        if (line.trim() && this.history[this.history.length - 1] !== line) this.history.push(line);
        this.hpos = this.history.length;
        this.buf = '';
        this.cur = 0;
        this.ev.line(line);
        return;
      }
      case '\x7f':
      case '\b':
        if (this.cur > 0) {
          this.buf = this.buf.slice(0, this.cur - 1) + this.buf.slice(this.cur);
          this.cur--;
          this.redraw();
        }
        return;
      case '\x03':
        this.write('^C\r\n');
        this.buf = '';
        this.cur = 0;
        this.ev.interrupt();
        return;
      case '\x04':
        if (!this.buf) this.ev.eof();
        else if (this.cur < this.buf.length) { this.buf = this.buf.slice(0, this.cur) + this.buf.slice(this.cur + 1); this.redraw(); }
        return;
      case '\x01': this.cur = 0; this.redraw(); return;
      case '\x05': this.cur = this.buf.length; this.redraw(); return;
      case '\x02': this.escape('[D'); return;
      case '\x06': this.escape('[C'); return;
      case '\x15': this.buf = this.buf.slice(this.cur); this.cur = 0; this.redraw(); return;
      case '\x0b': this.buf = this.buf.slice(0, this.cur); this.redraw(); return;
      case '\x17': {
        const left = this.buf.slice(0, this.cur).replace(/\S+\s*$/, '');
        this.buf = left + this.buf.slice(this.cur);
        this.cur = left.length;
        this.redraw();
        return;
      }
      case '\x0c': this.ev.clear(); this.write(`\x1b[H\x1b[2J`); this.redraw(); return;
      case '\x10': this.escape('[A'); return;
      case '\x0e': this.escape('[B'); return;
      case '\t': this.completeWord(tab); return;
      default:
        if (ch < ' ') return;
        this.buf = this.buf.slice(0, this.cur) + ch + this.buf.slice(this.cur);
        this.cur++;
        if (this.cur === this.buf.length) this.write(ch);
        else this.redraw();
    }
  }
}
