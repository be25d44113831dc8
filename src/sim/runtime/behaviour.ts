/**
 * Workload behaviour chosen by pod(-template) annotations (documented in
 * docs/workload-behaviours.md). Annotations apply to every app container unless one is
 * named with `sim.kai-tui.dev/behaviour.<container>` (per-container override).
 */
import type { KObj } from '../types.js';
import { parseCpu, parseDuration, parseMemory } from '../controllers/util.js';

export const PREFIX = 'sim.kai-tui.dev/';

export type BehaviourKind = 'healthy' | 'crash' | 'oom' | 'image-pull-error' | 'readiness-fail' | 'liveness-fail' | 'pending' | 'complete' | 'static';

export type Flavour = 'nginx' | 'api' | 'jokes' | 'postgres' | 'redis' | 'worker' | 'batch' | 'generic';

export interface Behaviour {
  kind: BehaviourKind;
  /** When the container exits (crash, complete), in simulated ms after start. */
  exitAfterMs: number;
  exitCode: number;
  /** Memory growth per simulated second (oom). */
  memoryGrowth: number;
  cpuMin: number;
  cpuMax: number;
  memoryBase: number;
  /** Extra log line templates the container prints periodically. */
  logLines: string[];
  /** Simulated ms between periodic log lines. */
  logEveryMs: number;
  /** Image pulls take this long (simulated ms). */
  pullMs: number;
  /** Only for liveness-fail: failing starts after this long running. */
  failAfterMs: number;
  flavour: Flavour;
  /** A container command should run in the emulated shell (no explicit behaviour annotation). */
  explicit: boolean;
}

const KINDS = new Set<BehaviourKind>(['healthy', 'crash', 'oom', 'image-pull-error', 'readiness-fail', 'liveness-fail', 'pending', 'complete', 'static']);

export function flavourOf(image: string, name: string): Flavour {
  const s = `${image} ${name}`.toLowerCase();
  if (s.includes('joke')) return 'jokes';
  if (s.includes('postgres')) return 'postgres';
  if (s.includes('redis')) return 'redis';
  if (s.includes('nginx') || s.includes('frontend') || s.includes('web')) return 'nginx';
  if (s.includes('api') || s.includes('backend') || s.includes('server')) return 'api';
  if (s.includes('worker') || s.includes('consumer')) return 'worker';
  if (s.includes('busybox') || s.includes('batch') || s.includes('backup') || s.includes('report') || s.includes('migrat')) return 'batch';
  return 'generic';
}

const FLAVOUR_MEMORY: Record<Flavour, number> = {
  nginx: 12 * 2 ** 20, api: 96 * 2 ** 20, jokes: 48 * 2 ** 20, postgres: 160 * 2 ** 20, redis: 8 * 2 ** 20,
  worker: 64 * 2 ** 20, batch: 6 * 2 ** 20, generic: 32 * 2 ** 20,
};

/** An image that cannot be pulled: a made-up tag or registry. */
export function imageUnpullable(image: string): boolean {
  return /does-not-exist|doesnotexist|nonexistent|\.invalid\//i.test(image);
}

export function behaviourOf(pod: KObj, container: KObj, init: boolean): Behaviour {
  const a = (pod.metadata.annotations ?? {}) as Record<string, string>;
  const get = (k: string): string | undefined => a[`${PREFIX}${k}.${container.name}`] ?? a[`${PREFIX}${k}`];
  const raw = get('behaviour') ?? get('behavior');
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  let kind: BehaviourKind = raw && KINDS.has(raw as BehaviourKind) ? (raw as BehaviourKind) : restartPolicy === 'Always' ? 'healthy' : 'complete';
  // Init containers run to completion unless told to crash or fail pulling.
  if (init && kind !== 'crash' && kind !== 'image-pull-error') kind = 'complete';
  if (raw && !a[`${PREFIX}behaviour.${container.name}`] && !init) {
    // A pod-wide behaviour meant for the app container: sidecars stay healthy.
    const only = a[`${PREFIX}container`];
    if (only && only !== container.name) kind = restartPolicy === 'Always' ? 'healthy' : 'complete';
  }
  // A command that keeps allocating memory is OOMKilled at its limit (no annotation needed).
  const hog = raw === undefined && !init ? memoryHog(container) : undefined;
  if (hog) kind = hog.growth > 0 ? 'oom' : 'healthy';
  const cpu = (get('cpu') ?? '').split('-');
  const flavour = flavourOf(String(container.image ?? ''), String(container.name ?? ''));
  const cpuMin = parseCpu(cpu[0] || '5m') || 5;
  const cpuMax = Math.max(cpuMin, parseCpu(cpu[1] || cpu[0] || (flavour === 'batch' ? '50m' : '40m')));
  const logs = get('log');
  return {
    kind,
    exitAfterMs: parseDuration(get('crash-after') ?? get('duration') ?? get('complete-after'), kind === 'crash' ? 5_000 : init ? 1_500 : 4_000),
    exitCode: Number(get('exit-code') ?? (kind === 'crash' ? 1 : 0)),
    memoryGrowth: parsePerSecond(get('memory-growth')) || hog?.growth || 20 * 2 ** 20,
    cpuMin,
    cpuMax,
    memoryBase: parseMemory(get('memory')) || hog?.hold || FLAVOUR_MEMORY[flavour],
    logLines: logs ? logs.split('|').map((s) => s.trim()).filter(Boolean) : [],
    logEveryMs: parseDuration(get('log-every'), 5_000),
    pullMs: parseDuration(get('pull-time'), 1_200 + (String(container.image ?? '').length % 7) * 150),
    failAfterMs: parseDuration(get('fail-after'), 20_000),
    flavour,
    explicit: raw !== undefined || hog !== undefined,
  };
}

/**
 * Commands that allocate until the kernel stops them: `tail /dev/zero` (one line that never
 * ends, buffered whole), `stress`/`stress-ng --vm … --vm-bytes N` over the limit, a shell loop
 * growing a variable. Returns how fast memory grows, or undefined for anything else.
 */
export function memoryHog(container: KObj): { growth: number; hold?: number } | undefined {
  const cmd = [...((container.command ?? []) as string[]), ...((container.args ?? []) as string[])].join(' ');
  if (!cmd) return undefined;
  if (/\btail\b[^|;&]*\/dev\/zero/.test(cmd) || /\bcat\b[^|;&]*\/dev\/zero\s*\|\s*tail\b/.test(cmd)) return { growth: 8 * 2 ** 20 }; // slower than the real thing, so the climb shows in the metrics (sampled every few seconds)
  const stress = /\bstress(-ng)?\b.*--vm(?:\s+|=)\d+/.test(cmd);
  if (stress) {
    const bytes = parseMemory((/--vm-bytes(?:\s+|=)(\d+[kKmMgG]?)/.exec(cmd)?.[1] ?? '256M').replace(/([kKmMgG])$/, (u) => `${u.toUpperCase()}i`).replace(/^(\d+)$/, '$1'));
    const limit = parseMemory(container.resources?.limits?.memory);
    // stress holds what it asked for: over the limit it is killed, under it it runs holding it.
    return !limit || bytes >= limit ? { growth: Math.max(bytes / 4, 8 * 2 ** 20) } : { growth: 0, hold: bytes + 2 * 2 ** 20 };
  }
  if (/while\s+(true|:)\s*;\s*do\s+\w+=["']?\$\w+\$\w+/.test(cmd)) return { growth: 4 * 2 ** 20 };
  return undefined;
}

function parsePerSecond(s: string | undefined): number {
  if (!s) return 0;
  return parseMemory(s.replace(/\/s$/, ''));
}
