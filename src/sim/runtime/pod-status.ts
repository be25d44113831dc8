/**
 * The pod status a kubelet writes: phase, the five conditions (keeping each one's transition time while
 * its status holds), IPs, and every container's state, last state, readiness and restarts — from what
 * the simulated kubelet tracks (kubelet-types.ts).
 */
import type { KObj } from '../types.js';
import { nowIso } from '../controllers/util.js';
import type { CRun, PRun } from './kubelet-types.js';

export function containerStatus(c: CRun): KObj {
  return {
    name: c.name,
    state: c.state,
    lastState: c.lastState,
    ready: c.ready,
    restartCount: c.restartCount,
    image: String(c.spec.image ?? ''),
    imageID: c.imageID,
    ...(c.containerID ? { containerID: c.containerID } : {}),
    started: c.started,
  } as unknown as KObj;
}

export function podStatus(run: PRun, cur: KObj): Record<string, unknown> {
  const prev = (cur.status?.conditions ?? []) as KObj[];
  const now = nowIso();
  const cond = (type: string, ok: boolean, reason?: string, message?: string): KObj => {
    const p = prev.find((x) => x.type === type);
    const status = ok ? 'True' : 'False';
    return {
      type, status, lastProbeTime: null,
      lastTransitionTime: p && p.status === status ? p.lastTransitionTime : now,
      ...(reason ? { reason } : {}), ...(message ? { message } : {}),
    } as unknown as KObj;
  };
  const phase = run.terminal ?? (run.initDone && run.apps.some((c) => c.everStarted) ? 'Running' : 'Pending');
  const unready = run.apps.filter((c) => !c.ready).map((c) => c.name);
  const incompleteInit = run.inits.filter((c) => !c.done).map((c) => c.name);
  const terminal = !!run.terminal;
  const readyReason = terminal ? 'PodCompleted' : unready.length ? 'ContainersNotReady' : undefined;
  const readyMsg = !terminal && unready.length ? `containers with unready status: [${unready.join(' ')}]` : undefined;
  const conditions = [
    cond('PodReadyToStartContainers', run.sandboxReady && !terminal),
    cond('Initialized', run.initDone, run.initDone ? (terminal && run.inits.length ? 'PodCompleted' : undefined) : 'ContainersNotInitialized',
      run.initDone ? undefined : `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    cond('Ready', !terminal && unready.length === 0, readyReason, readyMsg),
    cond('ContainersReady', !terminal && unready.length === 0, readyReason, readyMsg),
    cond('PodScheduled', true),
  ];
  const apps = run.apps.map((c) => containerStatus(c)).sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    phase,
    ...(run.evicted ? { reason: 'Evicted', message: run.evicted } : {}),
    conditions,
    hostIP: run.hostIP,
    hostIPs: [{ ip: run.hostIP }],
    ...(run.sandboxReady || run.static ? { podIP: run.podIP, podIPs: [{ ip: run.podIP }] } : {}),
    startTime: run.startTime,
    ...(run.inits.length ? { initContainerStatuses: run.inits.map((c) => containerStatus(c)) } : {}),
    containerStatuses: apps,
    qosClass: cur.status?.qosClass ?? 'BestEffort',
  };
}
