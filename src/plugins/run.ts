/**
 * Runs a shell plugin in the background with its output captured: `sh -c COMMAND` with the
 * plugin variables in the environment, bounded output, a timeout, cancellable.
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they came, at most `maxBytes` (the tail is kept). */
  output: string;
  truncated: boolean;
  timedOut: boolean;
  ms: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
  /** Called with each chunk (a pane showing output as it comes). */
  onOutput?: (chunk: string) => void;
}

export function runBackground(command: string, vars: Record<string, string>, o: RunOptions = {}): Promise<RunResult> {
  const max = o.maxBytes ?? 256 * 1024;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      env: { ...(o.env ?? process.env), ...vars },
      cwd: o.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout or cancel ends what it started too.
      detached: true,
    });
    let out = '';
    let truncated = false;
    let timedOut = false;
    const add = (d: Buffer) => {
      const s = d.toString('utf8');
      o.onOutput?.(s);
      out += s;
      if (out.length > max) {
        out = out.slice(out.length - max);
        truncated = true;
      }
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, o.timeoutMs ?? 60_000);
    o.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, signal: null, output: `${out}${e.message}\n`, truncated, timedOut, ms: Date.now() - started });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', kill);
      resolve({ code, signal, output: out, truncated, timedOut, ms: Date.now() - started });
    });
  });
}
