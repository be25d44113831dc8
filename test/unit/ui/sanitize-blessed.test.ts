/**
 * Cluster text through the sanitiser into a real blessed box (tags on): every blessed tag form
 * shows as written — alignment ones included — and format characters are neutralised by
 * Unicode category. Widths are measured by grapheme cluster.
 */
import test from 'ava';
import { PassThrough } from 'node:stream';
import blessed from 'blessed';
import { sanitize, escapeTags, displayWidth, fit, sanitizePlain } from '../../../src/ui/sanitize.js';

function rendered(content: string, width = 60): string[] {
  const output = Object.assign(new PassThrough(), { columns: 80, rows: 6, isTTY: true });
  output.resume();
  const screen = blessed.screen({ input: new PassThrough() as never, output: output as never, terminal: 'xterm-256color', fullUnicode: true, warnings: false });
  try {
    blessed.box({ parent: screen, top: 0, left: 0, width, height: 4, tags: true, content });
    screen.render();
    const lines = (screen as unknown as { lines: unknown }).lines as Array<Array<[number, string]>>;
    return lines.slice(0, 4).map((l) => l.slice(0, width).map((c) => c[1]).join('').replace(/\s+$/, ''));
  } finally {
    screen.destroy();
  }
}

const TAG_FORMS = [
  'A{|}B', '{center}mid{/center}', '{right}r{/right}', '{left}l', 'x{/center}', '{bold}b{/bold}', '{/}', '{red-fg}red{/red-fg}',
  '{#ff0000-fg}hex{/}', '{red-bg}', '{underline}', '{open}', '{close}', '{escape}{bold}{/escape}', '{ }', '{}', '{{|}}', 'a{|}b{|}c',
];

for (const text of TAG_FORMS) {
  test(`blessed tag form ${JSON.stringify(text)} shows as written`, (t) => {
    t.is(rendered(sanitize(text))[0], text);
    t.is(rendered(escapeTags(sanitizePlain(text)))[0], text);
  });
}

test('format characters, line and paragraph separators and tag characters are made visible by category', (t) => {
  const cases: Array<[string, string]> = [
    ['a\u200db', 'a<U+200D>b'], ['a\u2028b', 'a<U+2028>b'], ['a\u2029b', 'a<U+2029>b'], ['soft\u00adhyphen', 'soft<U+00AD>hyphen'],
    ['mongol\u180evs', 'mongol<U+180E>vs'], ['hid\u{e0041}\u{e0042}den', 'hid<U+E0041><U+E0042>den'], ['rtl\u202eevil', 'rtl<U+202E>evil'],
    ['word\u2060joiner', 'word<U+2060>joiner'], ['bom\ufeff', 'bom<U+FEFF>'],
  ];
  for (const [input, shown] of cases) {
    t.is(sanitize(input), shown, JSON.stringify(input));
    t.is(sanitizePlain(input), shown);
  }
  // Ordinary text is untouched.
  t.is(sanitize('café naïve 日本 ü'), 'café naïve 日本 ü');
});

test('display width by grapheme cluster: combining runs, emoji with presentation selector, ZWJ made visible', (t) => {
  t.is(displayWidth('e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301'), 1, 'a long run of combining marks is one cell');
  t.is(displayWidth('日本'), 4);
  t.is(displayWidth('❤\ufe0f'), 2, 'a pictograph with U+FE0F is shown as emoji');
  t.is(displayWidth('🙂'), 2);
  const family = sanitizePlain('👨\u200d👩\u200d👧');
  t.is(family, '👨<U+200D>👩<U+200D>👧', 'joiners are neutralised, so terminals cannot disagree on the width');
  t.is(displayWidth(family), 2 + 8 + 2 + 8 + 2);
  const cut = fit('ae\u0301\u0301\u0301\u0301bcdef', 4);
  t.is(cut, 'ae\u0301\u0301\u0301\u0301b…', 'combining marks stay with their base when cut');
  t.is(displayWidth(cut), 4);
  t.is(displayWidth(fit('日本語テキスト', 5)), 5);
});

test('a table cell with ZWJ emoji and combining marks keeps its column on the real screen', (t) => {
  const names = ['plain-name', sanitizePlain('zwj-👨\u200d👩\u200d👧'), 'cmb-e\u0301\u0301\u0301\u0301\u0301', 'wide-日本'];
  const lines = rendered(names.map((n) => `${escapeTags(fit(n, 24))}|END`).join('\n'), 60);
  const cols = lines.map((l) => displayWidth(l.slice(0, l.indexOf('|END'))));
  t.deepEqual(cols, [24, 24, 24, 24], lines.join('\n'));
});
