/** Shell-like splitting and kubectl-like flag parsing for palette commands. */
import { OpsInputError } from './errors.js';

/** Splits on whitespace, honouring '…' and "…" quotes and backslash escapes. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) { quote = null; continue; }
      if (c === '\\' && quote === '"' && i + 1 < text.length) { cur += text[++i]; continue; }
      cur += c;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; has = true; continue; }
    if (c === '\\' && i + 1 < text.length) { cur += text[++i]; has = true; continue; }
    if (/\s/.test(c)) {
      if (has) { out.push(cur); cur = ''; has = false; }
      continue;
    }
    cur += c;
    has = true;
  }
  if (quote) throw new OpsInputError(`unterminated ${quote} quote`);
  if (has) out.push(cur);
  return out;
}

export interface FlagSpec {
  /** Flags that take a value: long name → short alias (or ''). */
  values?: Record<string, string>;
  /** Boolean flags: long name → short alias (or ''). */
  bools?: Record<string, string>;
  /** Flags that may repeat (collected into arrays). */
  repeat?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | string[] | boolean>;
}

/** Flags every command accepts. */
const COMMON: FlagSpec = { values: { namespace: 'n', context: '' }, bools: { 'all-namespaces': 'A' } };

export function parseArgs(tokens: string[], spec: FlagSpec, command: string): ParsedArgs {
  const values = { ...COMMON.values, ...spec.values };
  const bools = { ...COMMON.bools, ...spec.bools };
  const byShort = new Map<string, string>();
  for (const [long, short] of [...Object.entries(values), ...Object.entries(bools)]) if (short) byShort.set(short, long);
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  const set = (name: string, v: string | boolean) => {
    if (spec.repeat?.includes(name)) {
      const prev = flags[name];
      flags[name] = [...(Array.isArray(prev) ? prev : []), String(v)];
    } else flags[name] = v;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '--') { positionals.push(...tokens.slice(i + 1)); break; }
    let name: string | undefined;
    let inline: string | undefined;
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      name = eq >= 0 ? t.slice(2, eq) : t.slice(2);
      inline = eq >= 0 ? t.slice(eq + 1) : undefined;
    } else if (t.startsWith('-') && t.length > 1 && !/^-\d/.test(t)) {
      const short = t.slice(1, 2);
      name = byShort.get(short);
      if (!name) throw new OpsInputError(`${command}: unknown flag -${short}`);
      inline = t.length > 2 ? t.slice(2).replace(/^=/, '') : undefined;
    } else {
      positionals.push(t);
      continue;
    }
    if (name in values) {
      const v = inline ?? tokens[++i];
      if (v === undefined) throw new OpsInputError(`${command}: flag --${name} needs a value`);
      set(name, v);
    } else if (name in bools) {
      if (inline !== undefined && !['true', 'false'].includes(inline)) throw new OpsInputError(`${command}: flag --${name} is true or false, got '${inline}'`);
      set(name, inline === undefined ? true : inline === 'true');
    } else {
      throw new OpsInputError(`${command}: unknown flag --${name}`);
    }
  }
  return { positionals, flags };
}

export function str(a: ParsedArgs, name: string): string | undefined {
  const v = a.flags[name];
  if (v === undefined || typeof v === 'boolean') return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function list(a: ParsedArgs, name: string): string[] {
  const v = a.flags[name];
  if (v === undefined || typeof v === 'boolean') return [];
  return Array.isArray(v) ? v : [v];
}

export function bool(a: ParsedArgs, name: string): boolean {
  return a.flags[name] === true;
}

export function int(a: ParsedArgs, name: string, command: string, min = 0): number | undefined {
  const v = str(a, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new OpsInputError(`${command}: --${name} expects a whole number ≥ ${min}, got '${v}'`);
  return n;
}
