/**
 * What the simulated kubelet tracks per pod (PRun) and per container instance (CRun): the state it
 * reports in the pod's status, its timers, servers and running command. Shared by kubelet.ts and the
 * modules it delegates to (probes, status).
 */
import type { KObj } from '../types.js';
import type { Behaviour } from './behaviour.js';
import type { PodServer } from './http-server.js';
import type { RunningCommand } from './types.js';

export interface Terminated { exitCode: number; reason: string; message?: string; startedAt: string; finishedAt: string; containerID?: string; signal?: number }

export interface CRun {
  name: string;
  spec: KObj;
  init: boolean;
  b: Behaviour;
  state: Record<string, unknown>;
  lastState: Record<string, unknown>;
  restartCount: number;
  ready: boolean;
  started: boolean;
  containerID?: string;
  imageID: string;
  everStarted: boolean;
  /** Kubelet back-off for restarts (ms of simulated time; 0 = no entry yet). */
  backoff: number;
  pullBackoff: number;
  /** Wall ms when the current instance started. */
  startedWall: number;
  timers: Array<() => void>;
  servers: Map<number, PodServer>;
  /** Settles once every server of the current instance listens (probes start after it). */
  listening?: Promise<unknown>;
  cmd?: RunningCommand;
  load: Array<{ at: number; milli: number }>;
  done: boolean;
  exitCode?: number;
}

export interface PRun {
  uid: string;
  ns: string;
  name: string;
  node: string;
  pod: KObj;
  inits: CRun[];
  apps: CRun[];
  initDone: boolean;
  sandboxReady: boolean;
  podIP: string;
  hostIP: string;
  startTime: string;
  deleting: boolean;
  /** Deleted while its node was unreachable: removed once the node reports again. */
  removeWhenBack?: boolean;
  terminal?: 'Succeeded' | 'Failed';
  /** Set when the eviction manager evicted the pod: its status reason/message. */
  evicted?: string;
  timers: Array<() => void>;
  dirty: boolean;
  static: boolean;
}
