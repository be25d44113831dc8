/**
 * Finds keymaps and themes by name — the user's config dir first, then the shipped folders —
 * and hot-reloads the active ones with chokidar. A broken edit is reported and the last good
 * version stays active.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { loadKeymapFile, type Keymap } from './keymap.js';
import { loadThemeFile, type Theme } from './theme.js';
import { packageRoot } from '../version.js';

/** The package's own keymaps/ and themes/ (found from package.json: this code also runs bundled, from dist/bundle). */
export const SHIPPED = {
  keymaps: join(packageRoot(), 'keymaps/'),
  themes: join(packageRoot(), 'themes/'),
};

export interface AssetDirs { user: string; shipped: string }

/** The file for a name, user dir first; `name` may also be a path to a .yaml file. */
export function resolveAsset(name: string, dirs: AssetDirs): string | undefined {
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return existsSync(name) ? name : undefined;
  for (const dir of [dirs.user, dirs.shipped]) {
    for (const ext of ['.yaml', '.yml']) {
      const f = join(dir, name + ext);
      if (existsSync(f)) return f;
    }
  }
  return undefined;
}

export interface LiveAsset<T> {
  current: T;
  close(): Promise<void>;
}

/**
 * Loads `name` (falling back to `fallbackName`, then to `builtin`), then watches both folders:
 * when a file with that name is added/changed/removed, reloads and calls onChange, or onError
 * with the message (the previous value stays).
 */
export function liveAsset<T>(opts: {
  name: string;
  fallbackName: string;
  dirs: AssetDirs;
  load: (file: string) => T;
  builtin: () => T;
  onChange: (value: T) => void;
  onError: (message: string) => void;
  watch?: boolean;
}): LiveAsset<T> {
  const attempt = (report: boolean): T | undefined => {
    const file = resolveAsset(opts.name, opts.dirs) ?? resolveAsset(opts.fallbackName, opts.dirs);
    if (!file) {
      if (report) opts.onError(`'${opts.name}' not found in ${opts.dirs.user} or ${opts.dirs.shipped}`);
      return undefined;
    }
    try {
      return opts.load(file);
    } catch (err) {
      if (report) opts.onError((err as Error).message);
      return undefined;
    }
  };
  let current = attempt(true);
  if (current === undefined) {
    // The named file is broken: try the shipped fallback before the builtin one.
    const fb = resolveAsset(opts.fallbackName, { user: opts.dirs.shipped, shipped: opts.dirs.shipped });
    try { current = fb ? opts.load(fb) : opts.builtin(); } catch { current = opts.builtin(); }
  }
  const live: LiveAsset<T> = { current, close: async () => {} };
  if (opts.watch === false) return live;
  // The user's folder is created so a file dropped there later is noticed too.
  try {
    mkdirSync(opts.dirs.user, { recursive: true });
  } catch {
    // a read-only config dir: only the shipped folder is watched
  }
  const watched = [opts.dirs.user, opts.dirs.shipped].filter((d) => existsSync(d));
  if (opts.name.endsWith('.yaml') || opts.name.endsWith('.yml')) watched.push(opts.name);
  let watcher: FSWatcher | undefined;
  if (watched.length) {
    watcher = watch(watched, { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 } });
    const base = basename(opts.name).replace(/\.ya?ml$/, '');
    const relevant = (p: string) => basename(p).replace(/\.ya?ml$/, '') === base || basename(p).replace(/\.ya?ml$/, '') === opts.fallbackName;
    const reload = (p: string) => {
      if (!relevant(p)) return;
      const v = attempt(true);
      if (v !== undefined) {
        live.current = v;
        opts.onChange(v);
      }
    };
    watcher.on('add', reload).on('change', reload).on('unlink', reload).on('error', () => {});
  }
  live.close = async () => { await watcher?.close(); };
  return live;
}

export function loadKeymap(name: string, file: string): Keymap {
  return loadKeymapFile(file);
}
export function loadTheme(file: string, env: NodeJS.ProcessEnv = process.env): Theme {
  return loadThemeFile(file, env);
}
