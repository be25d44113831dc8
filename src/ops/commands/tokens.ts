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
  const ns = flags.namespace;
  if (typeof ns === 'string') {
    const why = dns1123LabelProblem(ns);
    if (why) throw new OpsInputError(`${command}: namespace '${ns.length > 80 ? ns.slice(0, 80) + '…' : ns}' is not a valid name: ${why}`);
  }
  return { positionals, flags };
}

/** Why a name breaks RFC 1123 label rules (namespaces), in the API server's words; undefined when valid. */
export function dns1123LabelProblem(v: string): string | undefined {
  if (v.length > 63) return `must be no more than 63 characters (it has ${v.length})`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v)) return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')";
  return undefined;
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

/** The API's integers are int32 (replicas, ports, percentages): larger values are refused here, before any plan. */
export const INT32_MAX = 2_147_483_647;

export function int(a: ParsedArgs, name: string, command: string, min = 0, max = INT32_MAX): number | undefined {
  const v = str(a, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  const shown = v.length > 40 ? `${v.slice(0, 40)}…` : v;
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new OpsInputError(`${command}: --${name} expects a whole number ≥ ${min}, got '${shown}'`);
  if (n > max) throw new OpsInputError(`${command}: --${name} must be at most ${max} (a 32-bit integer in the API), got '${shown}'`);
  return n;
}
