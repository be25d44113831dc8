import test from 'ava';
import { sanitize, sanitizePlain, displayWidth, fit, cell, escapeTags, SINGLE_CLUSTERS } from '../../../src/ui/sanitize.js';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('escape sequences become visible and no control byte survives', (t) => {
  const hostile = 'web\x1b[31mRED\x1b]0;pwned\x07\x1b[2J\x9b1m';
  const out = sanitize(hostile);
  t.false(RAW_CONTROL.test(out));
  t.true(out.startsWith('web^[[31mRED^[]0;pwned^G^[[2J'));
  t.true(out.includes('<U+009B>'));
});

test('C0 controls map to caret notation, newline kept only in multiline', (t) => {
  t.is(sanitizePlain('a\x00b\x08c\x7f'), 'a^@b^Hc^?');
  t.is(sanitizePlain('one\ntwo'), 'one^Jtwo');
  t.is(sanitizePlain('one\ntwo', true), 'one\ntwo');
  t.is(sanitizePlain('a\r\nb', true), 'a\nb');
  t.is(sanitizePlain('a\tb'), 'a b');
});

test('bidi overrides and invisible format characters are shown as code points', (t) => {
  const out = sanitizePlain('invoice\u202Egpj.exe\u2066x\u200b');
  t.is(out, 'invoice<U+202E>gpj.exe<U+2066>x<U+200B>');
});

test('blessed tag braces are escaped', (t) => {
  t.is(sanitize('{red-fg}x{/red-fg}'), '{open}red-fg{close}x{open}/red-fg{close}');
  t.is(escapeTags('{bold}'), '{open}bold{close}');
  t.is(sanitizePlain('{bold}'), '{bold}');
});

test('ordinary text passes through unchanged', (t) => {
  t.is(sanitize('nginx-7c5ddbdf54-x2x9z'), 'nginx-7c5ddbdf54-x2x9z');
  t.is(sanitize('café 日本'), 'café 日本');
  t.is(sanitize(undefined), '');
  t.is(sanitize(42), '42');
});

test('display width counts wide and zero-width characters', (t) => {
  t.is(displayWidth('abc'), 3);
  t.is(displayWidth('日本'), 4);
  t.is(displayWidth('e\u0301'), 1); // e + combining acute
  t.is(displayWidth('🚀'), 2);
});

test('fit truncates with an ellipsis and pads to the exact width', (t) => {
  t.is(fit('abcdef', 4), 'abc…');
  t.is(fit('ab', 4), 'ab  ');
  t.is(fit('ab', 4, false), 'ab');
  t.is(fit('日本語テキスト', 6), '日本… '); // 2+2+1 = 5, padded to 6
  t.is(displayWidth(fit('日本語テキスト', 6)), 6);
  t.is(fit('🚀🚀🚀', 4), '🚀… ');
  t.is(fit('x', 0), '');
});

test('cell sanitises before it measures', (t) => {
  const c = cell('a\x1b[1mb', 10);
  t.is(c, 'a^[[1mb   ');
  t.is(displayWidth(c), 10);
});

test('the code points measured without the segmenter are each a grapheme cluster of their own, next to any other of them', (t) => {
  // displayWidth and fit skip ICU's segmenter (costly to create) for these; it must agree.
  const cps: string[] = [];
  for (let cp = 0; cp <= 0x2fff; cp++) {
    const ch = String.fromCodePoint(cp);
    if (SINGLE_CLUSTERS.test(ch)) cps.push(ch);
  }
  t.true(cps.length > 1000);
  t.false(SINGLE_CLUSTERS.test('\u00ad'), 'the soft hyphen (a format character) is not among them');
  t.false(SINGLE_CLUSTERS.test('e\u0301'), 'nor a combining mark');
  const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // Every one next to its neighbours, in order, reversed, and interleaved with ASCII.
  for (const text of [cps.join(''), [...cps].reverse().join(''), cps.map((c, i) => c + cps[(i * 7919) % cps.length]).join(''), cps.join('a')]) {
    t.deepEqual(Array.from(seg.segment(text), (x) => x.segment), [...text]);
  }
  // Widths and cuts agree with the segmenter's path for text that needs it (a combining mark added).
  t.is(displayWidth('✓ ready → ok'), 12);
  t.is(displayWidth('✓ ready → ok e\u0301'), 14);
  t.is(fit('▲ warning… ✖ failed', 10), '▲ warning…');
});
