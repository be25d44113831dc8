/**
 * Palette completion: verbs, sub-verbs, kinds (plural and short names), object names from the
 * cockpit's cache, and flags — for the word under the cursor (the end of the text).
 */
import { VERBS, VERB_FLAGS } from './commands/index.js';
import type { KindIndex } from './kinds.js';
import { tokenize } from './commands/tokens.js';

export interface CompletionSource {
  kinds: KindIndex;
  /** Names of objects of a kind (from the cache), for the current namespace. */
  names?: (kindName: string) => string[];
}

export interface Completion {
  /** Where the replaced word starts in the text. */
  from: number;
  candidates: string[];
}

const SUBVERBS: Record<string, string[]> = { rollout: ['restart', 'undo', 'pause', 'resume'], set: ['image', 'env', 'resources'] };
const NODE_VERBS = new Set(['cordon', 'uncordon', 'drain']);

export function complete(text: string, src: CompletionSource, max = 20): Completion {
  const endsWithSpace = /\s$/.test(text);
  let words: string[];
  try { words = tokenize(text); } catch { return { from: text.length, candidates: [] }; }
  const current = endsWithSpace ? '' : words.pop() ?? '';
  const from = text.length - current.length;
  const pick = (all: Iterable<string>) => [...new Set(all)].filter((c) => c.startsWith(current) && c !== current).slice(0, max);
  if (words[0] === 'kubectl') words = words.slice(1);
  if (words.length === 0) return { from, candidates: pick(VERBS) };
  const verb = words[0]!;
  if (current.startsWith('-')) return { from, candidates: pick([...(VERB_FLAGS[verb] ?? []).filter((f) => f.startsWith('-')), '-n', '--namespace=']) };
  if (SUBVERBS[verb] && words.length === 1) return { from, candidates: pick(SUBVERBS[verb]!) };
  const args = words.slice(SUBVERBS[verb] ? 2 : 1).filter((w) => !w.startsWith('-'));
  if (NODE_VERBS.has(verb)) return { from, candidates: pick(src.names?.('nodes') ?? []) };
  // kind/name in one word
  const slash = current.indexOf('/');
  if (slash > 0) {
    const kind = current.slice(0, slash);
    return { from, candidates: pick((src.names?.(kind) ?? []).map((n) => `${kind}/${n}`)) };
  }
  if (args.length === 0) return { from, candidates: pick(src.kinds.names()) };
  if (args.length === 1 && !args[0]!.includes('/')) return { from, candidates: pick(src.names?.(args[0]!) ?? []) };
  return { from, candidates: [] };
}

/** The longest prefix all candidates share (what tab inserts when there are several). */
export function commonPrefix(c: string[]): string {
  if (c.length === 0) return '';
  let p = c[0]!;
  for (const s of c) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}
