/**
 * The screen of a headless xterm as blessed-tagged lines. xterm has already interpreted every
 * escape sequence the container sent; what is left are cells (a character, a width, colours,
 * attributes). Only printable characters are emitted — anything else in a cell becomes `?` —
 * and tag braces are escaped, so nothing from the container can reach the real terminal raw.
 */
import type { Terminal, IBufferCell } from '@xterm/headless';

const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const CUBE = [0, 95, 135, 175, 215, 255];

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const hex = (r: number, g: number, b: number) => `#${hex2(r)}${hex2(g)}${hex2(b)}`;

/** One xterm palette index (0–255) as a blessed tag colour. */
export function paletteColour(i: number): string {
  if (i < 8) return BASIC[i]!;
  if (i < 16) return `bright-${BASIC[i - 8]!}`;
  if (i < 232) {
    const n = i - 16;
    return hex(CUBE[Math.floor(n / 36)]!, CUBE[Math.floor(n / 6) % 6]!, CUBE[n % 6]!);
  }
  const v = 8 + (i - 232) * 10;
  return hex(v, v, v);
}

/** A 24-bit colour (0xRRGGBB) as a blessed tag colour. */
export function rgbColour(c: number): string {
  return hex((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
}

interface Style { fg?: string; bg?: string; bold: boolean; underline: boolean; inverse: boolean }

function styleOf(cell: IBufferCell, mono: boolean): Style {
  const s: Style = { bold: !!cell.isBold(), underline: !!cell.isUnderline(), inverse: !!cell.isInverse() };
  if (!mono) {
    if (cell.isFgPalette()) s.fg = paletteColour(cell.getFgColor());
    else if (cell.isFgRGB()) s.fg = rgbColour(cell.getFgColor());
    if (cell.isBgPalette()) s.bg = paletteColour(cell.getBgColor());
    else if (cell.isBgRGB()) s.bg = rgbColour(cell.getBgColor());
  }
  return s;
}

function openTags(s: Style): string {
  let t = '';
  if (s.fg) t += `{${s.fg}-fg}`;
  if (s.bg) t += `{${s.bg}-bg}`;
  if (s.bold) t += '{bold}';
  if (s.underline) t += '{underline}';
  if (s.inverse) t += '{inverse}';
  return t;
}

const plain = (s: Style) => !s.fg && !s.bg && !s.bold && !s.underline && !s.inverse;
const same = (a: Style, b: Style) => a.fg === b.fg && a.bg === b.bg && a.bold === b.bold && a.underline === b.underline && a.inverse === b.inverse;

/** Bidi overrides and isolates reorder what follows them on the real terminal. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

/** A cell's text, safe for a tagged blessed box: one printable grapheme or `?`. */
export function safeCellText(chars: string): string {
  if (chars === '') return ' ';
  if (UNSAFE.test(chars)) return '?';
  if (chars === '{') return '{open}';
  if (chars === '}') return '{close}';
  return chars;
}

export interface PaintOptions {
  /** Draw the cursor (inverse cell) — when the pane is focused and the program shows it. */
  cursor: boolean;
  /** NO_COLOR: attributes only. */
  mono?: boolean;
}

/** The visible rows of `term` as blessed-tagged lines, each exactly `term.cols` cells wide. */
export function paintTerminal(term: Terminal, o: PaintOptions): string[] {
  const buf = term.buffer.active;
  const lines: string[] = [];
  const cell = buf.getNullCell();
  const top = buf.viewportY;
  const cursorRow = buf.baseY + buf.cursorY;
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(top + y);
    let out = '';
    let cur: Style = { bold: false, underline: false, inverse: false };
    for (let x = 0; x < term.cols; x++) {
      const c = line?.getCell(x, cell);
      let s: Style = c ? styleOf(c, !!o.mono) : { bold: false, underline: false, inverse: false };
      const width = c ? c.getWidth() : 1;
      if (width === 0) continue; // the right half of a wide character
      if (o.cursor && top + y === cursorRow && x === buf.cursorX) s = { ...s, inverse: !s.inverse };
      if (!same(s, cur)) {
        out += (plain(cur) ? '' : '{/}') + openTags(s);
        cur = s;
      }
      let text = c ? safeCellText(c.getChars()) : ' ';
      if (c?.isInvisible()) text = ' '.repeat(width);
      // A wide character cut at the right edge would push the line past the pane.
      if (width === 2 && x === term.cols - 1) text = ' ';
      out += text;
    }
    if (!plain(cur)) out += '{/}';
    lines.push(out);
  }
  return lines;
}

/** The last `n` lines of the terminal (scrollback included) as plain text, for AI hints later. */
export function lastLines(term: Terminal, n: number): string[] {
  const buf = term.buffer.active;
  const end = buf.baseY + buf.cursorY + 1;
  const out: string[] = [];
  for (let y = Math.max(0, end - n); y < end; y++) {
    const text = (buf.getLine(y)?.translateToString(true) ?? '').trimEnd();
    // eslint-disable-next-line no-control-regex
    out.push(text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?'));
  }
  return out;
}

/** Whether the program asked for the cursor to be shown (DECTCEM); xterm keeps this internal. */
export function cursorVisible(term: Terminal): boolean {
  const core = (term as unknown as { _core?: { coreService?: { isCursorHidden?: boolean } } })._core;
  return !core?.coreService?.isCursorHidden;
}
