/** File utilities over the virtual filesystem: ls, cat, head, tail, wc, grep, mkdir, touch, rm, cp, mv, tee. */
import type { Shell } from '../interp.js';
import { simSleep } from './builtins.js';
import { readAll, Interrupted, type Io } from '../types.js';
import { VfsError } from '../vfs.js';
import { getopt, type CmdFn } from './types.js';

function openError(sh: Shell, cmd: string, file: string, e: unknown): string {
  const why = e instanceof VfsError ? e.message : String(e);
  return sh.world.flavor === 'busybox' ? `${cmd}: can't open '${file}': ${why}\n` : `${cmd}: ${file}: ${why}\n`;
}

/** Reads the named files (or stdin when none / "-"), reporting unreadable ones. */
async function inputs(sh: Shell, io: Io, cmd: string, files: string[]): Promise<{ texts: Array<{ name: string; text: string }>; failed: boolean }> {
  const texts: Array<{ name: string; text: string }> = [];
  let failed = false;
  if (!files.length) files = ['-'];
  for (const f of files) {
    if (f === '-') { texts.push({ name: '(standard input)', text: await readAll(io.stdin) }); continue; }
    try {
      texts.push({ name: f, text: sh.world.vfs.read(sh.resolvePath(f)) });
    } catch (e) {
      io.err(openError(sh, cmd, f, e));
      failed = true;
    }
  }
  return { texts, failed };
}

const cat: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1));
  const files = rest.length ? rest : ['-'];
  let failed = false;
  for (const f of files) {
    if (f === '-') {
      // Stream stdin through as it arrives (`kubectl exec -i p -- cat`).
      for (let c = await io.stdin.read(); c !== null; c = await io.stdin.read()) io.out(c);
      continue;
    }
    try {
      let text = sh.world.vfs.read(sh.resolvePath(f));
      if (opts.has('n')) text = text.split('\n').map((l, i, a) => (i === a.length - 1 && l === '' ? '' : `${String(i + 1).padStart(6)}\t${l}`)).join('\n');
      io.out(text);
    } catch (e) {
      io.err(openError(sh, 'cat', f, e));
      failed = true;
    }
  }
  return failed ? 1 : 0;
};

function lines(text: string): string[] {
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

function countArg(argv: string[]): { n: number; rest: string[]; fromStart: boolean; follow: boolean } {
  const args = argv.slice(1);
  let n = 10;
  let fromStart = false;
  let follow = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n' || a === '--lines') {
      const v = args[++i] ?? '10';
      fromStart = v.startsWith('+');
      n = Math.abs(parseInt(v, 10));
    } else if (/^-n[+-]?\d+$/.test(a)) { fromStart = a[2] === '+'; n = Math.abs(parseInt(a.slice(2), 10)); }
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else if (a === '-f' || a === '-F') follow = true;
    else rest.push(a);
  }
  return { n, rest, fromStart, follow };
}

const head: CmdFn = async (argv, io, sh) => {
  const { n, rest } = countArg(argv);
  const { texts, failed } = await inputs(sh, io, 'head', rest);
  texts.forEach((t, i) => {
    if (texts.length > 1) io.out(`${i ? '\n' : ''}==> ${t.name} <==\n`);
    for (const l of lines(t.text).slice(0, n)) io.out(`${l}\n`);
  });
  return failed ? 1 : 0;
};

const tail: CmdFn = async (argv, io, sh) => {
  const { n, rest, fromStart, follow } = countArg(argv);
  const { texts, failed } = await inputs(sh, io, 'tail', rest);
  texts.forEach((t, i) => {
    if (texts.length > 1) io.out(`${i ? '\n' : ''}==> ${t.name} <==\n`);
    const ls = lines(t.text);
    for (const l of fromStart ? ls.slice(Math.max(0, n - 1)) : ls.slice(-n || ls.length)) io.out(`${l}\n`);
  });
  if (follow && rest.length) {
    // Follow the file as it grows until interrupted.
    const path = sh.resolvePath(rest[rest.length - 1]!);
    let seen = texts[texts.length - 1]?.text.length ?? 0;
    for (;;) {
      try {
        await simSleep(sh, io, 1000);
      } catch (e) {
        if (e instanceof Interrupted) throw e;
      }
      try {
        const now = sh.world.vfs.read(path);
        if (now.length > seen) io.out(now.slice(seen));
        seen = now.length;
      } catch { /* file went away */ }
    }
  }
  return failed ? 1 : 0;
};

const wc: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1));
  const { texts, failed } = await inputs(sh, io, 'wc', rest);
  const all = !opts.has('l') && !opts.has('w') && !opts.has('c') && !opts.has('m');
  const fmt = (t: string, name?: string) => {
    const cols: string[] = [];
    if (all || opts.has('l')) cols.push(String((t.match(/\n/g) ?? []).length));
    if (all || opts.has('w')) cols.push(String(t.split(/\s+/).filter(Boolean).length));
    if (all || opts.has('c') || opts.has('m')) cols.push(String(Buffer.byteLength(t)));
    const w = cols.length > 1 ? 7 : 0;
    return `${cols.map((c) => c.padStart(w)).join(' ')}${name ? ` ${name}` : ''}\n`;
  };
  for (const t of texts) io.out(fmt(t.text, rest.length ? t.name : undefined));
  if (texts.length > 1) io.out(fmt(texts.map((t) => t.text).join(''), 'total'));
  return failed ? 1 : 0;
};

const grep: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1), 'e,m');
  const pattern = opts.get('e') ?? rest.shift();
  if (pattern === undefined) {
    io.err('Usage: grep [-ivcnqlEF] PATTERN [FILE]...\n');
    return 2;
  }
  let re: RegExp;
  try {
    const src = opts.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      : opts.has('E') || argv[0] === 'egrep' ? pattern : pattern.replace(/\\([|(){}+?])/g, '$1');
    re = new RegExp(opts.has('w') ? `\\b(?:${src})\\b` : opts.has('x') ? `^(?:${src})$` : src, opts.has('i') ? 'i' : '');
  } catch {
    io.err(`grep: bad regex '${pattern}'\n`);
    return 2;
  }
  const { texts, failed } = await inputs(sh, io, 'grep', rest);
  let matched = false;
  const multi = texts.length > 1 && !opts.has('h');
  for (const t of texts) {
    let count = 0;
    lines(t.text).forEach((l, i) => {
      if (re.test(l) === opts.has('v')) return;
      count++;
      matched = true;
      if (opts.has('q') || opts.has('c') || opts.has('l')) return;
      io.out(`${multi ? `${t.name}:` : ''}${opts.has('n') ? `${i + 1}:` : ''}${opts.has('o') ? (re.exec(l)?.[0] ?? l) : l}\n`);
    });
    if (opts.has('c')) io.out(`${multi ? `${t.name}:` : ''}${count}\n`);
    if (opts.has('l') && count) io.out(`${t.name}\n`);
  }
  if (failed && !matched) return 2;
  return matched ? 0 : 1;
};

function mode(m: number, type: string): string {
  const c = type === 'dir' ? 'd' : type === 'link' ? 'l' : '-';
  let s = '';
  for (let i = 8; i >= 0; i--) s += m & (1 << i) ? 'rwx'[(8 - i) % 3] : '-';
  return c + s;
}

function lsDate(ms: number): string {
  const d = new Date(ms);
  const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${mon} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

const ls: CmdFn = (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1));
  const vfs = sh.world.vfs;
  const targets = rest.length ? rest : ['.'];
  let st = 0;
  const human = (n: number) => (n < 1024 ? String(n) : n < 1 << 20 ? `${(n / 1024).toFixed(1)}K` : `${(n / (1 << 20)).toFixed(1)}M`);
  const entryLine = (dir: string, name: string) => {
    const p = sh.resolvePath(dir === '.' ? name : `${dir}/${name}`);
    const s = vfs.stat(p);
    if (!opts.has('l')) return name;
    const size = opts.has('h') ? human(s.size) : String(s.size);
    return `${mode(s.mode, vfs.isLink(p) ? 'link' : s.type)}    1 root     root     ${size.padStart(10)} ${lsDate(s.mtime)} ${name}`;
  };
  const print = (names: string[]) => {
    if (!names.length) return;
    if (opts.has('l') || opts.has('1') || !io.tty) {
      for (const n of names) io.out(`${n}\n`);
      return;
    }
    const w = Math.max(...names.map((n) => n.length)) + 2;
    const perLine = Math.max(1, Math.floor(io.tty.cols / w));
    for (let i = 0; i < names.length; i += perLine) io.out(`${names.slice(i, i + perLine).map((n) => n.padEnd(w)).join('').trimEnd()}\n`);
  };
  const files: string[] = [];
  const dirs: string[] = [];
  for (const t of targets) {
    const p = sh.resolvePath(t);
    if (!vfs.exists(p)) {
      io.err(sh.world.flavor === 'busybox' ? `ls: ${t}: No such file or directory\n` : `ls: cannot access '${t}': No such file or directory\n`);
      st = sh.world.flavor === 'busybox' ? 1 : 2;
      continue;
    }
    if (vfs.stat(p).type === 'dir' && !opts.has('d')) dirs.push(t);
    else files.push(t);
  }
  print(files.map((f) => entryLine('.', f)));
  dirs.forEach((d, i) => {
    if (targets.length > 1) io.out(`${files.length || i ? '\n' : ''}${d}:\n`);
    let names = vfs.list(sh.resolvePath(d));
    if (!opts.has('a') && !opts.has('A')) names = names.filter((n) => !n.startsWith('.'));
    if (opts.has('a')) names = ['.', '..', ...names];
    if (opts.has('l')) io.out(`total ${names.length * 4}\n`);
    print(names.map((n) => (n === '.' || n === '..' ? (opts.has('l') ? entryLine(d, '.').replace(/ \.$/, ` ${n}`) : n) : entryLine(d, n))));
  });
  return st;
};

const mkdir: CmdFn = (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1));
  let st = 0;
  for (const d of rest) {
    try {
      if (opts.has('p')) sh.world.vfs.mkdirp(sh.resolvePath(d));
      else sh.world.vfs.mkdir(sh.resolvePath(d));
    } catch (e) {
      io.err(`mkdir: can't create directory '${d}': ${(e as Error).message}\n`);
      st = 1;
    }
  }
  return st;
};

const touch: CmdFn = (argv, _io, sh) => {
  for (const f of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const p = sh.resolvePath(f);
    if (!sh.world.vfs.exists(p)) sh.world.vfs.write(p, '');
  }
  return 0;
};

const rm: CmdFn = (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1));
  let st = 0;
  for (const f of rest) {
    const p = sh.resolvePath(f);
    try {
      if (sh.world.vfs.stat(p).type === 'dir' && !opts.has('r') && !opts.has('R')) {
        io.err(`rm: '${f}' is a directory\n`);
        st = 1;
        continue;
      }
      sh.world.vfs.remove(p, true);
    } catch (e) {
      if (!opts.has('f')) {
        io.err(`rm: can't remove '${f}': ${(e as Error).message}\n`);
        st = 1;
      }
    }
  }
  return st;
};

const cp: CmdFn = (argv, io, sh) => {
  const { rest } = getopt(argv.slice(1));
  if (rest.length < 2) {
    io.err(`${argv[0]}: missing file operand\n`);
    return 1;
  }
  const dest = sh.resolvePath(rest.pop()!);
  const vfs = sh.world.vfs;
  const destIsDir = vfs.exists(dest) && vfs.stat(dest).type === 'dir';
  for (const s of rest) {
    const src = sh.resolvePath(s);
    const text = vfs.read(src);
    const to = destIsDir ? `${dest}/${src.slice(src.lastIndexOf('/') + 1)}` : dest;
    vfs.write(to, text);
    if (argv[0] === 'mv') vfs.remove(src);
  }
  return 0;
};

const tee: CmdFn = async (argv, io, sh) => {
  const { opts, rest } = getopt(argv.slice(1));
  const paths = rest.map((f) => sh.resolvePath(f));
  for (const p of paths) sh.world.vfs.write(p, '', opts.has('a'));
  for (let c = await io.stdin.read(); c !== null; c = await io.stdin.read()) {
    io.out(c);
    for (const p of paths) sh.world.vfs.write(p, c, true);
  }
  return 0;
};

const find: CmdFn = (argv, io, sh) => {
  const args = argv.slice(1);
  const start = args[0] && !args[0].startsWith('-') ? args.shift()! : '.';
  const ni = args.indexOf('-name');
  const re = ni >= 0 ? new RegExp(`^${(args[ni + 1] ?? '*').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`) : undefined;
  const ti = args.indexOf('-type');
  const type = ti >= 0 ? args[ti + 1] : undefined;
  const vfs = sh.world.vfs;
  const walk = (shown: string, real: string) => {
    const s = vfs.stat(real);
    const name = real.slice(real.lastIndexOf('/') + 1) || '/';
    if ((!re || re.test(name)) && (!type || (type === 'd') === (s.type === 'dir'))) io.out(`${shown}\n`);
    if (s.type === 'dir' && !vfs.isLink(real)) for (const k of vfs.list(real)) walk(`${shown === '/' ? '' : shown}/${k}`, `${real === '/' ? '' : real}/${k}`);
  };
  try {
    walk(start, sh.resolvePath(start));
  } catch (e) {
    io.err(`find: ${start}: ${(e as Error).message}\n`);
    return 1;
  }
  return 0;
};

export const FILE_COMMANDS: Record<string, CmdFn> = {
  cat, head, tail, wc, grep, egrep: grep, ls, mkdir, touch, rm, cp, mv: cp, tee, find,
  pwd: (_a, io, sh) => { io.out(`${sh.cwd}\n`); return 0; },
};
