/**
 * Pods exactly as `kubectl get pods -o wide` prints NAME READY STATUS RESTARTS AGE IP NODE
 * (the STATUS logic follows printPod in kubernetes/pkg/printers/internalversion/printers.go).
 */
import type { KubeObject } from '../../kube/types.js';
import { AGE, NAME, humanDuration, num, timestamp } from './format.js';
import type { Health, KindView } from './types.js';

export interface PodSummary {
  ready: number;
  total: number;
  status: string;
  restarts: number;
  /** Time of the most recent container restart (ms), for "3 (2m ago)". */
  lastRestart?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function terminatedReason(t: Any, prefix: string): string {
  if (t.reason) return prefix + t.reason;
  if (t.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${num(t.exitCode)}`;
}

export function podSummary(pod: KubeObject): PodSummary {
  const spec: Any = pod.spec ?? {};
  const status: Any = pod.status ?? {};
  const initSpecs: Any[] = spec.initContainers ?? [];
  const restartable = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = (spec.containers ?? []).length + restartable.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  const noteRestart = (cs: Any) => {
    const t = timestamp(cs.lastState?.terminated?.finishedAt);
    if (t !== undefined && (lastRestart === undefined || t > lastRestart)) lastRestart = t;
  };

  let reason: string = status.phase ?? '';
  if (status.reason) reason = status.reason;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  let sidecarRestarts = 0;
  const initStatuses: Any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += num(cs.restartCount);
    if (cs.lastState?.terminated) noteRestart(cs);
    if (restartable.has(cs.name)) {
      sidecarRestarts += num(cs.restartCount);
      if (cs.started) {
        if (cs.ready) ready++;
        continue;
      }
    }
    const st = cs.state ?? {};
    if (st.terminated && num(st.terminated.exitCode) === 0) continue;
    if (st.terminated) reason = terminatedReason(st.terminated, 'Init:');
    else if (st.waiting?.reason && st.waiting.reason !== 'PodInitializing') reason = `Init:${st.waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  const initializedTrue = (status.conditions ?? []).some((c: Any) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    let hasRunning = false;
    const statuses: Any[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += num(cs.restartCount);
      if (cs.lastState?.terminated) noteRestart(cs);
      const st = cs.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated) reason = terminatedReason(st.terminated, '');
      else if (cs.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';

  return { ready, total, status: reason, restarts, lastRestart };
}

const OK_STATUSES = new Set(['Running']);
const MUTED_STATUSES = new Set(['Completed', 'Succeeded', 'Terminating']);
const WARN_STATUSES = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'NotReady', 'SchedulingGated', 'Unknown']);

export function podHealth(pod: KubeObject): Health {
  const s = cachedSummary(pod);
  if (MUTED_STATUSES.has(s.status)) return 'muted';
  if (OK_STATUSES.has(s.status)) return s.ready === s.total ? 'ok' : 'warn';
  if (WARN_STATUSES.has(s.status) || /^Init:\d+\/\d+$/.test(s.status)) return 'warn';
  return 'error';
}

export function restartsText(s: PodSummary, now: number): string {
  if (s.lastRestart !== undefined && s.restarts > 0) return `${s.restarts} (${humanDuration(now - s.lastRestart)} ago)`;
  return String(s.restarts);
}

// Pod rows are rendered for every visible pod each frame; the summary is cached per object
// (the cache replaces an object on every change, so identity is a safe key).
const summaries = new WeakMap<KubeObject, PodSummary>();
export function cachedSummary(pod: KubeObject): PodSummary {
  let s = summaries.get(pod);
  if (!s) {
    s = podSummary(pod);
    summaries.set(pod, s);
  }
  return s;
}

export const podsView: KindView = {
  columns: [
    NAME,
    { name: 'READY', min: 5, max: 7, value: (o) => { const s = cachedSummary(o); return `${s.ready}/${s.total}`; } },
    { name: 'STATUS', min: 18, max: 26, value: (o) => cachedSummary(o).status },
    { name: 'RESTARTS', min: 8, max: 14, value: (o, ctx) => restartsText(cachedSummary(o), ctx.now), sortKey: (o) => cachedSummary(o).restarts },
    AGE,
    { name: 'IP', min: 10, max: 39, keep: 'wide', value: (o) => o.status?.podIP ?? '<none>' },
    { name: 'NODE', min: 8, max: 63, keep: 'wide', value: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  health: podHealth,
};
