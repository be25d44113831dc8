/** Parses tokens into the command tree the interpreter walks. */
import { IncompleteInput, SyntaxError, tokenize, type Token, type Word } from './lexer.js';

export interface Redir { fd: number; op: '>' | '>>' | '<' | '>&' | '&>'; target: Word }

export type Node =
  | { k: 'simple'; assigns: Array<[string, Word]>; words: Word[]; redirs: Redir[] }
  | { k: 'pipe'; cmds: Node[]; bang: boolean }
  | { k: 'andor'; first: Node; rest: Array<['&&' | '||', Node]> }
  | { k: 'list'; items: Array<{ node: Node; bg: boolean }> }
  | { k: 'if'; clauses: Array<[Node, Node]>; otherwise?: Node; redirs: Redir[] }
  | { k: 'loop'; until: boolean; cond: Node; body: Node; redirs: Redir[] }
  | { k: 'for'; name: string; items?: Word[]; body: Node; redirs: Redir[] }
  | { k: 'group'; body: Node; subshell: boolean; redirs: Redir[] };

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done', 'for', 'in', '{', '}', '!']);

const plain = (w: Word): string | undefined => (w.length === 1 && w[0]!.t === 'lit' && !w[0]!.q ? w[0]!.v : undefined);

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token | undefined { return this.toks[this.i]; }
  private keyword(): string | undefined {
    const t = this.peek();
    if (t?.type !== 'word') return undefined;
    const v = plain(t.parts);
    return v !== undefined && RESERVED.has(v) ? v : undefined;
  }
  private isOp(op: string): boolean { const t = this.peek(); return t?.type === 'op' && t.op === op; }
  private skipNewlines(): void { while (this.peek()?.type === 'nl') this.i++; }
  private expectKeyword(kw: string): void {
    this.skipNewlines();
    const t = this.peek();
    if (!t) throw new IncompleteInput(`expecting "${kw}"`);
    if (this.keyword() !== kw) throw new SyntaxError(`unexpected ${describe(t)} (expecting "${kw}")`);
    this.i++;
  }

  parseProgram(): Node {
    const list = this.parseList([]);
    const t = this.peek();
    if (t) throw new SyntaxError(`unexpected ${describe(t)}`);
    return list;
  }

  /** A sequence of and-or lists until one of the `stop` keywords (or ')' / EOF). */
  private parseList(stop: string[]): Node {
    const items: Array<{ node: Node; bg: boolean }> = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) break;
      const kw = this.keyword();
      if (kw && stop.includes(kw)) break;
      if (t.type === 'op' && (t.op === ')' || t.op === ';;')) break;
      const node = this.parseAndOr();
      let bg = false;
      const sep = this.peek();
      if (sep?.type === 'op' && (sep.op === ';' || sep.op === '&')) {
        bg = sep.op === '&';
        this.i++;
      } else if (sep?.type === 'nl') this.i++;
      else if (sep && !(sep.type === 'op' && sep.op === ')') && !(this.keyword() && stop.includes(this.keyword()!))) {
        throw new SyntaxError(`unexpected ${describe(sep)}`);
      }
      items.push({ node, bg });
    }
    return { k: 'list', items };
  }

  private parseAndOr(): Node {
    const first = this.parsePipeline();
    const rest: Array<['&&' | '||', Node]> = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.peek() as { op: '&&' | '||' }).op;
      this.i++;
      this.skipNewlines();
      if (!this.peek()) throw new IncompleteInput(`after ${op}`);
      rest.push([op, this.parsePipeline()]);
    }
    return rest.length ? { k: 'andor', first, rest } : first;
  }

  private parsePipeline(): Node {
    let bang = false;
    if (this.keyword() === '!') { bang = true; this.i++; }
    const cmds = [this.parseCommand()];
    while (this.isOp('|')) {
      this.i++;
      this.skipNewlines();
      if (!this.peek()) throw new IncompleteInput('after |');
      cmds.push(this.parseCommand());
    }
    return cmds.length === 1 && !bang ? cmds[0]! : { k: 'pipe', cmds, bang };
  }

  private parseRedirs(): Redir[] {
    const out: Redir[] = [];
    for (;;) {
      const t = this.peek();
      if (t?.type !== 'op' || !['>', '>>', '<', '>&', '&>'].includes(t.op)) return out;
      this.i++;
      const target = this.peek();
      if (target?.type !== 'word') throw target ? new SyntaxError(`unexpected ${describe(target)}`) : new SyntaxError('unexpected end of file');
      this.i++;
      out.push({ fd: t.fd ?? (t.op === '<' ? 0 : 1), op: t.op as Redir['op'], target: target.parts });
    }
  }

  private parseCommand(): Node {
    const t = this.peek();
    if (!t) throw new IncompleteInput('expecting a command');
    const kw = this.keyword();
    if (kw === 'if') return this.parseIf();
    if (kw === 'while' || kw === 'until') {
      this.i++;
      const cond = this.parseList(['do']);
      this.expectKeyword('do');
      const body = this.parseList(['done']);
      this.expectKeyword('done');
      return { k: 'loop', until: kw === 'until', cond, body, redirs: this.parseRedirs() };
    }
    if (kw === 'for') {
      this.i++;
      const nameTok = this.peek();
      if (nameTok?.type !== 'word' || !plain(nameTok.parts)) throw new SyntaxError('bad for loop variable');
      const name = plain(nameTok.parts)!;
      this.i++;
      let items: Word[] | undefined;
      this.skipNewlines();
      if (this.keyword() === 'in') {
        this.i++;
        items = [];
        while (this.peek()?.type === 'word' && this.keyword() !== 'do') items.push((this.peek() as { parts: Word }).parts), this.i++;
      }
      if (this.isOp(';')) this.i++;
      this.expectKeyword('do');
      const body = this.parseList(['done']);
      this.expectKeyword('done');
      return { k: 'for', name, items, body, redirs: this.parseRedirs() };
    }
    if (kw === '{') {
      this.i++;
      const body = this.parseList(['}']);
      this.expectKeyword('}');
      return { k: 'group', body, subshell: false, redirs: this.parseRedirs() };
    }
    if (t.type === 'op' && t.op === '(') {
      this.i++;
      const body = this.parseList([]);
      if (!this.peek()) throw new IncompleteInput("expecting ')'");
      if (!this.isOp(')')) throw new SyntaxError(`unexpected ${describe(this.peek()!)}`);
      this.i++;
      return { k: 'group', body, subshell: true, redirs: this.parseRedirs() };
    }
    if (kw && kw !== '!') throw new SyntaxError(`unexpected "${kw}"`);
    return this.parseSimple();
  }

  private parseIf(): Node {
    this.i++;
    const clauses: Array<[Node, Node]> = [];
    let otherwise: Node | undefined;
    for (;;) {
      const cond = this.parseList(['then']);
      this.expectKeyword('then');
      const body = this.parseList(['elif', 'else', 'fi']);
      clauses.push([cond, body]);
      this.skipNewlines();
      const kw = this.keyword();
      if (!this.peek()) throw new IncompleteInput('expecting "fi"');
      this.i++;
      if (kw === 'elif') continue;
      if (kw === 'else') {
        otherwise = this.parseList(['fi']);
        this.expectKeyword('fi');
      } else if (kw !== 'fi') throw new SyntaxError(`unexpected ${describe(this.toks[this.i - 1]!)}`);
      break;
    }
    return { k: 'if', clauses, otherwise, redirs: this.parseRedirs() };
  }

  private parseSimple(): Node {
    const assigns: Array<[string, Word]> = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.type === 'op') {
        if (['>', '>>', '<', '>&', '&>'].includes(t.op)) { redirs.push(...this.parseRedirs()); continue; }
        break;
      }
      if (t.type !== 'word') break;
      const first = t.parts[0];
      if (!words.length && first?.t === 'lit' && !first.q) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v);
        if (m) {
          const rest = first.v.slice(m[0].length);
          assigns.push([m[1]!, [...(rest ? [{ t: 'lit' as const, v: rest, q: false }] : []), ...t.parts.slice(1)]]);
          this.i++;
          continue;
        }
      }
      words.push(t.parts);
      this.i++;
    }
    if (!words.length && !assigns.length && !redirs.length) {
      const t = this.peek();
      throw t ? new SyntaxError(`unexpected ${describe(t)}`) : new IncompleteInput('expecting a command');
    }
    return { k: 'simple', assigns, words, redirs };
  }
}

function describe(t: Token): string {
  if (t.type === 'nl') return 'newline';
  if (t.type === 'op') return `"${t.op}"`;
  return `"${t.parts.map((p) => (p.t === 'lit' ? p.v : '$')).join('')}"`;
}

export function parse(src: string): Node {
  return new Parser(tokenize(src)).parseProgram();
}

export { IncompleteInput, SyntaxError };
