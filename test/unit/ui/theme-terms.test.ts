/**
 * The theme renders the same across common TERMs: muted text is grey (SGR 90 or a 256-colour
 * grey), never black (SGR 30), under xterm-256color, tmux-256color, screen, xterm; NO_COLOR
 * draws no colour at all.
 */
import test from 'ava';
import { PassThrough } from 'node:stream';
import blessed from 'blessed';
import { loadThemeFile, paint } from '../../../src/ui/theme.js';
import { SHIPPED } from '../../../src/ui/assets.js';
import { fixColourCount } from '../../../src/ui/terminal-colours.js';
import { join } from 'node:path';

async function drawn(term: string, noColor: boolean): Promise<string> {
  const output = Object.assign(new PassThrough(), { columns: 40, rows: 4, isTTY: true });
  let bytes = '';
  output.on('data', (d) => { bytes += d.toString(); });
  const s = blessed.screen({ input: new PassThrough() as never, output: output as never, terminal: term, warnings: false, fullUnicode: true });
  try {
    fixColourCount(s, { TERM: term });
    const theme = loadThemeFile(join(SHIPPED.themes, 'dark.yaml'), noColor ? { NO_COLOR: '1' } : {});
    blessed.box({ parent: s, top: 0, left: 0, width: 30, height: 1, tags: true, content: paint(theme, 'muted', 'quiet-text') });
    s.render();
    await new Promise((r) => setTimeout(r, 30)); // blessed flushes its output on the next tick
    return bytes;
  } finally {
    s.destroy();
  }
}

/** The SGR sequences written just before the muted text. */
function sgrBefore(bytes: string, text: string): string[] {
  const at = bytes.indexOf(text.slice(0, 5));
  const before = bytes.slice(Math.max(0, at - 60), at);
  return [...before.matchAll(/\x1b\[([\d;]*)m/g)].map((m) => m[1]!);
}

for (const term of ['xterm-256color', 'tmux-256color', 'screen', 'screen-256color', 'xterm']) {
  test(`muted text is grey, not black, under TERM=${term}`, async (t) => {
    const sgr = sgrBefore(await drawn(term, false), 'quiet-text').join(';').split(';');
    t.false(sgr.includes('30'), `SGR ${sgr.join(';')}`);
    t.true(sgr.includes('90') || sgr.join(';').includes('38;5;'), `SGR ${sgr.join(';')}`);
  });
}

test('NO_COLOR: no colour codes at all', async (t) => {
  const bytes = await drawn('xterm-256color', true);
  t.true(bytes.includes('quiet-text'));
  t.false(/\x1b\[(3[0-7]|9[0-7]|38;5;\d+)m/.test(bytes.replace(/\x1b\[39m/g, '')), 'no foreground colours');
});
