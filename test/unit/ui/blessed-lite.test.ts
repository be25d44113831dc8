/**
 * src/ui/blessed-lite.ts: the start-up path loads only blessed's screen and box (the rest on
 * first use, as the same classes), and terminfo capabilities compiled on first use give the
 * same bytes as blessed's up-front compile.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import blessed from '../../../src/ui/blessed-lite.js';

const load = createRequire(import.meta.url);

test('the cockpit module loads blessed\'s screen and box, not its other widgets', (t) => {
  // A fresh process: this one has loaded all of blessed by now (the test below).
  const app = pathToFileURL(resolve('dist/src/app.js')).href;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(app)});
    const files = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/blessed/lib/'));
    console.log(JSON.stringify(files.map((f) => f.replace(/.*\\/blessed\\/lib\\//, ''))));
  `], { encoding: 'utf8' });
  const files = JSON.parse(out) as string[];
  t.true(files.includes('widgets/screen.js'));
  t.true(files.includes('widgets/box.js'));
  for (const unused of ['widgets/video.js', 'widgets/terminal.js', 'widgets/ansiimage.js', 'widgets/list.js', 'widget.js', 'blessed.js']) {
    t.false(files.includes(unused), `${unused} is loaded at start-up`);
  }
});

test('widgets not loaded up front come from the whole package, as the same classes', (t) => {
  const full = load('blessed') as typeof blessed;
  t.is(blessed.box, full.box);
  t.is(blessed.screen, full.screen);
  t.is(typeof blessed.list, 'function');
  t.is(blessed.list, full.list);
  t.true('text' in blessed);
});

interface Tput {
  methods: Record<string, unknown>;
  strings: Record<string, string>;
  padding: unknown;
}
type TputClass = { new (o: object): Tput; prototype: { _compile: { eager?: unknown } } };

/** Every string capability's output for a few parameter sets (errors included). */
function outputs(tp: Tput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tp.strings)) {
    const fn = tp.methods[key];
    if (typeof fn !== 'function') continue;
    for (const params of [[], [1], [3, 4], [200, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
      try {
        out[`${key}(${params.join(',')})`] = JSON.stringify(fn.call(tp, params));
      } catch (err) {
        out[`${key}(${params.join(',')})`] = `throws ${(err as Error).message}`;
      }
    }
  }
  return out;
}

/** The common TERMs, and every terminfo entry installed here. */
function terms(): string[] {
  const found = new Set(['xterm-256color', 'tmux-256color', 'screen', 'screen-256color', 'xterm', 'linux', 'vt100']);
  for (const dir of ['/lib/terminfo', '/usr/share/terminfo']) {
    try {
      for (const d of readdirSync(dir)) for (const f of readdirSync(join(dir, d))) found.add(f);
    } catch {
      // not on this machine
    }
  }
  return [...found];
}

for (const term of terms()) {
  test(`capabilities compiled on first use match blessed's compile under TERM=${term}`, (t) => {
    const Tput = load('blessed/lib/tput') as TputClass;
    const lazy = Tput.prototype._compile as { eager?: unknown };
    t.is(typeof lazy.eager, 'function', 'blessed-lite installed the lazy compiler');
    const lazyTput = new Tput({ terminal: term });
    Tput.prototype._compile = lazy.eager as never;
    let eagerTput: Tput;
    try {
      eagerTput = new Tput({ terminal: term });
    } finally {
      Tput.prototype._compile = lazy as never;
    }
    t.is(lazyTput.padding, eagerTput.padding);
    const want = outputs(eagerTput);
    t.true(Object.keys(want).length > 0, `${term}: ${Object.keys(want).length} capability calls`);
    t.deepEqual(outputs(lazyTput), want);
  });
}
