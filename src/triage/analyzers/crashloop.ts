import type { KubeObject } from '../../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import { byWorkload, containers, eventLines, isTerminating, share, sevAll, type Analyzer, type PodHit } from './common.js';
import { lastErrors } from './logs.js';

/** Restarts per hour since the pod started (an anomaly even before CrashLoopBackOff shows). */
export function restartRate(s: Snapshot, pod: KubeObject, restarts: number): number {
  const start = Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '');
  if (!Number.isFinite(start)) return 0;
  const hours = Math.max((s.now - start) / 3_600_000, 1 / 60);
  return restarts / hours;
}

export function killedByLiveness(s: Snapshot, pod: KubeObject, container: string): boolean {
  return s.events('Pod', pod.metadata.namespace, pod.metadata.name)
    .some((e) => e.reason === 'Killing' && /failed liveness probe/i.test(e.message ?? '') && (e.message ?? '').includes(container));
}

export const crashloop: Analyzer = {
  category: 'crashloop',
  explain: 'A container that keeps exiting and being restarted (CrashLoopBackOff, or three or more restarts after non-zero exits). '
    + 'Pods are grouped under the workload you edit (Deployment, StatefulSet, DaemonSet, Job/CronJob). Exits caused by the kernel OOM killer are '
    + '`oom`, restarts caused by a failing liveness probe are `probe-failure`. The previous container\'s last log lines and exit code usually '
    + 'say why: a bad config value, a missing dependency, a wrong command.',
  analyze(s) {
    const hits: PodHit[] = [];
    for (const pod of s.troubledPods()) {
      if (isTerminating(pod)) continue;
      for (const c of containers(pod)) {
        if (c.init || !c.status) continue;
        const waiting = c.status.state?.waiting;
        const last = c.status.lastState?.terminated;
        const restarts = c.status.restartCount ?? 0;
        const looping = waiting?.reason === 'CrashLoopBackOff' || (restarts >= 3 && last && last.exitCode !== 0);
        if (!looping) continue;
        if (last?.reason === 'OOMKilled' || c.status.state?.terminated?.reason === 'OOMKilled') continue;
        if (killedByLiveness(s, pod, c.name)) continue;
        const rate = restartRate(s, pod, restarts);
        hits.push({
          pod, since: last?.startedAt ?? pod.status?.startTime,
          evidence: [
            `pod ${pod.metadata.name} container ${c.name}: ${waiting?.reason ?? 'restarting'}, ${restarts} restarts (${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/h)`
              + (last ? `, last exit code ${last.exitCode} (${last.reason ?? 'Error'})` : ''),
            ...lastErrors(s, pod, c.name),
            ...eventLines(s, 'Pod', pod.metadata.namespace, pod.metadata.name, /^BackOff$/, 1),
          ],
        });
        break;
      }
    }
    return byWorkload(s, 'crashloop', hits, (w, hs, total) => {
      const exit = hs[0]!.pod.status?.containerStatuses?.find((c: KubeObject) => c.lastState?.terminated)?.lastState?.terminated;
      return {
        severity: sevAll(hs.length, total, 'critical', 'high'),
        summary: `${w.kind} ${w.name} is crash-looping (${share(hs.length, total)})${exit ? `: exits with code ${exit.exitCode}` : ''}`,
      };
    });
  },
};
