/**
 * One `kubectl exec`/`attach` session in the emulated shell, independent of the wire protocol:
 * an interactive shell on a terminal (prompt, line editing, Ctrl-C, Ctrl-D, resize), a shell
 * reading a script from stdin, or a single command with streamed stdin.
 */
import { Shell } from './interp.js';
import { LineEditor } from './line-editor.js';
import { IncompleteInput, parse } from './parser.js';
import { EMPTY_INPUT, ExitSignal, Interrupted, type Input, type Io, type ShellWorld } from './types.js';
import { COMMANDS } from './commands/index.js';

/** Input fed from the network: chunks are queued until read; end() marks EOF. */
export class StreamInput implements Input {
  private readonly queue: string[] = [];
  private waiter?: (v: string | null) => void;
  private ended = false;

  push(s: string): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(s);
    } else this.queue.push(s);
  }

  end(): void {
    this.ended = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(null);
    }
  }

  read(): Promise<string | null> {
    if (this.queue.length) return Promise.resolve(this.queue.shift()!);
    if (this.ended) return Promise.resolve(null);
    return new Promise((r) => (this.waiter = r));
  }
}

export interface SessionOptions {
  world: ShellWorld;
  argv: string[];
  tty: boolean;
  /** Terminal input (keys with tty, data without); undefined when stdin was not requested. */
  stdin?: StreamInput;
  out(s: string): void;
  /** Raw stdout bytes (non-tty sessions), for binary output such as `tar cf -`. */
  outBytes?(b: Buffer): void;
  err(s: string): void;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** Thrown when the executable does not exist (the runtime reports it, not a shell). */
export class ExecNotFound extends Error {
  constructor(readonly executable: string) { super(`exec: "${executable}": executable file not found in $PATH`); }
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);

export interface ExecSession {
  exit: Promise<number>;
  resize(cols: number, rows: number): void;
}

export function startSession(o: SessionOptions): ExecSession {
  const name = (o.argv[0] ?? '').replace(/^.*\//, '');
  if (!COMMANDS.has(name) && !o.world.imageCommands.includes(name)) throw new ExecNotFound(o.argv[0] ?? '');
  const size = { cols: 80, rows: 24 };
  // A terminal turns \n into \r\n (onlcr); the client's terminal is in raw mode.
  const tout = o.tty ? (s: string) => o.out(s.replace(/\r?\n/g, '\r\n')) : o.out;
  const terr = o.tty ? tout : o.err;
  const interactive = o.tty && SHELLS.has(name) && o.argv.length === 1 && !!o.stdin;
  // `kill <pid>` from another exec ends this session as SIGTERM would (exit 143).
  const killer = new AbortController();
  const proc = o.world.spawnProc(o.argv.join(' '), () => killer.abort());
  const signal = AbortSignal.any([o.signal, killer.signal]);
  const exit = (interactive ? interactiveShell({ ...o, signal }, name, size, tout) : runOnce({ ...o, signal }, size, tout, terr))
    .then((code) => (killer.signal.aborted ? 143 : code))
    .finally(() => proc.done());
  return { exit, resize: (c, r) => { size.cols = c; size.rows = r; } };
}

async function runOnce(o: SessionOptions, size: { cols: number; rows: number }, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const sh = new Shell(o.world, 'sh');
  const ac = new AbortController();
  o.signal.addEventListener('abort', () => ac.abort(), { once: true });
  let stdin: Input = o.stdin ?? EMPTY_INPUT;
  if (o.tty && o.stdin) {
    // A terminal in cooked mode: Ctrl-C interrupts, Ctrl-D ends input, lines are echoed.
    const raw = o.stdin;
    const cooked = new StreamInput();
    let line = '';
    void (async () => {
      for (let c = await raw.read(); c !== null; c = await raw.read()) {
        for (const ch of c) {
          if (ch === '\x03') { out('^C\n'); ac.abort(); }
          else if (ch === '\x04') cooked.end();
          else if (ch === '\r' || ch === '\n') { out('\n'); cooked.push(`${line}\n`); line = ''; }
          else if (ch === '\x7f') { if (line) { line = line.slice(0, -1); out('\b \b'); } }
          else if (ch >= ' ') { line += ch; out(ch); }
        }
      }
      cooked.end();
    })().catch(() => {});
    stdin = cooked;
  }
  const io: Io = { stdin, out, err, signal: ac.signal, tty: o.tty ? size : undefined, outBytes: o.tty ? undefined : o.outBytes };
  try {
    return await sh.runCommand(o.argv, io);
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    if (e instanceof Interrupted) return e.code;
    throw e;
  }
}

/** Command names for the first word, paths in the container's filesystem otherwise. */
function completions(sh: Shell, word: string, first: boolean): string[] {
  if (first && !word.includes('/')) {
    return [...new Set([...COMMANDS.keys(), ...sh.world.imageCommands])].filter((c) => c.startsWith(word) && /^[a-z]/.test(c)).sort();
  }
  const cut = word.lastIndexOf('/');
  const dirPart = cut >= 0 ? word.slice(0, cut + 1) : '';
  const base = word.slice(cut + 1);
  try {
    const dir = sh.resolvePath(dirPart || '.');
    return sh.world.vfs.list(dir).filter((n) => n.startsWith(base) && (base.startsWith('.') || !n.startsWith('.')))
      .map((n) => `${dirPart}${n}${sh.world.vfs.stat(`${dir === '/' ? '' : dir}/${n}`).type === 'dir' ? '/' : ''}`);
  } catch {
    return [];
  }
}

function promptFor(sh: Shell): string {
  const w = sh.world;
  if (w.flavor === 'busybox') return `${sh.cwd} # `;
  const home = sh.vars.get('HOME') ?? '/root';
  const cwd = sh.cwd === home ? '~' : sh.cwd.startsWith(`${home}/`) ? `~${sh.cwd.slice(home.length)}` : sh.cwd;
  return `root@${w.hostname}:${cwd}# `;
}

function interactiveShell(o: SessionOptions, name: string, size: { cols: number; rows: number }, out: (s: string) => void): Promise<number> {
  const sh = new Shell(o.world, o.world.flavor === 'gnu' && name === 'sh' ? 'sh' : name);
  return new Promise<number>((resolve) => {
    let pending = '';
    let running: { ac: AbortController; input: StreamInput } | undefined;
    let done = false;
    let stdinClosed = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      resolve(code);
    };
    const editor = new LineEditor((s) => o.out(s), {
      line: (text) => void submit(text).catch(() => finish(1)),
      interrupt: () => {
        pending = '';
        sh.status = 130;
        editor.start(promptFor(sh));
      },
      eof: () => {
        if (pending) return;
        o.out(sh.name === 'bash' ? 'exit\r\n' : '\r\n');
        finish(sh.status);
      },
      clear: () => {},
      complete: (word, first) => completions(sh, word, first),
    });
    const submit = async (text: string) => {
      const src = pending ? `${pending}\n${text}` : text;
      try {
        parse(src);
      } catch (e) {
        if (e instanceof IncompleteInput) {
          pending = src;
          editor.start('> ');
          return;
        }
      }
      pending = '';
      const ac = new AbortController();
      running = { ac, input: new StreamInput() };
      const io: Io = { stdin: running.input, out, err: out, signal: ac.signal, tty: size };
      try {
        await sh.run(src, io);
      } catch (e) {
        if (e instanceof ExitSignal) {
          running = undefined;
          return finish(e.code);
        }
        out(`${sh.name}: ${(e as Error).message}\n`);
      }
      running = undefined;
      if (stdinClosed) return finish(sh.status);
      if (!done) editor.start(promptFor(sh));
    };
    o.signal.addEventListener('abort', () => {
      running?.ac.abort();
      finish(129);
    }, { once: true });
    editor.start(promptFor(sh));
    void (async () => {
      let line = '';
      for (let c = await o.stdin!.read(); c !== null && !done; c = await o.stdin!.read()) {
        if (!running) {
          editor.feed(c);
          continue;
        }
        // A command is running: the terminal is in cooked mode for it.
        for (const ch of c) {
          if (!running) { editor.feed(ch); continue; }
          if (ch === '\x03') { out('^C\n'); running.ac.abort(); line = ''; }
          else if (ch === '\x04') running.input.end();
          else if (ch === '\r' || ch === '\n') { out('\n'); running.input.push(`${line}\n`); line = ''; }
          else if (ch === '\x7f') { if (line) { line = line.slice(0, -1); out('\b \b'); } }
          else if (ch >= ' ') { line += ch; out(ch); }
        }
      }
      // Client closed stdin: the shell sees EOF.
      stdinClosed = true;
      if (!done && !running) finish(sh.status);
      else running?.input.end();
    })().catch(() => {});
  });
}
