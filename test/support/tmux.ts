/**
 * Drives a real terminal: each Tmux has its own tmux server (`tmux -L kai-<random>`, no user
 * config), a fixed size, send-keys, and capture-pane polling until the screen shows what a
 * test waits for. The server is killed in t.teardown.
 *
 *   const tm = await Tmux.start(t, ['node', 'bin/kai-tui', '--kubeconfig', kc], { env });
 *   await tm.waitFor('CrashLoopBackOff');
 *   tm.keys('/', ...); tm.type('web'); tm.keys('Enter');
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';

export interface TmuxOptions {
  env?: Record<string, string | undefined>;
  width?: number;
  height?: number;
  cwd?: string;
}

export class Tmux {
  private constructor(readonly socket: string) {}

  static async start(t: ExecutionContext, argv: string[], opts: TmuxOptions = {}): Promise<Tmux> {
    const socket = `kai-${randomBytes(6).toString('hex')}`;
    const tm = new Tmux(socket);
    t.teardown(() => tm.kill());
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, TERM: 'xterm-256color' };
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];
    delete env.TMUX;
    const command = argv.map(shellQuote).join(' ');
    execFileSync('tmux', [
      '-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main',
      '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 40),
      // Keep the pane after the program exits so a crash stays readable.
      `${command}; echo "[exit $?]"; sleep 600`,
    ], { env, cwd: opts.cwd, stdio: 'ignore' });
    execFileSync('tmux', ['-L', socket, 'set-option', '-g', 'status', 'off'], { stdio: 'ignore' });
    return tm;
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The visible screen as text. */
  capture(): string {
    try {
      return this.tmux(['capture-pane', '-p', '-t', 'main']);
    } catch {
      return '';
    }
  }

  /** tmux key names: 'Enter', 'Escape', 'C-c', 'Down', 'Tab', 'j', … */
  keys(...keys: string[]): void {
    for (const k of keys) this.tmux(['send-keys', '-t', 'main', k]);
  }

  /** Any tmux command on this test's server (e.g. several keys in one send-keys: one read for the program). */
  tmuxRaw(args: string[]): string {
    return this.tmux(args);
  }

  /** Literal text (no key-name lookup). */
  type(text: string): void {
    this.tmux(['send-keys', '-t', 'main', '-l', '--', text]);
  }

  resize(width: number, height: number): void {
    this.tmux(['resize-window', '-t', 'main', '-x', String(width), '-y', String(height)]);
  }

  /** Polls the screen until `what` is on it; throws with the last screen on timeout. */
  async waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const test = typeof what === 'function' ? what : typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
    const until = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = this.capture();
      if (test(screen)) {
        // A big frame can reach tmux in several reads; a capture between them shows half a
        // frame. Take the screen again a moment later and keep it if it still matches.
        await new Promise((r) => setTimeout(r, 60));
        const settled = this.capture();
        if (test(settled)) return settled;
        continue;
      }
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(what)}; the screen was:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Polls until `what` is gone. */
  async waitGone(what: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const has = typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
    return this.waitFor((s) => !has(s), timeoutMs);
  }

  /** The line of the screen that contains `text` (for asserting on one table row). */
  line(screen: string, text: string): string | undefined {
    return screen.split('\n').find((l) => l.includes(text));
  }

  kill(): void {
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind when the server is killed.
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
