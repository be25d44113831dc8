/**
 * The contract between the simulated kubelet (which decides pod phases and container states)
 * and the streaming parts of the embedded cluster (logs, exec, port-forward, metrics).
 * One ContainerRuntime per cluster; containers are keyed by namespace/pod/container.
 */
import type { KObj } from '../types.js';

export interface ContainerKey { namespace: string; pod: string; container: string }

export interface LogEntry { time: Date; line: string }

export interface Usage { cpuMilli: number; memoryBytes: number }

/** Output sink of a running container command. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface RunningCommand {
  /** Resolves with the exit code (128+signal when killed). */
  exit: Promise<number>;
  kill(signal?: 'SIGTERM' | 'SIGKILL'): void;
}

export interface CommandSpec {
  pod: KObj;
  /** The container spec from pod.spec.containers / initContainers. */
  container: KObj;
  /** command + args, already joined as the runtime would. */
  argv: string[];
  env: Record<string, string>;
}

/**
 * Runs a container's command/args (and exec probes) in the emulated shell. Throws an Error with
 * `code = 'ENOENT'` when the executable is not found (→ StartError / exit 128 at the kubelet).
 */
export interface CommandRunner {
  run(spec: CommandSpec, io: CommandIO): RunningCommand;
}

export interface ContainerRuntime {
  /** Log lines of the running instance, or of the last terminated one with `previous`; undefined if none. */
  logs(key: ContainerKey, previous: boolean): LogEntry[] | undefined;
  /** Follows new lines of the current instance; `cb(null)` when it terminates. Returns an unsubscribe. */
  follow(key: ContainerKey, cb: (e: LogEntry | null) => void): () => void;
  /** Appends a line to the current instance's log (requests served, shell output). */
  appendLog(key: ContainerKey, line: string): void;
  /** Current CPU/memory of a running container; undefined when not running. */
  usage(key: ContainerKey): Usage | undefined;
  /** Adds CPU load (e.g. per request served through port-forward). */
  addLoad(key: ContainerKey, cpuMilliSeconds: number): void;
  /** The loopback TCP port serving this pod's containerPort, when the container listens on it. */
  portFor(namespace: string, pod: string, containerPort: number): number | undefined;
  /** Installs the emulated shell used for container commands and exec probes. */
  setCommandRunner(runner: CommandRunner): void;
}
