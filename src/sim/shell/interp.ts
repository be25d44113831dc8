/**
 * The emulated POSIX shell: walks the parse tree, expands words, applies redirections against
 * the virtual filesystem and runs built-in commands. Never starts a host process.
 */
import type { Part, Word } from './lexer.js';
import { lexDoubleQuoted } from './lexer.js';
import { IncompleteInput, parse, SyntaxError, type Node, type Redir } from './parser.js';
import { COMMANDS } from './commands/index.js';
import { IMAGE_COMMANDS } from './commands/clients.js';
import { evalArith } from './arith.js';
import { normalize, VfsError } from './vfs.js';
import { EMPTY_INPUT, ExitSignal, Interrupted, readAll, stringInput, type Io, type ShellWorld } from './types.js';

export class Shell {
  readonly vars = new Map<string, string>();
  readonly exported = new Set<string>();
  cwd = '/';
  status = 0;
  positional: string[] = [];
  lastBg = 0;

  /** `name` is how it was invoked (sh, bash, ash): it prefixes error messages. */
  constructor(readonly world: ShellWorld, readonly name = 'sh') {
    for (const [k, v] of Object.entries(world.env)) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    this.cwd = world.env['PWD'] && world.vfs.exists(world.env['PWD']) ? world.env['PWD'] : '/';
    this.vars.set('PWD', this.cwd);
    this.exported.add('PWD');
  }

  /** A copy for subshells and $(...): changes inside do not leak out. */
  fork(): Shell {
    const s = new Shell(this.world, this.name);
    s.vars.clear();
    for (const [k, v] of this.vars) s.vars.set(k, v);
    for (const k of this.exported) s.exported.add(k);
    s.cwd = this.cwd;
    s.status = this.status;
    s.positional = [...this.positional];
    return s;
  }

  env(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  resolvePath(p: string): string {
    if (p === '~' || p.startsWith('~/')) p = (this.vars.get('HOME') ?? '/root') + p.slice(1);
    return normalize(this.cwd, p);
  }

  /** Runs a script; syntax errors are reported like sh does (exit 2). */
  async run(src: string, io: Io): Promise<number> {
    let tree: Node;
    try {
      tree = parse(src);
    } catch (e) {
      if (e instanceof IncompleteInput || e instanceof SyntaxError) {
        io.err(`${this.name}: syntax error: ${e.message}\n`);
        return (this.status = 2);
      }
      throw e;
    }
    return this.execTop(tree, io);
  }

  /** Executes a parsed tree, turning `exit` into a return code. */
  async execTop(tree: Node, io: Io): Promise<number> {
    try {
      return (this.status = await this.exec(tree, io));
    } catch (e) {
      if (e instanceof ExitSignal) throw e;
      if (e instanceof Interrupted) return (this.status = e.code);
      throw e;
    }
  }

  async exec(n: Node, io: Io): Promise<number> {
    if (io.signal.aborted) throw new Interrupted();
    switch (n.k) {
      case 'list': {
        let st = this.status;
        for (const it of n.items) {
          if (it.bg) {
            const child = this.fork();
            const proc = this.world.spawnProc('sh');
            this.lastBg = proc.pid;
            void child.exec(it.node, { ...io, stdin: EMPTY_INPUT }).catch(() => 1).finally(() => proc.done());
            st = this.status = 0;
          } else st = this.status = await this.exec(it.node, io);
        }
        return st;
      }
      case 'andor': {
        let st = await this.exec(n.first, io);
        this.status = st;
        for (const [op, node] of n.rest) {
          if ((op === '&&') === (st === 0)) st = this.status = await this.exec(node, io);
        }
        return st;
      }
      case 'pipe': {
        let input = io.stdin;
        let st = 0;
        for (let i = 0; i < n.cmds.length; i++) {
          const last = i === n.cmds.length - 1;
          if (last) {
            st = await this.exec(n.cmds[i]!, { ...io, stdin: input });
          } else {
            let buf = '';
            // Each stage sees a copy of the shell, as each runs in its own subshell.
            st = await this.fork().exec(n.cmds[i]!, { ...io, stdin: input, out: (s) => (buf += s), outBytes: undefined });
            input = stringInput(buf);
          }
        }
        return n.bang ? (st === 0 ? 1 : 0) : st;
      }
      case 'if': {
        for (const [cond, body] of n.clauses) {
          if ((await this.withRedirs(n.redirs, io, (io2) => this.exec(cond, io2))) === 0) {
            return this.withRedirs(n.redirs, io, (io2) => this.exec(body, io2));
          }
        }
        return n.otherwise ? this.withRedirs(n.redirs, io, (io2) => this.exec(n.otherwise!, io2)) : 0;
      }
      case 'loop':
        return this.withRedirs(n.redirs, io, async (io2) => {
          let st = 0;
          for (let guard = 0; ; guard++) {
            const c = await this.exec(n.cond, io2);
            if ((c === 0) === n.until) break;
            st = await this.exec(n.body, io2);
            // A tight loop without sleeps (`while true; do echo x; done`) must not starve the
            // API server sharing this process: it gets a slice of a millisecond per 64 rounds.
            if (guard % 64 === 63) await new Promise((r) => setTimeout(r, 1));
            if (io2.signal.aborted) throw new Interrupted();
          }
          return st;
        });
      case 'for':
        return this.withRedirs(n.redirs, io, async (io2) => {
          const items = n.items ? (await Promise.all(n.items.map((w) => this.expandWord(w, io2)))).flat() : this.positional;
          let st = 0;
          for (const v of items) {
            this.vars.set(n.name, v);
            st = await this.exec(n.body, io2);
          }
          return st;
        });
      case 'group':
        if (n.subshell) {
          const sub = this.fork();
          return this.withRedirs(n.redirs, io, async (io2) => {
            try {
              return await sub.exec(n.body, io2);
            } catch (e) {
              if (e instanceof ExitSignal) return e.code;
              throw e;
            }
          });
        }
        return this.withRedirs(n.redirs, io, (io2) => this.exec(n.body, io2));
      case 'simple':
        return this.execSimple(n, io);
    }
  }

  private async execSimple(n: Extract<Node, { k: 'simple' }>, io: Io): Promise<number> {
    const argv: string[] = [];
    for (const w of n.words) argv.push(...(await this.expandWord(w, io)));
    const assigns: Array<[string, string]> = [];
    for (const [k, w] of n.assigns) assigns.push([k, (await this.expandWord(w, io, false)).join('')]);
    if (!argv.length) {
      for (const [k, v] of assigns) this.vars.set(k, v);
      return this.withRedirs(n.redirs, io, async () => this.status);
    }
    // Prefix assignments apply to this command only.
    const saved = assigns.map(([k]) => [k, this.vars.get(k), this.exported.has(k)] as const);
    for (const [k, v] of assigns) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    try {
      return await this.withRedirs(n.redirs, io, (io2) => this.runCommand(argv, io2));
    } finally {
      for (const [k, v, ex] of saved) {
        if (v === undefined) this.vars.delete(k);
        else this.vars.set(k, v);
        if (!ex) this.exported.delete(k);
      }
    }
  }

  /** Looks a command up (by name or path) and runs it. */
  async runCommand(argv: string[], io: Io): Promise<number> {
    const name = argv[0]!;
    const base = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
    const fn = COMMANDS.get(base) ?? (this.world.imageCommands.includes(base) ? IMAGE_COMMANDS[base] : undefined);
    if (!fn || (name.includes('/') && !this.world.vfs.exists(this.resolvePath(name)))) {
      if (name.includes('/') && this.world.vfs.exists(this.resolvePath(name))) {
        io.err(`${this.name}: ${name}: Permission denied\n`);
        return 126;
      }
      io.err(this.world.flavor === 'gnu' && this.name === 'bash' ? `bash: ${name}: command not found\n` : `${this.name}: ${name}: not found\n`);
      return 127;
    }
    try {
      return await fn(argv, io, this);
    } catch (e) {
      if (e instanceof ExitSignal || e instanceof Interrupted) throw e;
      if (e instanceof VfsError) {
        io.err(`${base}: ${e.path}: ${e.message}\n`);
        return 1;
      }
      io.err(`${base}: ${(e as Error).message}\n`);
      return 1;
    }
  }

  private async withRedirs(redirs: Redir[], io: Io, body: (io: Io) => Promise<number>): Promise<number> {
    if (!redirs.length) return body(io);
    let cur: Io = { ...io };
    for (const r of redirs) {
      const target = (await this.expandWord(r.target, io, false)).join('');
      if (r.op === '>&' && /^\d$/.test(target)) {
        const src = target === '1' ? cur.out : target === '2' ? cur.err : undefined;
        if (src) cur = r.fd === 2 ? { ...cur, err: src } : { ...cur, out: src, outBytes: undefined };
        continue;
      }
      const path = this.resolvePath(target);
      if (r.op === '<') {
        try {
          cur = { ...cur, stdin: stringInput(path === '/dev/null' ? '' : this.world.vfs.read(path)) };
        } catch (e) {
          io.err(`${this.name}: can't open '${target}': ${(e as Error).message}\n`);
          return 1;
        }
        continue;
      }
      let sink: (s: string) => void;
      if (path === '/dev/null') sink = () => {};
      else if (path === '/dev/stdout') sink = io.out;
      else if (path === '/dev/stderr') sink = io.err;
      else {
        try {
          this.world.vfs.write(path, '', r.op === '>>');
        } catch (e) {
          io.err(`${this.name}: can't create ${target}: ${(e as Error).message}\n`);
          return 1;
        }
        sink = (s) => this.world.vfs.write(path, s, true);
      }
      if (r.op === '&>' || (r.op === '>&' && r.fd !== 2)) cur = { ...cur, out: sink, err: sink, outBytes: undefined };
      else if (r.fd === 2) cur = { ...cur, err: sink };
      else cur = { ...cur, out: sink, outBytes: undefined };
    }
    return body(cur);
  }

  // ---- expansion ---------------------------------------------------------------------------

  private getVar(name: string): string | undefined {
    switch (name) {
      case '?': return String(this.status);
      case '$': return '1';
      case '#': return String(this.positional.length);
      case '!': return this.lastBg ? String(this.lastBg) : '';
      case '-': return '';
      case '0': return this.name;
      case '@': case '*': return this.positional.join(' ');
      default:
        if (/^\d$/.test(name)) return this.positional[Number(name) - 1];
        return this.vars.get(name);
    }
  }

  private async expandPart(p: Part, io: Io): Promise<string> {
    switch (p.t) {
      case 'lit': return p.v;
      case 'var': {
        const v = this.getVar(p.name);
        if (p.op === '#len') return String((v ?? '').length);
        if (!p.op) return v ?? '';
        const unsetOrEmpty = p.op.startsWith(':') ? !v : v === undefined;
        const kind = p.op.replace(':', '');
        const arg = async () => (await Promise.all(lexDoubleQuoted(p.arg ?? '').map((x) => this.expandPart(x, io)))).join('');
        if (kind === '-') return unsetOrEmpty ? arg() : v!;
        if (kind === '=') {
          if (unsetOrEmpty) this.vars.set(p.name, await arg());
          return this.vars.get(p.name) ?? '';
        }
        if (kind === '+') return unsetOrEmpty ? '' : arg();
        if (kind === '?' && unsetOrEmpty) {
          io.err(`${this.name}: ${p.name}: ${(await arg()) || 'parameter not set'}\n`);
          throw new ExitSignal(1);
        }
        return v ?? '';
      }
      case 'cmd': {
        let out = '';
        const sub = this.fork();
        try {
          await sub.run(p.src, { ...io, out: (s) => (out += s), outBytes: undefined });
        } catch (e) {
          if (!(e instanceof ExitSignal)) throw e;
        }
        this.status = sub.status;
        return out.replace(/\n+$/, '');
      }
      case 'arith': {
        const src = (await Promise.all(lexDoubleQuoted(p.src).map((x) => this.expandPart(x, io)))).join('');
        return String(evalArith(src, (name) => this.vars.get(name), (name, val) => this.vars.set(name, String(val))));
      }
    }
  }

  /** Expands a word into fields (field splitting of unquoted expansions; globbing). */
  async expandWord(w: Word, io: Io, split = true): Promise<string[]> {
    const fields: string[] = [];
    let cur = '';
    let have = false;
    let glob = false;
    for (const p of w) {
      if (p.t === 'var' && p.q && p.name === '@' && !p.op) {
        // "$@": one field per positional parameter.
        const ps = this.positional;
        ps.forEach((v, i) => {
          cur += v;
          if (i < ps.length - 1) { fields.push(cur); cur = ''; }
        });
        have = have || ps.length > 0;
        continue;
      }
      let v = await this.expandPart(p, io);
      if (p.t === 'lit' && !p.q && cur === '' && !have && (v === '~' || v.startsWith('~/'))) v = (this.vars.get('HOME') ?? '/root') + v.slice(1);
      if (p.t !== 'lit' && !p.q && split) {
        const pieces = v.split(/[ \t\n]+/);
        if (v.trim() === '') {
          if (pieces.length > 1 && have) { fields.push(cur); cur = ''; have = false; }
          continue;
        }
        pieces.forEach((piece, i) => {
          if (i > 0 && (have || cur)) { fields.push(cur); cur = ''; }
          if (piece) { cur += piece; have = true; }
        });
        continue;
      }
      if (p.t === 'lit' && !p.q && /[*?]/.test(v)) glob = true;
      cur += v;
      have = have || p.q || v !== '';
    }
    if (have || cur) fields.push(cur);
    if (!glob || !split) return fields;
    return fields.flatMap((f) => (/[*?]/.test(f) ? this.glob(f) : [f]));
  }

  private glob(pattern: string): string[] {
    const abs = pattern.startsWith('/');
    const segs = pattern.split('/').filter(Boolean);
    let paths = [abs ? '/' : this.cwd];
    for (const seg of segs) {
      const next: string[] = [];
      const re = /[*?]/.test(seg) ? new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`) : undefined;
      for (const p of paths) {
        if (!re) {
          const c = normalize(p, seg);
          if (this.world.vfs.exists(c)) next.push(c);
          continue;
        }
        let names: string[] = [];
        try { names = this.world.vfs.list(p); } catch { /* not a dir */ }
        for (const n of names) if (re.test(n) && (!n.startsWith('.') || seg.startsWith('.'))) next.push(normalize(p, n));
      }
      paths = next;
    }
    if (!paths.length) return [pattern];
    const base = abs ? '' : this.cwd === '/' ? '/' : `${this.cwd}/`;
    return paths.map((p) => (abs ? p : p.slice(base.length))).sort();
  }
}

export { readAll };
