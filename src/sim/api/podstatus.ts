/** The READY / STATUS / RESTARTS cells of `kubectl get pods`, computed as kubectl 1.32's printPod does. */
import type { KObj } from '../types.js';
import { since } from './humanize.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const isRestartableInit = (c: J) => c?.restartPolicy === 'Always';
const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : Date.parse(b) > Date.parse(a) ? b : a);

export interface PodCells { ready: string; status: string; restarts: string }

export function podCells(pod: KObj, now = Date.now()): PodCells {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart: string | undefined;
  let lastRestartableInitRestart: string | undefined;
  let reason: string = st.reason || st.phase || '';
  for (const c of st.conditions ?? []) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  const inits = new Map<string, J>();
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses: J[] = st.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const lt = c.lastState?.terminated;
    if (lt) lastRestart = later(lastRestart, lt.finishedAt);
    if (isRestartableInit(inits.get(c.name))) {
      restartableInitRestarts += c.restartCount ?? 0;
      if (lt) lastRestartableInitRestart = later(lastRestartableInitRestart, lt.finishedAt);
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (isRestartableInit(inits.get(c.name)) && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (wait && wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = (st.conditions ?? []).some((c: J) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const cs: J[] = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const lt = c.lastState?.terminated;
      if (lt) lastRestart = later(lastRestart, lt.finishedAt);
      const wait = c.state?.waiting, term = c.state?.terminated;
      if (wait && wait.reason) reason = wait.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (st.conditions ?? []).some((c: J) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && st.phase !== 'Succeeded' && st.phase !== 'Failed') reason = 'Terminating';

  const restartsStr = restarts !== 0 && lastRestart ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsStr };
}
