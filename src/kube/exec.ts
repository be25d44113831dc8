/**
 * An interactive shell in a container, connected exactly as the user's kubectl would: a pty
 * running `kubectl exec -it … -- sh` with the cockpit's kubeconfig files and
 * context. Without kubectl on PATH, client-node's Exec over WebSocket with a tty (no pty needed:
 * the API server's tty does the line discipline).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';

export interface ShellTarget {
  namespace: string;
  pod: string;
  container?: string;
  context: string;
  /** The kubeconfig files the cockpit loaded (KUBECONFIG-style list when more than one). */
  kubeconfigFiles: string[];
  /** Not a container: a local `sh -c command` in a pty (a user plugin run in the shell pane). */
  local?: { command: string; env: Record<string, string> };
}

export type ShellVia = 'kubectl' | 'websocket';

/** client-node's KubeConfig, or the cockpit's parsed kubeconfig that can become one. */
export type KubeConfigLike = KubeConfig | { toClientNode(): Promise<KubeConfig> };

export async function clientNodeConfig(kc: KubeConfigLike): Promise<KubeConfig> {
  return 'toClientNode' in kc && typeof kc.toClientNode === 'function' ? kc.toClientNode() : (kc as KubeConfig);
}

/** A running shell: bytes in and out, a size, and how it ended. */
export interface ShellConnection {
  readonly via: ShellVia;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onData(fn: (data: string) => void): void;
  /** `code` is the shell's exit code when known; `detail` says why it ended otherwise. */
  onExit(fn: (code: number | undefined, detail?: string) => void): void;
  kill(): void;
}

/**
 * Plain `sh`: every image with a shell has it. (`sh -c "command -v bash … && exec bash || exec sh"`
 * would prefer bash on real clusters, but the embedded cluster's emulated shell only becomes an
 * interactive terminal shell for a bare `sh`/`bash`, so the demo would lose its prompt.)
 */
export const SHELL_COMMAND = ['sh'];

/** The kubectl argument list (and environment additions) for a tty exec into `t`. */
export function kubectlExecArgs(t: ShellTarget): { args: string[]; env: Record<string, string> } {
  const args = ['exec', '-it', '-n', t.namespace, t.pod];
  if (t.container) args.push('-c', t.container);
  args.push('--context', t.context);
  const env: Record<string, string> = {};
  // One file: --kubeconfig as asked. Several: kubectl merges KUBECONFIG the same way we did.
  if (t.kubeconfigFiles.length === 1) args.push('--kubeconfig', t.kubeconfigFiles[0]!);
  else if (t.kubeconfigFiles.length > 1) env.KUBECONFIG = t.kubeconfigFiles.join(delimiter);
  args.push('--', ...SHELL_COMMAND);
  return { args, env };
}

/** The kubectl executable on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const f = join(dir, name);
    try {
      accessSync(f, constants.X_OK);
      return f;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface StartShellOptions {
  cols: number;
  rows: number;
  env?: NodeJS.ProcessEnv;
  /** Forces the WebSocket path (tests, or KAI_TUI_SHELL_VIA=websocket). */
  via?: ShellVia;
}

export async function startShell(t: ShellTarget, kc: KubeConfigLike, o: StartShellOptions): Promise<ShellConnection> {
  const env = o.env ?? process.env;
  if (t.local) return startLocal(t.local, o, env);
  const forced = o.via ?? (env.KAI_TUI_SHELL_VIA === 'websocket' ? 'websocket' : undefined);
  const kubectl = forced === 'websocket' ? undefined : findOnPath('kubectl', env);
  if (kubectl) return startKubectl(kubectl, t, o, env);
  return startWebSocket(t, kc, o);
}

/** A local command in a pty (same connection shape as kubectl exec). */
async function startLocal(l: NonNullable<ShellTarget['local']>, o: StartShellOptions, env: NodeJS.ProcessEnv): Promise<ShellConnection> {
  const pty = await import('node-pty');
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  Object.assign(childEnv, l.env, { TERM: 'xterm-256color' });
  const p = pty.spawn('/bin/sh', ['-c', l.command], { name: 'xterm-256color', cols: o.cols, rows: o.rows, env: childEnv });
  let exited = false;
  return {
    via: 'kubectl',
    write: (d) => { if (!exited) p.write(d); },
    resize: (c, r) => { if (!exited) p.resize(Math.max(1, c), Math.max(1, r)); },
    onData: (fn) => { p.onData(fn); },
    onExit: (fn) => { p.onExit(({ exitCode, signal }) => { exited = true; fn(signal ? undefined : exitCode, signal ? `killed by signal ${signal}` : undefined); }); },
    kill: () => { if (!exited) { exited = true; try { p.kill(); } catch { /* already gone */ } } },
  };
}

async function startKubectl(kubectl: string, t: ShellTarget, o: StartShellOptions, env: NodeJS.ProcessEnv): Promise<ShellConnection> {
  const pty = await import('node-pty');
  const { args, env: extra } = kubectlExecArgs(t);
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  Object.assign(childEnv, extra, { TERM: 'xterm-256color' });
  const p = pty.spawn(kubectl, args, { name: 'xterm-256color', cols: o.cols, rows: o.rows, env: childEnv });
  let exited = false;
  return {
    via: 'kubectl',
    write: (d) => { if (!exited) p.write(d); },
    resize: (c, r) => { if (!exited) p.resize(Math.max(1, c), Math.max(1, r)); },
    onData: (fn) => { p.onData(fn); },
    onExit: (fn) => { p.onExit(({ exitCode, signal }) => { exited = true; fn(signal ? undefined : exitCode, signal ? `killed by signal ${signal}` : undefined); }); },
    kill: () => { if (!exited) { exited = true; try { p.kill(); } catch { /* already gone */ } } },
  };
}

/** stdout for client-node: a tty-sized stream (columns/rows + 'resize' make it send resizes). */
class SizedOutput extends Writable {
  columns: number;
  rows: number;
  constructor(cols: number, rows: number, private readonly sink: (s: string) => void) {
    super({ decodeStrings: false });
    this.columns = cols;
    this.rows = rows;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.sink(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    cb();
  }
  setSize(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

async function startWebSocket(t: ShellTarget, kc: KubeConfigLike, o: StartShellOptions): Promise<ShellConnection> {
  const dataFns: Array<(d: string) => void> = [];
  const exitFns: Array<(c: number | undefined, d?: string) => void> = [];
  const pending: string[] = [];
  const emit = (s: string) => { if (dataFns.length) for (const f of dataFns) f(s); else pending.push(s); };
  let ended: { code: number | undefined; detail?: string } | undefined;
  const end = (code: number | undefined, detail?: string) => {
    if (ended) return;
    ended = { code, detail };
    for (const f of exitFns) f(code, detail);
  };
  const stdout = new SizedOutput(o.cols, o.rows, emit);
  const stdin = new PassThrough();
  // Loaded here, not at import: client-node takes about a second to load.
  const { Exec } = await import('@kubernetes/client-node');
  const exec = new Exec(await clientNodeConfig(kc));
  const ws = await exec.exec(t.namespace, t.pod, t.container ?? '', SHELL_COMMAND, stdout, stdout, stdin, true, (s: V1Status) => {
    end(exitCodeOf(s), s.status === 'Success' ? undefined : s.message);
  });
  ws.on('close', () => end(undefined, 'connection closed'));
  ws.on('error', (err: Error) => end(undefined, err.message));
  return {
    via: 'websocket',
    write: (d) => { if (!ended) stdin.write(d); },
    resize: (c, r) => stdout.setSize(Math.max(1, c), Math.max(1, r)),
    onData: (fn) => { dataFns.push(fn); for (const s of pending.splice(0)) fn(s); },
    onExit: (fn) => { exitFns.push(fn); if (ended) fn(ended.code, ended.detail); },
    kill: () => { end(undefined, 'closed'); try { ws.close(); } catch { /* already closed */ } },
  };
}

/** The exit code in an exec Status: 0 on Success, else the ExitCode cause (NonZeroExitCode). */
export function exitCodeOf(s: V1Status): number | undefined {
  if (s.status === 'Success') return 0;
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
  const n = cause?.message !== undefined ? Number(cause.message) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

export interface PodLike {
  metadata: { name?: string; namespace?: string; annotations?: Record<string, string>; ownerReferences?: Array<{ kind?: string; name?: string }> };
  spec?: { containers?: Array<{ name: string }> };
  status?: { phase?: string; containerStatuses?: Array<{ name: string; state?: { running?: unknown } }> };
}

/** The container a shell should open in: -c as given, the default-container annotation, or the only one. */
export function defaultContainer(pod: PodLike): string | undefined {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) return annotated;
  return names.length === 1 ? names[0] : undefined;
}

/** Running pods selected by a workload's `spec.selector.matchLabels`, first one running first. */
export async function runningPodFor(kc: KubeConfigLike, namespace: string, matchLabels: Record<string, string>): Promise<PodLike | undefined> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const api = (await clientNodeConfig(kc)).makeApiClient(CoreV1Api);
  const labelSelector = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
  if (!labelSelector) return undefined;
  const list = await api.listNamespacedPod({ namespace, labelSelector });
  const pods = list.items as unknown as PodLike[];
  return pods.find((p) => p.status?.phase === 'Running' && !(p.metadata as { deletionTimestamp?: unknown }).deletionTimestamp) ?? undefined;
}

/** One pod, read from the API server (for a pod or container row of the ownership tree). */
export async function readPod(kc: KubeConfigLike, namespace: string, name: string): Promise<PodLike> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  return (await (await clientNodeConfig(kc)).makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name })) as unknown as PodLike;
}
