/**
 * The cockpit's theme and keymap: loaded from the user's folder first, then the shipped ones,
 * hot-reloaded when their file changes, switched by `:theme` / `:keymap`. A bad file never
 * replaces a working one; the message says what is wrong.
 */
import { liveAsset, resolveAsset, SHIPPED, type LiveAsset } from '../assets.js';
import { loadKeymapFile, type Keymap } from '../keymap.js';
import { fallbackTheme, loadThemeFile, type Theme } from '../theme.js';

export interface LooksOptions {
  theme: string;
  keymap: string;
  userDirs: { keymaps: string; themes: string };
  env: NodeJS.ProcessEnv;
  message(text: string, level?: 'info' | 'error'): void;
  /** A new theme or keymap is in use (repaint; rebind keys). */
  changed(what: 'theme' | 'keymap'): void;
}

/**
 * Parses the theme and keymap that `new Looks(o)` will load, ahead of it (their loaders keep
 * the last parse of each file): start-up does this while its first request is on the way. Errors
 * are left for Looks to report.
 */
export function preloadLooks(o: Pick<LooksOptions, 'theme' | 'keymap' | 'userDirs' | 'env'>, part: 'theme' | 'keymap'): void {
  try {
    if (part === 'theme') {
      const f = resolveAsset(o.theme, { user: o.userDirs.themes, shipped: SHIPPED.themes }) ?? resolveAsset('dark', { user: o.userDirs.themes, shipped: SHIPPED.themes });
      if (f) loadThemeFile(f, o.env);
    } else {
      const f = resolveAsset(o.keymap, { user: o.userDirs.keymaps, shipped: SHIPPED.keymaps }) ?? resolveAsset('default', { user: o.userDirs.keymaps, shipped: SHIPPED.keymaps });
      if (f) loadKeymapFile(f);
    }
  } catch {
    // Looks reports it.
  }
}

export class Looks {
  theme: Theme;
  keymap: Keymap;
  private live: { theme: LiveAsset<Theme>; keymap: LiveAsset<Keymap> };

  constructor(private readonly o: LooksOptions) {
    const watch = o.env.KAI_TUI_NO_WATCH !== '1';
    const theme = liveAsset<Theme>({
      name: o.theme, fallbackName: 'dark', dirs: { user: o.userDirs.themes, shipped: SHIPPED.themes },
      load: (f) => loadThemeFile(f, o.env), builtin: () => fallbackTheme(o.env),
      onChange: (t) => { this.theme = t; o.message(`theme ${t.name} reloaded`); o.changed('theme'); },
      onError: (m) => o.message(`theme not changed (still ${this.theme?.name ?? 'built in'}): ${m}`, 'error'),
      watch,
    });
    const keymap = liveAsset<Keymap>({
      name: o.keymap, fallbackName: 'default', dirs: { user: o.userDirs.keymaps, shipped: SHIPPED.keymaps },
      load: loadKeymapFile, builtin: () => loadKeymapFile(`${SHIPPED.keymaps}default.yaml`),
      onChange: (k) => { this.keymap = k; o.message(`keymap ${k.name} reloaded`); o.changed('keymap'); },
      onError: (m) => o.message(`keymap not changed (still ${this.keymap?.name ?? 'default'}): ${m}`, 'error'),
      watch,
    });
    this.live = { theme, keymap };
    this.theme = theme.current;
    this.keymap = keymap.current;
  }

  /** `:theme NAME` / `:keymap NAME`: only a name that loads replaces the one in use. */
  switch(what: 'theme' | 'keymap', name: string): void {
    const o = this.o;
    if (!name) { o.message(`:${what} NAME`, 'error'); return; }
    try {
      const dirs = what === 'theme' ? { user: o.userDirs.themes, shipped: SHIPPED.themes } : { user: o.userDirs.keymaps, shipped: SHIPPED.keymaps };
      const live = liveAsset<Theme | Keymap>({
        name, fallbackName: '\u0000none', dirs,
        load: (f) => (what === 'theme' ? loadThemeFile(f, o.env) : loadKeymapFile(f)),
        builtin: () => { throw new Error(`no ${what} named '${name}'`); },
        onChange: (v) => { this.set(what, v); o.message(`${what} ${name} reloaded`); },
        onError: (m) => o.message(`${what}: ${m}`, 'error'),
        watch: o.env.KAI_TUI_NO_WATCH !== '1',
      });
      void this.live[what].close();
      (this.live as Record<string, LiveAsset<unknown>>)[what] = live;
      this.set(what, live.current);
      o.message(`${what} ${name}`);
    } catch (err) {
      o.message((err as Error).message, 'error');
    }
  }

  private set(what: 'theme' | 'keymap', v: Theme | Keymap): void {
    if (what === 'theme') this.theme = v as Theme;
    else this.keymap = v as Keymap;
    this.o.changed(what);
  }

  async close(): Promise<void> {
    await Promise.all([this.live.theme.close(), this.live.keymap.close()].map((p) => p.catch(() => undefined)));
  }
}
