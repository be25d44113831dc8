/**
 * The plugins in effect: every *.yaml in the user's config dir (plugins/) and the workspace
 * (.kai-tui/plugins/ under the working directory), hot-reloaded with chokidar. A file that
 * breaks is reported with its line and its last good plugins stay; a workspace plugin with
 * the same name as a user one wins. In read-only mode mutating plugins are hidden.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { loadPluginFile, pluginApplies, type Plugin } from './schema.js';
import { VERBS } from '../ops/commands/index.js';

export interface PluginDirs { user: string; workspace: string }

export function pluginDirs(configDir: string, cwd = process.cwd()): PluginDirs {
  return { user: join(configDir, 'plugins'), workspace: join(cwd, '.kai-tui', 'plugins') };
}

/** Names a plugin may not take: the palette's verbs and the cockpit's own commands. */
export const RESERVED = new Set([...VERBS, 'q', 'quit', 'ns', 'namespace', 'ctx', 'context', 'fleet', 'top', 'pf', 'help', 'theme', 'keymap', 'layout', 'plugins', 'plan', 'plans']);

export interface RegistryOptions {
  readonly?: boolean;
  watch?: boolean;
  onChange?: () => void;
  /** A file failed to load (its last good plugins stay). */
  onError?: (message: string) => void;
}

export class PluginRegistry {
  private readonly good = new Map<string, Plugin[]>();
  private readonly errs = new Map<string, string>();
  private watcher?: FSWatcher;
  private watching: Promise<void> = Promise.resolve();

  constructor(readonly dirs: PluginDirs, private readonly opts: RegistryOptions = {}) {
    this.loadAll(false);
    if (opts.watch !== false) this.startWatching();
  }

  /** Every plugin in effect (workspace over user), hidden mutating ones excluded in read-only mode. */
  all(): Plugin[] {
    const byName = new Map<string, Plugin>();
    for (const dir of [this.dirs.user, this.dirs.workspace]) {
      for (const [file, list] of [...this.good].sort(([a], [b]) => a.localeCompare(b))) {
        if (!file.startsWith(dir + '/')) continue;
        for (const p of list) byName.set(p.name, p);
      }
    }
    return [...byName.values()].filter((p) => !(this.opts.readonly && p.mutates)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The plugins for a kind (on screen) — for the palette and the key bindings. */
  forKind(kind: Parameters<typeof pluginApplies>[1]): Plugin[] {
    return this.all().filter((p) => pluginApplies(p, kind));
  }

  byName(name: string): Plugin | undefined {
    return this.all().find((p) => p.name === name);
  }

  byKey(norm: string, kind: Parameters<typeof pluginApplies>[1]): Plugin | undefined {
    return this.forKind(kind).find((p) => p.key?.norm === norm);
  }

  /** "FILE:LINE: what is wrong" for each file that does not load now. */
  errors(): string[] {
    return [...this.errs.values()];
  }

  private files(): string[] {
    const out: string[] = [];
    for (const dir of [this.dirs.user, this.dirs.workspace]) {
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) if (/\.ya?ml$/.test(f)) out.push(join(dir, f));
    }
    return out;
  }

  private loadOne(file: string, report: boolean): boolean {
    try {
      this.good.set(file, loadPluginFile(file, RESERVED));
      this.errs.delete(file);
      return true;
    } catch (err) {
      const msg = (err as Error).message;
      this.errs.set(file, msg);
      if (report) this.opts.onError?.(msg);
      return false;
    }
  }

  private loadAll(report: boolean): void {
    const files = this.files();
    for (const f of [...this.good.keys()]) if (!files.includes(f)) this.good.delete(f);
    for (const f of [...this.errs.keys()]) if (!files.includes(f)) this.errs.delete(f);
    for (const f of files) this.loadOne(f, report);
  }

  private startWatching(): void {
    // The user's folder is created so a file dropped there later is noticed; the workspace's is
    // watched only when the project has one.
    try {
      mkdirSync(this.dirs.user, { recursive: true });
    } catch {
      // a read-only config dir
    }
    const dirs = [this.dirs.user, this.dirs.workspace].filter((d) => existsSync(d));
    if (!dirs.length) return;
    const w = (this.watcher = watch(dirs, { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 } }));
    this.watching = new Promise<void>((r) => w.once('ready', () => r()));
    const changed = (p: string) => {
      if (!/\.ya?ml$/.test(p)) return;
      if (existsSync(p)) {
        // A broken edit was reported by onError; the last good version stays, nothing changed.
        if (!this.loadOne(p, true)) return;
      } else {
        this.good.delete(p);
        this.errs.delete(p);
      }
      this.opts.onChange?.();
    };
    this.watcher.on('add', changed).on('change', changed).on('unlink', changed).on('error', () => {});
  }

  /** Resolves once the watcher is listening (tests write files after this). */
  ready(): Promise<void> {
    return this.watching;
  }

  async close(): Promise<void> {
    await this.watcher?.close();
  }
}
