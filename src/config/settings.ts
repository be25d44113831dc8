/**
 * User settings, stored with `conf` in the config dir (KAI_TUI_CONFIG_DIR overrides it):
 * config.json holds only what the user changed (defaults stay in the schema, so a new
 * default reaches everyone who did not choose otherwise); secrets.json holds API keys,
 * owner-only (0600).
 *
 * A hand-edited file with a bad value never stops the program: the value is ignored with a
 * warning naming the file and what is allowed, and the default is used.
 */
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import type Conf from 'conf';
import { paths } from '../config/paths.js';
import { SETTING_DEFS, type SettingDef, type SettingsValues } from './schema.js';
import { checkValue, findDef, parseValue, SettingError, suggestKey, type ValidateContext } from './validate.js';

export { SettingError };

type Store = Record<string, unknown>;

export interface SettingEntry {
  def: SettingDef;
  value: unknown;
  /** True when nothing valid is stored and the default applies. */
  isDefault: boolean;
}

const OWNER_ONLY = 0o600;

/**
 * `conf` (and ajv under it) costs ~100 ms to load: reading the settings parses the two JSON
 * files directly, and conf is loaded only by what writes them (`kai-tui config set`).
 */
let ConfClass: typeof Conf | undefined;
export async function enableSettingsWrites(): Promise<void> {
  ConfClass ??= (await import('conf')).default;
}

function getPath(obj: Store, key: string): unknown {
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Store)[part];
  }
  return cur;
}

/** Leaf keys present in a stored object (to spot unknown keys in hand-edited files). */
function storedKeys(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return prefix ? [prefix] : [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj as Store)) {
    if (k === '__internal__') continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (SETTING_DEFS.some((d) => d.key === key)) out.push(key);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...storedKeys(v, key));
    else out.push(key);
  }
  return out;
}

export class Settings {
  readonly files: { settings: string; secrets: string };
  /** Problems found in the stored files (each one line); the defaults were used instead. */
  readonly warnings: string[] = [];
  private readonly stores: { plain?: Conf<Store>; secret?: Conf<Store> } = {};
  private readonly unreadable: { plain?: string; secret?: string } = {};
  private readonly ctx: ValidateContext;
  private readonly dir: string;
  private cache?: { plain: Store; secret: Store };

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const p = paths(env);
    this.files = { settings: p.settings, secrets: p.secrets };
    this.ctx = { userDirs: { themes: p.themes, keymaps: p.keymaps } };
    this.dir = p.configDir;
    tighten(p.secrets);
    this.cache = { plain: this.readFile('plain', p.settings), secret: this.readFile('secret', p.secrets) };
    this.checkStored();
  }

  private readFile(which: 'plain' | 'secret', file: string): Store {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return this.cannotRead(which, file, err as Error);
    }
    if (text.trim() === '') return {};
    try {
      const v = JSON.parse(text) as unknown;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
      return v as Store;
    } catch (err) {
      return this.cannotRead(which, file, err as Error);
    }
  }

  private cannotRead(which: 'plain' | 'secret', file: string, err: Error): Store {
    const why = err.message.split('\n')[0];
    this.unreadable[which] = `cannot read ${file} (${why}); fix or delete it`;
    this.warnings.push(`${this.unreadable[which]}; using defaults`);
    return {};
  }

  private openStore(which: 'plain' | 'secret'): Conf<Store> {
    if (!ConfClass) throw new SettingError('settings are open read-only here (enableSettingsWrites() was not awaited)');
    if (which === 'secret') tighten(this.files.secrets);
    return new ConfClass<Store>({
      cwd: this.dir,
      configName: which === 'secret' ? 'secrets' : 'config',
      projectSuffix: '',
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: true,
      configFileMode: which === 'secret' ? OWNER_ONLY : 0o644,
    });
  }

  private read(): { plain: Store; secret: Store } {
    if (!this.cache) {
      this.cache = {
        plain: (this.stores.plain?.store ?? this.readFile('plain', this.files.settings)) as Store,
        secret: (this.stores.secret?.store ?? this.readFile('secret', this.files.secrets)) as Store,
      };
    }
    return this.cache;
  }

  private checkStored(): void {
    const { plain, secret } = this.read();
    for (const [store, file, wantSecret] of [[plain, this.files.settings, false], [secret, this.files.secrets, true]] as const) {
      for (const key of storedKeys(store)) {
        const def = SETTING_DEFS.find((d) => d.key === key);
        if (!def) {
          const hint = suggestKey(key);
          this.warnings.push(`${file}: unknown setting '${key}' ignored${hint ? `; did you mean '${hint}'?` : ''}`);
          continue;
        }
        if (!!def['x-secret'] !== wantSecret) {
          this.warnings.push(`${file}: '${key}' does not belong in this file; ignored (use kai-tui config set ${key} …)`);
          continue;
        }
        const why = checkValue(def, getPath(store, key), this.ctx);
        if (why) this.warnings.push(`${file}: ${why}; using ${JSON.stringify(def.default)}`);
      }
    }
  }

  /** The value in force: the stored one when valid, else the default. */
  get(key: string): unknown {
    return this.entry(findDef(key)).value;
  }

  private entry(def: SettingDef): SettingEntry {
    const { plain, secret } = this.read();
    const stored = getPath(def['x-secret'] ? secret : plain, def.key);
    if (stored !== undefined && !checkValue(def, stored, this.ctx)) return { def, value: stored, isDefault: false };
    return { def, value: structuredClone(def.default), isDefault: true };
  }

  entries(): SettingEntry[] {
    return SETTING_DEFS.map((d) => this.entry(d));
  }

  /** Every setting as a nested object (what the rest of the program reads). */
  values(): SettingsValues {
    const out: Store = {};
    for (const { def, value } of this.entries()) {
      const parts = def.key.split('.');
      let cur = out;
      for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Store;
      cur[parts[parts.length - 1]!] = value;
    }
    return out as unknown as SettingsValues;
  }

  /** Validates and stores; throws SettingError with one line saying what is allowed. */
  set(key: string, value: unknown): void {
    const def = findDef(key);
    const why = checkValue(def, value, this.ctx);
    if (why) throw new SettingError(why);
    const store = this.writable(def);
    store.set(key, value);
    if (def['x-secret']) tighten(store.path);
    this.cache = undefined;
  }

  /** `kai-tui config set KEY TEXT`: converts the text to the setting's type first. */
  setFromText(key: string, text: string): unknown {
    const def = findDef(key);
    const value = parseValue(def, text);
    this.set(key, value);
    return value;
  }

  /** Back to the default. */
  unset(key: string): void {
    const def = findDef(key);
    const store = this.writable(def);
    store.delete(key);
    // Drop groups left empty ("ui": {}), so the file keeps only what the user chose.
    const parts = key.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const group = parts.slice(0, i).join('.');
      const v = store.get(group);
      if (v && typeof v === 'object' && Object.keys(v as object).length === 0) store.delete(group);
      else break;
    }
    this.cache = undefined;
  }

  private writable(def: SettingDef): Conf<Store> {
    const which = def['x-secret'] ? 'secret' : 'plain';
    if (this.unreadable[which]) throw new SettingError(this.unreadable[which]!);
    return (this.stores[which] ??= this.openStore(which));
  }
}

/** Secrets must be owner-only even if the file was created or copied with looser modes. */
function tighten(file: string): void {
  if (process.platform === 'win32' || !existsSync(file)) return;
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, OWNER_ONLY);
  } catch {
    // not ours to fix (read-only filesystem); conf will report a real write problem
  }
}

/** Shows that a secret is set without showing it: "••••f9a2 (set)" (the end only of long keys). */
export function maskSecret(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '(not set)';
  if (value.length < 16) return '•••••• (set)';
  return `••••${value.slice(-4)} (set)`;
}

/** Opens the settings of the current user (KAI_TUI_CONFIG_DIR honoured). */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return new Settings(env);
}
