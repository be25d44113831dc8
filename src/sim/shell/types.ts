/** What the emulated shell sees of its container: files, env, processes, network. */
import type { Vfs } from './vfs.js';

export interface Proc { pid: number; user: string; cmd: string; startedAt: number; rssKb: number }

export interface HttpResult { status: number; statusText: string; headers: Record<string, string>; body: Buffer; httpVersion: string }

export interface ShellWorld {
  /** busybox (alpine, busybox images) or GNU coreutils + bash (debian-like images). */
  flavor: 'busybox' | 'gnu';
  /** Programs only this image has (redis-cli, psql…), besides the common commands. */
  imageCommands: string[];
  hostname: string;
  podIP: string;
  vfs: Vfs;
  /** The container's environment as the kubelet resolved it. */
  env: Record<string, string>;
  clock: { timeScale: number; now(): number; setTimeout(fn: () => void, simMs: number): () => void };
  startedAt: number;
  processes(): Proc[];
  /** Registers a running exec'd process for `ps`; returns its pid and an unregister function. */
  spawnProc(cmd: string, abort?: () => void): { pid: number; done(): void };
  memory(): { totalKb: number; usedKb: number; limitKb?: number };
  /** An HTTP request as the container would make it (cluster DNS, pods' loopback servers). */
  /** `connectTimeoutMs`: how long a dropped connection (a NetworkPolicy) hangs before ETIMEDOUT (default: the kernel's ~130 s). */
  fetch(url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal; connectTimeoutMs?: number }): Promise<HttpResult>;
  /** Resolves a name like cluster DNS would: service IP, pod IP, or undefined. */
  lookup(host: string): { ip: string; fqdn: string } | undefined;
  /** Signals a process (kill 1 stops the container). */
  kill(pid: number, signal: string): boolean;
}

export interface Input {
  /** Next chunk of input, or null at end of input. */
  read(): Promise<string | null>;
}

export interface Io {
  stdin: Input;
  out(s: string): void;
  err(s: string): void;
  /** Aborted by Ctrl-C or when the container is killed. */
  signal: AbortSignal;
  /** Raw bytes to stdout, when the transport can carry them (binary output such as tar). */
  outBytes?(b: Buffer): void;
  /** Set when stdout is a terminal (interactive exec -t): its width. */
  tty?: { cols: number; rows: number };
}

export const EMPTY_INPUT: Input = { read: async () => null };

export function stringInput(s: string): Input {
  let done = false;
  return { read: async () => (done ? null : ((done = true), s.length ? s : null)) };
}

export async function readAll(input: Input): Promise<string> {
  let s = '';
  for (let c = await input.read(); c !== null; c = await input.read()) s += c;
  return s;
}

/** Thrown by `exit` to unwind to the shell that owns it. */
export class ExitSignal {
  constructor(readonly code: number) {}
}

/** Raised inside a command that was interrupted (Ctrl-C, kill). */
export class Interrupted extends Error {
  constructor(readonly code = 130) { super('interrupted'); }
}
