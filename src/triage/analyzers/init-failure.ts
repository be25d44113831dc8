import { byWorkload, containers, isTerminating, share, sevAll, short, type Analyzer, type PodHit } from './common.js';
import { lastErrors } from './logs.js';

export const initFailure: Analyzer = {
  category: 'init-failure',
  explain: 'An init container fails (exits non-zero, or crash-loops as Init:CrashLoopBackOff), so the app containers never start. '
    + 'Its log says why (a migration failing, a dependency not reachable, a wrong command). The fix goes in the workload\'s pod template.',
  analyze(s) {
    const hits: PodHit[] = [];
    for (const pod of s.troubledPods()) {
      if (isTerminating(pod) || pod.status?.phase === 'Succeeded') continue;
      for (const c of containers(pod)) {
        if (!c.init || !c.status) continue;
        const term = c.status.state?.terminated ?? c.status.lastState?.terminated;
        const waiting = c.status.state?.waiting;
        const failing = waiting?.reason === 'CrashLoopBackOff' || (term && term.exitCode !== 0 && !c.status.ready);
        if (!failing) continue;
        hits.push({ pod, since: term?.finishedAt, evidence: [
          `pod ${pod.metadata.name} init container ${c.name}: ${waiting?.reason ?? 'failed'}${term ? `, exit code ${term.exitCode} (${term.reason ?? 'Error'})` : ''}, ${c.status.restartCount ?? 0} restarts`,
          ...(term?.message ? [`status: ${short(term.message)}`] : []),
          ...lastErrors(s, pod, c.name),
        ] });
        break;
      }
    }
    return byWorkload(s, 'init-failure', hits, (w, hs, total) => {
      const name = containers(hs[0]!.pod).find((c) => c.init && c.status && !c.status.ready)?.name;
      return { severity: sevAll(hs.length, total, 'critical', 'high'), summary: `${w.kind} ${w.name}: init container ${name ?? '?'} fails, the app never starts (${share(hs.length, total)})` };
    });
  },
};
