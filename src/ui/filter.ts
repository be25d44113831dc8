/**
 * The `/` filter: plain text (case-insensitive; a valid regular expression is used as one),
 * `-l app=web,tier!=db` (a label selector as kubectl takes it), and `!` in front to invert.
 */
import type { KubeObject } from '../kube/types.js';

export type Requirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export type Filter =
  | { type: 'none' }
  | { type: 'text'; text: string; test: (s: string) => boolean; inverse: boolean }
  | { type: 'labels'; requirements: Requirement[]; inverse: boolean };

export class FilterError extends Error {}

/** Splits "a=b,c in (x,y)" at the commas outside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

export function parseSelector(s: string): Requirement[] {
  const reqs: Requirement[] = [];
  for (const part of splitTop(s)) {
    let m: RegExpExecArray | null;
    if (/^\S+\s+(in|notin)\s*\([^)]*$/.test(part)) {
      throw new FilterError(`'${part}': the list of values is not closed with ')' (e.g. env in (a,b))`);
    } else if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter(Boolean);
      // The API server's own rule (labels.Parse): an empty set is an error.
      if (values.length === 0) throw new FilterError(`'${part}': for 'in' and 'notin' the set of values can't be empty`);
      reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part))) {
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! });
    } else if (/^\s*(==|=|!=)/.test(part)) {
      throw new FilterError(`'${part}': a label key is missing before the operator (e.g. app=web)`);
    } else if ((m = /^!\s*(\S+)$/.exec(part))) {
      reqs.push({ key: m[1]!, op: '!exists' });
    } else if (KEY.test(part)) {
      reqs.push({ key: part, op: 'exists' });
    } else {
      throw new FilterError(`'${part}' is not a label requirement (examples: app=web, tier!=db, env in (a,b), !canary)`);
    }
    const key = reqs[reqs.length - 1]!.key;
    if (!KEY.test(key)) throw new FilterError(`'${key}' is not a valid label key`);
  }
  if (reqs.length === 0) throw new FilterError('-l needs a selector, e.g. -l app=web');
  return reqs;
}

export function selectorMatches(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=': if (v !== r.value) return false; break;
      case '!=': if (v === r.value) return false; break;
      case 'in': if (!has || !r.values.includes(v!)) return false; break;
      case 'notin': if (has && r.values.includes(v!)) return false; break;
      case 'exists': if (!has) return false; break;
      case '!exists': if (has) return false; break;
    }
  }
  return true;
}

export function parseFilter(input: string): Filter {
  let s = input.trim();
  if (!s) return { type: 'none' };
  let inverse = false;
  // "!text" / "!-l sel" invert; a selector's own "!key" comes after -l and is not affected.
  if (s.startsWith('!')) {
    inverse = true;
    s = s.slice(1).trim();
  }
  const lm = /^-l\s*(.*)$/.exec(s);
  if (lm) return { type: 'labels', requirements: parseSelector(lm[1]!), inverse };
  if (!s) return { type: 'none' };
  let test: (x: string) => boolean;
  try {
    const re = new RegExp(s, 'i');
    test = (x) => re.test(x);
  } catch {
    const needle = s.toLowerCase();
    test = (x) => x.toLowerCase().includes(needle);
  }
  return { type: 'text', text: s, test, inverse };
}

/** True when the object passes; `rowText` is the row's text (name, namespace, columns). */
export function filterAccepts(f: Filter, o: KubeObject, rowText: () => string): boolean {
  if (f.type === 'none') return true;
  const hit = f.type === 'labels' ? selectorMatches(f.requirements, o.metadata.labels) : f.test(rowText());
  return f.inverse ? !hit : hit;
}
