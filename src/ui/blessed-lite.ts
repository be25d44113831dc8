/**
 * blessed for the cockpit's start-up path.
 * - `require('blessed')` loads all of its 34 widgets (images, video, a terminal emulator,
 *   forms…: 25–60 ms before the first frame); the first frame needs only the screen and boxes.
 *   Those two are loaded directly; anything else (`blessed.list`, `blessed.program`, …) loads
 *   the whole package on first use, and is the same class either way (Node's module cache
 *   holds one copy of each widget file).
 * - The screen's terminfo: blessed translates each of the terminal's ~500 string capabilities
 *   into a JavaScript function up front (~15 ms); a screen uses a few dozen. Each is translated
 *   on its first use instead, with the same inputs (test/unit/ui/blessed-lite.test.ts compares
 *   every capability with the eager translation across common TERMs).
 */
import { createRequire } from 'node:module';
import type * as Blessed from 'blessed';

const load = createRequire(import.meta.url);

interface TputLike {
  padding: unknown;
  options: { stringify?: boolean };
}
type Compile = (this: TputLike, info: unknown, key: string, str: unknown) => unknown;
/** `eager`: blessed's own compiler (for the test that compares the two). */
type LazyCompile = Compile & { eager?: Compile };
const Tput = load('blessed/lib/tput') as { prototype: { _compile: LazyCompile } };

/** Wraps blessed's per-capability compiler so that a capability compiles on its first call. */
export function compileCapsLazily(): void {
  const compileNow = Tput.prototype._compile;
  if (compileNow.eager) return;
  const lazy: LazyCompile = function (this: TputLike, info, key, str) {
    // Booleans, numbers and the two file capabilities are not translated; `stringify` returns
    // strings. Conditionals (%? %t %e %;) are translated now: a malformed one fails to compile,
    // which makes blessed fall back to its own xterm terminfo (screen-256color here), and that
    // must still happen at start-up.
    if (typeof str !== 'string' || !str || key === 'init_file' || key === 'reset_file' || this.options.stringify || /%[?te;]/.test(str)) return compileNow.call(this, info, key, str);
    const tput = this;
    // The translation reads `padding`, which blessed may change after compiling (terminfo without padding).
    const padding = this.padding;
    let fn: ((...a: unknown[]) => unknown) | undefined;
    return function (this: unknown, ...args: unknown[]) {
      if (!fn) {
        const was = tput.padding;
        tput.padding = padding;
        try {
          fn = compileNow.call(tput, info, key, str) as (...a: unknown[]) => unknown;
        } finally {
          tput.padding = was;
        }
      }
      return fn.apply(this, args);
    };
  };
  lazy.eager = compileNow;
  Tput.prototype._compile = lazy;
}
compileCapsLazily();

let full: typeof Blessed | undefined;
const lite: Record<string | symbol, unknown> = {
  screen: load('blessed/lib/widgets/screen'),
  box: load('blessed/lib/widgets/box'),
};

const blessed = new Proxy(lite, {
  get: (t, k) => (k in t ? t[k] : (full ??= load('blessed') as typeof Blessed)[k as keyof typeof Blessed]),
  has: (t, k) => k in t || k in (full ??= load('blessed') as typeof Blessed),
}) as unknown as typeof Blessed;

export default blessed;
