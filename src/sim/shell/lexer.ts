/**
 * Tokenizer for the POSIX-sh subset the emulated shell runs: words made of literal, quoted and
 * expansion parts ($VAR, ${VAR:-x}, $?, $(cmd), `cmd`, $((expr))), operators, newlines, comments.
 */

export type Part =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'var'; name: string; op?: string; arg?: string; q: boolean }
  | { t: 'cmd'; src: string; q: boolean }
  | { t: 'arith'; src: string; q: boolean };

export type Word = Part[];

export type Token =
  | { type: 'word'; parts: Word }
  | { type: 'op'; op: string; fd?: number }
  | { type: 'nl' };

/** Input ended inside a quote or a construct: an interactive shell asks for more. */
export class IncompleteInput extends Error {}
export class SyntaxError extends Error {}

const OPS = ['&&', '||', ';;', '>>', '>&', '<<', '&>', ';', '&', '|', '(', ')', '>', '<'];
const SPECIAL_VARS = new Set(['?', '$', '#', '@', '*', '!', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** Reads from `i` (just after an opening delimiter) to the matching close, honouring nesting and quotes. */
function readBalanced(src: string, i: number, open: string, close: string): [string, number] {
  let depth = 1;
  let j = i;
  while (j < src.length) {
    const c = src[j]!;
    if (c === '\\') { j += 2; continue; }
    if (c === "'") {
      const e = src.indexOf("'", j + 1);
      if (e < 0) throw new IncompleteInput('unterminated quoted string');
      j = e + 1;
      continue;
    }
    if (c === '"') {
      j++;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new IncompleteInput('unterminated quoted string');
      j++;
      continue;
    }
    if (src.startsWith(open, j)) depth++;
    else if (src.startsWith(close, j)) {
      depth--;
      if (depth === 0) return [src.slice(i, j), j + close.length];
    }
    j++;
  }
  throw new IncompleteInput(`missing '${close}'`);
}

/** Parses a `$...` expansion at src[i] === '$'; returns the part and the next index. */
function readDollar(src: string, i: number, q: boolean): [Part, number] {
  const n = src[i + 1];
  if (n === '(' && src[i + 2] === '(') {
    const [body, next] = readBalanced(src, i + 3, '(', ')');
    if (src[next] !== ')') throw new SyntaxError('missing ))');
    return [{ t: 'arith', src: body, q }, next + 1];
  }
  if (n === '(') {
    const [body, next] = readBalanced(src, i + 2, '(', ')');
    return [{ t: 'cmd', src: body, q }, next];
  }
  if (n === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new IncompleteInput("missing '}'");
    const inner = src.slice(i + 2, end);
    const m = /^(#?)([A-Za-z_][A-Za-z0-9_]*|[?$#@*!0-9])(?:(:?[-=+?])(.*))?$/s.exec(inner);
    if (!m) throw new SyntaxError(`\${${inner}}: bad substitution`);
    if (m[1]) return [{ t: 'var', name: m[2]!, op: '#len', q }, end + 1];
    return [{ t: 'var', name: m[2]!, op: m[3], arg: m[4], q }, end + 1];
  }
  if (n !== undefined && SPECIAL_VARS.has(n)) return [{ t: 'var', name: n, q }, i + 2];
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1));
  if (m) return [{ t: 'var', name: m[0], q }, i + 1 + m[0].length];
  return [{ t: 'lit', v: '$', q }, i + 1];
}

/** Parts of a double-quoted string body (also used for ${X:-word} defaults and here-docs). */
export function lexDoubleQuoted(body: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  const flush = () => { if (lit) parts.push({ t: 'lit', v: lit, q: true }); lit = ''; };
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length && '$`"\\\n'.includes(body[i + 1]!)) {
      if (body[i + 1] !== '\n') lit += body[i + 1];
      i += 2;
    } else if (c === '$') {
      flush();
      const [p, next] = readDollar(body, i, true);
      if (p.t === 'lit') lit += p.v;
      else parts.push(p);
      i = next;
    } else if (c === '`') {
      flush();
      const end = body.indexOf('`', i + 1);
      if (end < 0) throw new IncompleteInput('unterminated `');
      parts.push({ t: 'cmd', src: body.slice(i + 1, end), q: true });
      i = end + 1;
    } else {
      lit += c;
      i++;
    }
  }
  flush();
  return parts;
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let parts: Part[] = [];
  let inWord = false;
  let lit = '';
  const flushLit = () => { if (lit) parts.push({ t: 'lit', v: lit, q: false }); lit = ''; };
  const endWord = () => {
    flushLit();
    if (inWord) out.push({ type: 'word', parts });
    parts = [];
    inWord = false;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') { endWord(); i++; continue; }
    if (c === '\n') { endWord(); out.push({ type: 'nl' }); i++; continue; }
    if (c === '#' && !inWord) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= src.length) throw new IncompleteInput('line continuation');
      if (src[i + 1] === '\n') { i += 2; continue; }
      flushLit();
      parts.push({ t: 'lit', v: src[i + 1]!, q: true });
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new IncompleteInput('unterminated quoted string');
      flushLit();
      parts.push({ t: 'lit', v: src.slice(i + 1, end), q: true });
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new IncompleteInput('unterminated quoted string');
      flushLit();
      const inner = lexDoubleQuoted(src.slice(i + 1, j));
      parts.push(...(inner.length ? inner : [{ t: 'lit', v: '', q: true } as Part]));
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '$') {
      flushLit();
      const [p, next] = readDollar(src, i, false);
      if (p.t === 'lit') lit += p.v;
      else parts.push(p);
      inWord = true;
      i = next;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new IncompleteInput('unterminated `');
      flushLit();
      parts.push({ t: 'cmd', src: src.slice(i + 1, end), q: false });
      inWord = true;
      i = end + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      // "2>" / "2>&1": a word of digits right before a redirection is its file descriptor.
      let fd: number | undefined;
      if ((op[0] === '>' || op[0] === '<') && inWord && parts.length === 0 && /^\d$/.test(lit)) {
        fd = Number(lit);
        lit = '';
        inWord = false;
      }
      endWord();
      out.push({ type: 'op', op, fd });
      i += op.length;
      continue;
    }
    lit += c;
    inWord = true;
    i++;
  }
  endWord();
  return out;
}
