/** Shell built-ins and tiny utilities: echo, printf, cd, export, test, sleep, read, kill, sh… */
import { Shell } from '../interp.js';
import { IncompleteInput, parse } from '../parser.js';
import { ExitSignal, Interrupted, readAll, type Input, type Io } from '../types.js';
import type { CmdFn } from './types.js';

function unescape(s: string): { text: string; stop: boolean } {
  let stop = false;
  const text = s.replace(/\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'e': return '\x1b';
      case '\\': return '\\';
      case 'c': stop = true; return '';
      case '0': return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
      case 'x': return String.fromCharCode(parseInt(e.slice(1), 16));
      default: return `\\${e}`;
    }
  });
  return { text: stop ? text.slice(0, text.length) : text, stop };
}

const echo: CmdFn = (argv, io, sh) => {
  let args = argv.slice(1);
  let newline = true;
  // dash/busybox echo interpret escapes; bash's needs -e.
  let escapes = sh.name !== 'bash';
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    for (const c of args[0].slice(1)) {
      if (c === 'n') newline = false;
      if (c === 'e') escapes = true;
      if (c === 'E') escapes = false;
    }
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) {
    const u = unescape(text);
    text = u.text;
    if (u.stop) newline = false;
  }
  io.out(text + (newline ? '\n' : ''));
  return 0;
};

const printf: CmdFn = (argv, io) => {
  const fmt = argv[1];
  if (fmt === undefined) {
    io.err('printf: usage: printf format [arguments]\n');
    return 2;
  }
  const args = argv.slice(2);
  let out = '';
  let k = 0;
  do {
    out += unescape(fmt).text.replace(/%([-0-9.]*)([sdifxoc%])/g, (_, flags: string, conv: string) => {
      if (conv === '%') return '%';
      const a = args[k++] ?? '';
      const width = parseInt(flags.replace('-', ''), 10);
      let v: string;
      if (conv === 'd' || conv === 'i') v = String(Math.trunc(Number(a) || 0));
      else if (conv === 'f') v = (Number(a) || 0).toFixed(flags.includes('.') ? Number(flags.split('.')[1]) : 6);
      else if (conv === 'x') v = (Math.trunc(Number(a)) || 0).toString(16);
      else if (conv === 'o') v = (Math.trunc(Number(a)) || 0).toString(8);
      else if (conv === 'c') v = a.slice(0, 1);
      else v = a;
      if (width) v = flags.startsWith('-') ? v.padEnd(width) : v.padStart(width, flags.startsWith('0') && conv !== 's' ? '0' : ' ');
      return v;
    });
  } while (k > 0 && k < args.length);
  io.out(out);
  return 0;
};

const cd: CmdFn = (argv, io, sh) => {
  let target = argv[1] ?? sh.vars.get('HOME') ?? '/';
  if (target === '-') target = sh.vars.get('OLDPWD') ?? sh.cwd;
  const path = sh.resolvePath(target);
  const vfs = sh.world.vfs;
  if (!vfs.exists(path) || vfs.stat(path).type !== 'dir') {
    const why = vfs.exists(path) ? 'Not a directory' : 'No such file or directory';
    io.err(sh.name === 'bash' ? `bash: cd: ${target}: ${why}\n` : `${sh.name}: cd: can't cd to ${target}: ${why}\n`);
    return sh.name === 'bash' ? 1 : 2;
  }
  sh.vars.set('OLDPWD', sh.cwd);
  sh.cwd = path;
  sh.vars.set('PWD', path);
  return 0;
};

const exportCmd: CmdFn = (argv, io, sh) => {
  const args = argv.slice(1).filter((a) => a !== '-n');
  if (!args.length || argv[1] === '-p') {
    for (const k of [...sh.exported].sort()) io.out(`export ${k}='${(sh.vars.get(k) ?? '').replace(/'/g, `'\\''`)}'\n`);
    return 0;
  }
  for (const a of args) {
    const i = a.indexOf('=');
    const k = i < 0 ? a : a.slice(0, i);
    if (i >= 0) sh.vars.set(k, a.slice(i + 1));
    if (argv.includes('-n')) sh.exported.delete(k);
    else sh.exported.add(k);
  }
  return 0;
};

const unset: CmdFn = (argv, _io, sh) => {
  for (const k of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    sh.vars.delete(k);
    sh.exported.delete(k);
  }
  return 0;
};

function testExpr(args: string[], sh: Shell): boolean {
  const vfs = sh.world.vfs;
  const path = (p: string) => sh.resolvePath(p);
  const isType = (p: string, t: string) => vfs.exists(path(p)) && vfs.stat(path(p)).type === t;
  const orParts = splitOn(args, '-o');
  if (orParts.length > 1) return orParts.some((p) => testExpr(p, sh));
  const andParts = splitOn(args, '-a');
  if (andParts.length > 1) return andParts.every((p) => testExpr(p, sh));
  if (args[0] === '!') return !testExpr(args.slice(1), sh);
  if (args[0] === '(' && args[args.length - 1] === ')') return testExpr(args.slice(1, -1), sh);
  if (args.length === 0) return false;
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) {
    const [op, a] = args as [string, string];
    switch (op) {
      case '-z': return a === '';
      case '-n': return a !== '';
      case '-e': return vfs.exists(path(a));
      case '-f': return isType(a, 'file');
      case '-d': return isType(a, 'dir');
      case '-s': return vfs.exists(path(a)) && vfs.stat(path(a)).size > 0;
      case '-r': case '-w': return vfs.exists(path(a));
      case '-x': return vfs.exists(path(a)) && (vfs.stat(path(a)).mode & 0o111) !== 0;
      case '-L': case '-h': return vfs.isLink(path(a));
      default: throw new Error(`${op}: unary operator expected`);
    }
  }
  const [a, op, b] = args as [string, string, string];
  const n = (x: string) => {
    if (!/^\s*-?\d+\s*$/.test(x)) throw new Error(`${x}: integer expression expected`);
    return Number(x);
  };
  switch (op) {
    case '=': case '==': return a === b;
    case '!=': return a !== b;
    case '-eq': return n(a) === n(b);
    case '-ne': return n(a) !== n(b);
    case '-lt': return n(a) < n(b);
    case '-le': return n(a) <= n(b);
    case '-gt': return n(a) > n(b);
    case '-ge': return n(a) >= n(b);
    default: throw new Error(`${op}: binary operator expected`);
  }
}

function splitOn(args: string[], sep: string): string[][] {
  const out: string[][] = [[]];
  for (const a of args) if (a === sep) out.push([]); else out[out.length - 1]!.push(a);
  return out;
}

const test: CmdFn = (argv, io, sh) => {
  let args = argv.slice(1);
  if (argv[0] === '[') {
    if (args[args.length - 1] !== ']') {
      io.err(`${sh.name}: [: missing ]\n`);
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return testExpr(args, sh) ? 0 : 1;
  } catch (e) {
    io.err(`${sh.name}: ${argv[0]}: ${(e as Error).message}\n`);
    return 2;
  }
};

/** Sleeps in simulated time; Ctrl-C or a kill interrupts it. */
export function simSleep(sh: Shell, io: Io, simMs: number): Promise<void> {
  if (io.signal.aborted) return Promise.reject(new Interrupted());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel?.();
      reject(new Interrupted());
    };
    const cancel = Number.isFinite(simMs)
      ? sh.world.clock.setTimeout(() => {
        io.signal.removeEventListener('abort', onAbort);
        resolve();
      }, simMs)
      : undefined;
    io.signal.addEventListener('abort', onAbort, { once: true });
  });
}

const sleep: CmdFn = async (argv, io, sh) => {
  if (argv.length < 2) {
    io.err('sleep: missing operand\n');
    return 1;
  }
  let ms = 0;
  for (const a of argv.slice(1)) {
    if (a === 'infinity' || a === 'inf') { ms = Infinity; continue; }
    const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      io.err(`sleep: invalid number '${a}'\n`);
      return 1;
    }
    ms += Number(m[1]) * { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  }
  await simSleep(sh, io, ms);
  return 0;
};

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, TERM: 15, STOP: 19, CONT: 18 };

const kill: CmdFn = (argv, io, sh) => {
  let sig = 'TERM';
  const args = argv.slice(1);
  if (args[0] === '-l') {
    io.out(`${Object.keys(SIGNALS).join(' ')}\n`);
    return 0;
  }
  if (args[0] === '-s') { sig = (args[1] ?? 'TERM').replace(/^SIG/, ''); args.splice(0, 2); }
  else if (args[0]?.startsWith('-')) {
    const s = args.shift()!.slice(1).replace(/^SIG/, '');
    sig = /^\d+$/.test(s) ? Object.keys(SIGNALS).find((k) => SIGNALS[k] === Number(s)) ?? s : s.toUpperCase();
  }
  if (!args.length) {
    io.err('kill: usage: kill [-s sigspec | -n signum | -sigspec] pid\n');
    return 2;
  }
  let st = 0;
  for (const p of args) {
    if (!/^\d+$/.test(p) || !sh.world.kill(Number(p), sig)) {
      io.err(`${sh.name}: kill: (${p}) - No such process\n`);
      st = 1;
    }
  }
  return st;
};

/** Per-input line buffers so successive `read` calls share what was read ahead. */
const lineBuffers = new WeakMap<Input, { buf: string; eof: boolean }>();

async function readLine(input: Input): Promise<string | null> {
  const st = lineBuffers.get(input) ?? { buf: '', eof: false };
  lineBuffers.set(input, st);
  while (!st.buf.includes('\n') && !st.eof) {
    const c = await input.read();
    if (c === null) st.eof = true;
    else st.buf += c;
  }
  if (!st.buf) return null;
  const i = st.buf.indexOf('\n');
  const line = i < 0 ? st.buf : st.buf.slice(0, i);
  st.buf = i < 0 ? '' : st.buf.slice(i + 1);
  return line;
}

const read: CmdFn = async (argv, _io, sh) => {
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  const line = await readLine(_io.stdin);
  if (line === null) return 1;
  const fields = line.trim().split(/[ \t]+/);
  const vars = names.length ? names : ['REPLY'];
  vars.forEach((n, i) => sh.vars.set(n, i === vars.length - 1 ? fields.slice(i).join(' ') : fields[i] ?? ''));
  return 0;
};

const exit: CmdFn = (argv, io, sh) => {
  const a = argv[1];
  if (a !== undefined && !/^-?\d+$/.test(a)) {
    io.err(`${sh.name}: exit: Illegal number: ${a}\n`);
    throw new ExitSignal(2);
  }
  throw new ExitSignal(a === undefined ? sh.status : ((Number(a) % 256) + 256) % 256);
};

/** sh / bash / ash: a nested shell for -c, a script file, or commands read from stdin. */
const shellCmd: CmdFn = async (argv, io, sh) => {
  const name = argv[0]!.replace(/^.*\//, '');
  const sub = new Shell(sh.world, name);
  sub.vars.clear();
  for (const [k, v] of sh.vars) if (sh.exported.has(k)) sub.vars.set(k, v);
  for (const k of sh.exported) sub.exported.add(k);
  sub.cwd = sh.cwd;
  const args = argv.slice(1);
  let script: string | undefined;
  while (args[0]?.startsWith('-') && args[0] !== '-') {
    const o = args.shift()!;
    if (o.includes('c')) {
      script = args.shift();
      if (script === undefined) {
        io.err(`${name}: -c requires an argument\n`);
        return 2;
      }
    }
  }
  if (script === undefined && args.length) {
    const file = args.shift()!;
    try {
      script = sh.world.vfs.read(sh.resolvePath(file));
    } catch {
      io.err(`${name}: can't open '${file}': No such file or directory\n`);
      return 2;
    }
  } else if (script !== undefined && args.length) {
    // sh -c 'script' name arg1 …: $0 is name.
    args.shift();
  }
  sub.positional = args;
  try {
    if (script !== undefined) return await sub.run(script, io);
    // Commands from stdin run as complete lines arrive, as a real sh does (pipes, attach).
    let buf = '';
    for (let c = await io.stdin.read(); c !== null; c = await io.stdin.read()) {
      buf += c;
      const cut = buf.lastIndexOf('\n');
      if (cut < 0) continue;
      const ready = buf.slice(0, cut + 1);
      if (incomplete(ready)) continue;
      buf = buf.slice(cut + 1);
      await sub.run(ready, { ...io, stdin: io.stdin });
    }
    if (buf.trim()) await sub.run(buf, io);
    return sub.status;
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    throw e;
  }
};

function incomplete(src: string): boolean {
  try {
    parse(src);
    return false;
  } catch (e) {
    return e instanceof IncompleteInput;
  }
}

const execCmd: CmdFn = async (argv, io, sh) => {
  if (argv.length < 2) return 0;
  throw new ExitSignal(await sh.runCommand(argv.slice(1), io));
};

const envCmd: CmdFn = async (argv, io, sh) => {
  const args = argv.slice(1);
  const extra: Record<string, string> = {};
  let clear = false;
  while (args.length) {
    if (args[0] === '-i' || args[0] === '-') { clear = true; args.shift(); continue; }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(args[0]!);
    if (!m) break;
    extra[m[1]!] = m[2]!;
    args.shift();
  }
  const env = { ...(clear ? {} : sh.env()), ...extra };
  if (!args.length) {
    for (const [k, v] of Object.entries(env)) io.out(`${k}=${v}\n`);
    return 0;
  }
  const sub = sh.fork();
  for (const [k, v] of Object.entries(extra)) { sub.vars.set(k, v); sub.exported.add(k); }
  return sub.runCommand(args, io);
};

const printenv: CmdFn = (argv, io, sh) => {
  const env = sh.env();
  if (argv.length < 2) {
    for (const [k, v] of Object.entries(env)) io.out(`${k}=${v}\n`);
    return 0;
  }
  let st = 0;
  for (const k of argv.slice(1)) {
    if (env[k] === undefined) st = 1;
    else io.out(`${env[k]}\n`);
  }
  return st;
};

const which: CmdFn = async (argv, io, sh) => {
  const { COMMANDS } = await import('./index.js');
  let st = 0;
  const v = argv[0] === 'command' || argv[0] === 'type';
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (argv[0] === 'command' && argv[1] !== '-v' && argv[1] !== '-V') return names.length ? sh.runCommand(names, io) : 0;
  for (const n of names) {
    if (!COMMANDS.has(n)) { st = 1; if (argv[0] === 'type') io.err(`${sh.name}: type: ${n}: not found\n`); continue; }
    const path = BUILTIN_NAMES.has(n) ? n : `/bin/${n}`;
    io.out(argv[0] === 'type' ? `${n} is ${BUILTIN_NAMES.has(n) ? 'a shell builtin' : path}\n` : `${v && BUILTIN_NAMES.has(n) ? n : `/bin/${n}`}\n`);
  }
  return st;
};

const BUILTIN_NAMES = new Set(['cd', 'export', 'unset', 'exit', 'read', 'exec', 'set', ':', '.', 'source', 'wait', 'type', 'command', 'alias', 'trap', 'shift']);

const set: CmdFn = (argv, io, sh) => {
  if (argv.length === 1) {
    for (const [k, v] of [...sh.vars].sort()) io.out(`${k}='${v}'\n`);
    return 0;
  }
  // `set -e`, `set -x`…: accepted (options are not modelled); `set -- a b` sets $@.
  const dd = argv.indexOf('--');
  if (dd >= 0) sh.positional = argv.slice(dd + 1);
  return 0;
};

const shift: CmdFn = (argv, _io, sh) => {
  sh.positional = sh.positional.slice(Number(argv[1] ?? 1));
  return 0;
};

const source: CmdFn = async (argv, io, sh) => {
  const file = argv[1];
  if (!file) return 0;
  let src: string;
  try {
    src = sh.world.vfs.read(sh.resolvePath(file));
  } catch {
    io.err(`${sh.name}: .: can't open '${file}'\n`);
    return 2;
  }
  return sh.run(src, io);
};

export const BUILTINS: Record<string, CmdFn> = {
  echo, printf, cd, export: exportCmd, unset, test, '[': test, sleep, kill, read, exit, exec: execCmd,
  sh: shellCmd, bash: shellCmd, ash: shellCmd, dash: shellCmd, env: envCmd, printenv, which, command: which, type: which,
  set, shift, source, '.': source,
  true: () => 0, false: () => 1, ':': () => 0, wait: () => 0, trap: () => 0, alias: () => 0,
  clear: (_a, io) => { io.out('\x1b[H\x1b[2J'); return 0; },
};
