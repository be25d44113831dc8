/**
 * Checks setting keys and values against the schema and says, in one line, what is allowed:
 * "unknown setting 'ui.thme'; did you mean 'ui.theme'?", "ui.refreshMs must be a whole number
 * from 16 to 1000, not 'fast'".
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_DEFS, SETTING_KEYS, type RecordItems, type SettingDef } from './schema.js';

export class SettingError extends Error {}

/** Edit distance with transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest known key, if close enough to be a typo (or the same last part in another group). */
export function suggestKey(key: string, keys: string[] = SETTING_KEYS): string | undefined {
  const lower = key.toLowerCase();
  const exactCase = keys.find((k) => k.toLowerCase() === lower);
  if (exactCase) return exactCase;
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of keys) {
    const dist = editDistance(lower, k.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = k;
    }
  }
  if (best && bestD <= Math.max(2, Math.floor(key.length / 4))) return best;
  // "theme" → "ui.theme"; "ollama.host" → "llm.providers.ollama.host"
  const bySuffix = keys.filter((k) => k.toLowerCase().endsWith(`.${lower}`));
  if (bySuffix.length === 1) return bySuffix[0];
  return undefined;
}

export function findDef(key: string): SettingDef {
  const def = SETTING_DEFS.find((d) => d.key === key);
  if (def) return def;
  const children = SETTING_KEYS.filter((k) => k.startsWith(`${key}.`));
  if (children.length > 0) {
    throw new SettingError(`'${key}' is a group of settings, not one; use one of: ${children.join(', ')}`);
  }
  const hint = suggestKey(key);
  throw new SettingError(`unknown setting '${key}'${hint ? `; did you mean '${hint}'?` : '; see kai-tui config list'}`);
}

/** Names of user files (without .yaml/.yml) in a folder of the config dir. */
export function userFileNames(dir: string | undefined): string[] {
  if (!dir || !existsSync(dir)) return [];
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => f.replace(/\.ya?ml$/, ''));
  } catch {
    return [];
  }
}

export interface ValidateContext {
  /** Config-dir folders for `x-user-files` (themes, keymaps). */
  userDirs?: Partial<Record<'themes' | 'keymaps', string>>;
}

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/** Returns why the value is not allowed, or undefined when it is. */
export function checkValue(def: SettingDef, value: unknown, ctx: ValidateContext = {}): string | undefined {
  const k = def.key;
  const range = () =>
    def.minimum !== undefined && def.maximum !== undefined ? ` from ${def.minimum} to ${def.maximum}`
    : def.minimum !== undefined ? ` ≥ ${def.minimum}`
    : def.maximum !== undefined ? ` ≤ ${def.maximum}`
    : '';
  switch (def.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${k} must be true or false, not ${show(value)}`;
    case 'integer':
    case 'number': {
      const what = def.type === 'integer' ? 'a whole number' : 'a number';
      if (typeof value !== 'number' || !Number.isFinite(value) || (def.type === 'integer' && !Number.isInteger(value))) return `${k} must be ${what}${range()}, not ${show(value)}`;
      if ((def.minimum !== undefined && value < def.minimum) || (def.maximum !== undefined && value > def.maximum)) return `${k} must be ${what}${range()}, not ${value}`;
      return undefined;
    }
    case 'array': {
      const items = def.items;
      if (items?.type === 'object') return checkRecords(k, items, value);
      if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) return `${k} must be a list of names (a,b,c), not ${show(value)}`;
      return undefined;
    }
    case 'string': {
      if (typeof value !== 'string') return `${k} must be text, not ${show(value)}`;
      if (def.enum) {
        const userDir = def['x-user-files'] ? ctx.userDirs?.[def['x-user-files']] : undefined;
        const allowed = [...def.enum, ...userFileNames(userDir).filter((n) => !def.enum!.includes(n))];
        if (!allowed.includes(value)) {
          const extra = userDir ? ` (or a ${def['x-user-files']!.replace(/s$/, '')} file <name>.yaml in ${userDir})` : '';
          return `${k} must be one of ${allowed.join(', ')}${extra}, not ${show(value)}`;
        }
      }
      if (def.pattern && value !== '' && !new RegExp(def.pattern).test(value)) {
        return k === 'kube.defaultNamespace'
          ? `${k} must be a namespace name (lower-case letters, digits and '-'), not ${show(value)}`
          : `${k} must match ${def.pattern}, not ${show(value)}`;
      }
      if (def.format === 'uri' && value !== '') {
        let ok = false;
        try {
          ok = ['http:', 'https:'].includes(new URL(value).protocol);
        } catch {
          ok = false;
        }
        if (!ok) return `${k} must be an http:// or https:// address, not ${show(value)}`;
      }
      return undefined;
    }
  }
}

/** A list of small records ({"match": …, "path": …}): every field known, the required ones present, all text. */
function checkRecords(k: string, items: RecordItems, value: unknown): string | undefined {
  const fields = Object.keys(items.properties);
  const shape = `[{${fields.map((f) => `"${f}": "…"`).join(', ')}}]`;
  if (!Array.isArray(value)) return `${k} must be a JSON list like ${shape}, not ${show(value)}`;
  for (const [i, r] of value.entries()) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return `${k}[${i}] must be an object like ${shape.slice(1, -1)}, not ${show(r)}`;
    for (const f of Object.keys(r)) {
      if (!fields.includes(f)) {
        const hint = suggestKey(f, fields);
        return `${k}[${i}]: unknown field '${f}'${hint ? `; did you mean '${hint}'?` : ` (fields: ${fields.join(', ')})`}`;
      }
    }
    for (const f of items.required) if (!(f in r)) return `${k}[${i}] needs "${f}" (${items.properties[f]!.description})`;
    for (const [f, v] of Object.entries(r as Record<string, unknown>)) if (typeof v !== 'string' || v === '') return `${k}[${i}].${f} must be non-empty text, not ${show(v)}`;
  }
  return undefined;
}

/** Turns command-line text into the setting's type (then checkValue says if it is allowed). */
export function parseValue(def: SettingDef, text: string): unknown {
  switch (def.type) {
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(t)) return true;
      if (['false', 'no', 'off', '0'].includes(t)) return false;
      return text;
    }
    case 'integer':
    case 'number':
      return /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : text;
    case 'array': {
      const t = text.trim();
      if (t.startsWith('[')) {
        try {
          return JSON.parse(t) as unknown;
        } catch {
          return text;
        }
      }
      return t === '' ? [] : t.split(',').map((s) => s.trim()).filter(Boolean);
    }
    case 'string':
      return text;
  }
}
