/** The headless xterm's screen painted as blessed-tagged lines: colours, cursor, wide chars, controls. */
import test from 'ava';
import xterm from '@xterm/headless';
import blessed from 'blessed';
import { PassThrough } from 'node:stream';
import { lastLines, paintTerminal, paletteColour, safeCellText } from '../../../src/ui/terminal/paint.js';

function term(cols: number, rows: number, data: string): Promise<InstanceType<typeof xterm.Terminal>> {
  const t = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  return new Promise((r) => t.write(data, () => r(t)));
}

/** What blessed would draw: the tags parsed away (as a tagged box does). */
function shown(line: string): string {
  return line.replace(/\{\/?[\w\-#]*\}/g, (m) => (m === '{open}' ? '{' : m === '{close}' ? '}' : ''));
}

test('plain text fills each row to the width; the cursor is an inverse cell', async (t) => {
  const x = await term(10, 3, 'ab\r\ncd');
  const lines = paintTerminal(x, { cursor: true });
  t.is(lines.length, 3);
  t.is(lines[0], 'ab        ');
  t.is(lines[1], 'cd{inverse} {/}       ');
  t.is(shown(lines[1]!), 'cd        ');
  t.is(paintTerminal(x, { cursor: false })[1], 'cd        ');
});

test('SGR colours become blessed tags: 16 colours, 256 palette, truecolor, bold/underline/inverse', async (t) => {
  const x = await term(20, 2, '\x1b[31mR\x1b[0m\x1b[1;92mG\x1b[0m\x1b[38;5;196mP\x1b[0m\x1b[38;2;1;2;3mT\x1b[0m\x1b[4;7;44mU\x1b[0m');
  const [line] = paintTerminal(x, { cursor: false });
  t.true(line!.startsWith('{red-fg}R{/}{bright-green-fg}{bold}G{/}{#ff0000-fg}P{/}{#010203-fg}T{/}{blue-bg}{underline}{inverse}U{/}'), line);
  t.is(shown(line!), 'RGPTU' + ' '.repeat(15));
  // NO_COLOR keeps the attributes only.
  const [mono] = paintTerminal(x, { cursor: false, mono: true });
  t.is(shown(mono!), 'RGPTU' + ' '.repeat(15));
  t.false(/-fg|-bg/.test(mono!));
  t.regex(mono!, /\{bold\}G/);
});

test('the tags the painter emits are ones blessed parses (no tag text leaks to the screen)', async (t) => {
  const x = await term(12, 1, '\x1b[33mY\x1b[0m\x1b[93;1;4;7mB\x1b[38;5;245mg\x1b[48;5;21mb\x1b[38;2;9;8;7mt\x1b[0m{x}');
  const [line] = paintTerminal(x, { cursor: true });
  const output = Object.assign(new PassThrough(), { columns: 80, rows: 24, isTTY: true });
  output.resume();
  const program = blessed.program({ input: new PassThrough(), output, terminal: 'xterm-256color' } as never) as unknown as { _attr(p: string): string | null; destroy(): void };
  t.teardown(() => program.destroy());
  const tags = line!.match(/\{\/?[\w\-#]+\}/g) ?? [];
  t.true(tags.length >= 8, line);
  for (const tag of tags) {
    if (tag === '{open}' || tag === '{close}' || tag === '{/}') continue;
    const param = tag.replace(/^\{\/?/, '').replace(/\}$/, '').replace(/-/g, ' ');
    t.not(program._attr(param), null, tag);
  }
});

test('palette indexes map to names, bright names, the 6×6×6 cube and the grey ramp', (t) => {
  t.is(paletteColour(1), 'red');
  t.is(paletteColour(9), 'bright-red');
  t.is(paletteColour(16), '#000000');
  t.is(paletteColour(231), '#ffffff');
  t.is(paletteColour(232), '#080808');
});

test('wide characters take two cells and are emitted once; a row stays its width', async (t) => {
  const x = await term(8, 1, '日本x');
  const [line] = paintTerminal(x, { cursor: false });
  t.is(line, '日本x   ');
  // blessed counts 日 as two columns: 2+2+1+3 = 8.
  t.is([...line!].length, 6);
});

test('escape sequences are interpreted, never passed through; braces and odd code points are neutralised', async (t) => {
  // An OSC title, a bell, cursor movement and a bidi override from the container.
  const x = await term(20, 2, 'a\x1b]0;pwned\x07b\x07\x1b[2Dc\u202edz{/}');
  const [line] = paintTerminal(x, { cursor: false });
  // eslint-disable-next-line no-control-regex
  t.false(/[\x00-\x1f\x7f-\x9f]/.test(line!), JSON.stringify(line));
  t.false(line!.includes('pwned'));
  t.false(line!.includes('\u202e'));
  t.regex(line!, /\{open\}\/\{close\}/);
  t.is(safeCellText('\x1b'), '?');
  t.is(safeCellText('\u009b'), '?');
  t.is(safeCellText('\u202e'), '?');
  t.is(safeCellText('{'), '{open}');
  t.is(safeCellText(''), ' ');
  t.is(safeCellText('é'), 'é');
});

test('lastLines gives the text up to the cursor row (the hook for AI hints)', async (t) => {
  const x = await term(20, 3, 'one\r\ntwo\r\nthree\r\nfour\r\n$ ');
  t.deepEqual(lastLines(x, 3), ['three', 'four', '$']);
  t.deepEqual(lastLines(x, 99), ['one', 'two', 'three', 'four', '$']);
});
