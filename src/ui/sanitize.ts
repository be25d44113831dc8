/**
 * Everything that came from a cluster (names, labels, messages, log lines) passes through here
 * before it reaches a blessed widget: blessed would otherwise interpret SGR/OSC escape sequences
 * found in content and `{tags}` when tags are on. Controls are made visible, never dropped, so a
 * hostile name is still recognisable on screen.
 */

function visibleCodePoint(cp: number): string {
  return `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** One code point → what the screen shows for it (the code point itself when it is harmless). */
function neutralise(cp: number, ch: string, multiline: boolean): string {
  if (cp === 0x0a) return multiline ? '\n' : '^J';
  if (cp === 0x09) return multiline ? '    ' : ' ';
  if (cp === 0x0d) return multiline ? '' : '^M';
  // Caret notation (ESC → ^[, BEL → ^G): plain ASCII, so every terminal agrees on its width.
  if (cp < 0x20) return `^${String.fromCharCode(cp + 0x40)}`;
  if (cp === 0x7f) return '^?';
  if (cp >= 0x80 && cp <= 0x9f) return visibleCodePoint(cp); // C1, including the 8-bit CSI 0x9b
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd'; // lone surrogate
  if (FORMAT_OR_SEPARATOR.test(ch)) return visibleCodePoint(cp);
  return ch;
}

// Fast path: printable ASCII and ordinary Unicode with no braces — most names in a cluster.
// Format characters (Cf: soft hyphen, joiners, bidi controls, tag characters U+E0000–E007F …)
// and line/paragraph separators (Zl, Zp) are found by Unicode category, not by a hand list.
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\u0000-\u001f\u007f-\u009f{}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const FORMAT_OR_SEPARATOR = /^[\p{Cf}\p{Zl}\p{Zp}]$/u;

/**
 * blessed reads `{|}` and a line-leading `{center}`/`{left}`/`{right}` (or a trailing
 * `{/center}`…) as alignment *after* it has turned `{open}` back into `{`. A no-op SGR code
 * (1000: no attribute) after the brace splits those sequences without changing what is shown.
 */
const TAG_BREAK = '\x1b[1000m';
const ALIGN_AFTER = /^(\|\}|\/?(left|center|right)\})/;

/** `{` as blessed must see it: escaped, and split from what follows when that would form an alignment tag. */
function openBrace(rest: string): string {
  return ALIGN_AFTER.test(rest) ? `{open}${TAG_BREAK}` : '{open}';
}

/**
 * Makes text safe for a blessed widget with `tags: true`: controls and escape sequences become
 * visible caret notation (ESC → ^[), bidi overrides become `<U+202E>`, `{`/`}` are escaped.
 * With `multiline`, newlines and tabs are kept (describe, YAML, logs).
 */
export function sanitize(text: unknown, multiline = false): string {
  const s = typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text);
  if (!NEEDS_WORK.test(s)) return s;
  let out = '';
  let i = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '{') out += openBrace(s.slice(i + 1, i + 10));
    else if (ch === '}') out += '{close}';
    else out += neutralise(cp, ch, multiline);
    i += ch.length;
  }
  return out;
}

/** Like sanitize, but without tag escaping: for widgets that have `tags: false`. */
export function sanitizePlain(text: unknown, multiline = false): string {
  const s = typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text);
  if (!NEEDS_WORK.test(s)) return s;
  let out = '';
  for (const ch of s) out += neutralise(ch.codePointAt(0)!, ch, multiline);
  return out;
}

/** Escapes blessed tag braces only (for text we built ourselves that must not be parsed). */
export function escapeTags(s: string): string {
  return s.replace(/[{}]/g, (c, at: number) => (c === '{' ? openBrace(s.slice(at + 1, at + 10)) : '{close}'));
}

// Zero-width: combining marks and variation selectors (they join the previous cell).
const ZERO_WIDTH: Array<[number, number]> = [
  [0x0300, 0x036f], [0x0483, 0x0489], [0x0591, 0x05bd], [0x0610, 0x061a], [0x064b, 0x065f],
  [0x0670, 0x0670], [0x06d6, 0x06dc], [0x0900, 0x0902], [0x093a, 0x093c], [0x0941, 0x0948],
  [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x200b, 0x200f], [0x20d0, 0x20ff], [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f], [0xe0100, 0xe01ef],
];
// Wide: East Asian Wide/Fullwidth and emoji presentation blocks.
const WIDE: Array<[number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f5], [0x26fa, 0x26fd],
  [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e],
  [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0], [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e], [0x3041, 0x33ff],
  [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4], [0x17000, 0x18aff], [0x1b000, 0x1b2ff], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

function inRanges(cp: number, ranges: Array<[number, number]>): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

const ZERO_WIDTH_CATEGORY = /^[\p{Mn}\p{Me}]$/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;

/** Terminal cells one code point takes: 0, 1 or 2. */
export function charWidth(cp: number): number {
  if (cp < 0x300) return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
  if (inRanges(cp, ZERO_WIDTH) || ZERO_WIDTH_CATEGORY.test(String.fromCodePoint(cp))) return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

// eslint-disable-next-line no-control-regex
const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * Code points that are always a grapheme cluster of their own (Grapheme_Cluster_Break=Other in
 * UAX #29: no combining mark, joiner, variation selector, jamo, regional indicator or control
 * among them): ASCII, Latin-1 less the soft hyphen, general punctuation, arrows, box drawing,
 * blocks, shapes, symbols and dingbats — the cockpit's own marks (✓ ▲ ✖ → …) among them.
 */
export const SINGLE_CLUSTERS = /^[\x20-\x7e\xa0-\xac\xae-\xff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u27bf]*$/;

// Creating ICU's segmenter takes ~15 ms: only on the first text that needs it.
let segmenter: Intl.Segmenter | undefined;

/** The grapheme clusters of `s`. */
function clusters(s: string): Iterable<string> {
  if (SINGLE_CLUSTERS.test(s)) return s; // a string iterates by code point
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/**
 * Cells one grapheme cluster (what a reader sees as one character) takes: its base character's
 * width — combining marks, however many, add nothing — and 2 for a pictograph shown as emoji
 * (followed by U+FE0F). Every table, tree and detail view measures with this, through
 * displayWidth and fit, so columns stay aligned.
 */
export function graphemeWidth(g: string): number {
  const base = g.codePointAt(0)!;
  const w = charWidth(base);
  if (w === 1 && g.includes('\ufe0f') && PICTOGRAPHIC.test(String.fromCodePoint(base))) return 2;
  return w;
}

/** Display width of already-sanitised text (no tags inside), by grapheme cluster. */
export function displayWidth(s: string): number {
  if (ASCII_PRINTABLE.test(s)) return s.length;
  let w = 0;
  for (const g of clusters(s)) w += graphemeWidth(g);
  return w;
}

/**
 * Cuts plain text to at most `width` cells, ending with `…` when cut; never splits a grapheme
 * cluster (a wide character, a surrogate pair, a base and its combining marks). Then pads with
 * spaces to exactly `width` when `pad`.
 */
export function fit(s: string, width: number, pad = true): string {
  if (width <= 0) return '';
  if (ASCII_PRINTABLE.test(s)) {
    if (s.length > width) return width === 1 ? '…' : s.slice(0, width - 1) + '…';
    return pad ? s + ' '.repeat(width - s.length) : s;
  }
  const total = displayWidth(s);
  if (total <= width) return pad ? s + ' '.repeat(width - total) : s;
  let out = '';
  let w = 0;
  for (const g of clusters(s)) {
    const cw = graphemeWidth(g);
    if (w + cw > width - 1) break;
    out += g;
    w += cw;
  }
  out += '…';
  w += 1;
  return pad && w < width ? out + ' '.repeat(width - w) : out;
}

/** A cell: sanitise for tags off, then fit. Use escapeTags afterwards when the widget parses tags. */
export function cell(value: unknown, width: number, pad = true): string {
  return fit(sanitizePlain(value), width, pad);
}
