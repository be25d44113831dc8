import type { KubeObject } from '../../kube/types.js';
import { parseMemory, formatMemory } from '../../kube/metrics.js';
import type { MemorySeries } from '../snapshot.js';
import { byWorkload, containers, isTerminating, share, sevAll, type Analyzer, type PodHit } from './common.js';

/** Least-squares slope in bytes per second. */
export function slope(series: MemorySeries): number {
  const n = series.length;
  if (n < 2) return 0;
  const t0 = series[0]![0];
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const [t, y] of series) {
    const x = (t - t0) / 1000;
    sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  const d = n * sxx - sx * sx;
  return d === 0 ? 0 : (n * sxy - sx * sy) / d;
}

/** Minutes until the series reaches `limit` at its current slope (undefined when not climbing). */
export function minutesToLimit(series: MemorySeries, limit: number): number | undefined {
  const k = slope(series);
  const last = series[series.length - 1]?.[1];
  if (last === undefined || k <= 0) return undefined;
  // A rise under 1 KiB/s, or under 2 % of the limit over the whole window, is noise (a working set wobbles), not a leak.
  const span = (series[series.length - 1]![0] - series[0]![0]) / 1000;
  if (k < 1024 || k * span < limit * 0.02) return undefined;
  return Math.max(0, (limit - last) / k / 60);
}

function memLimit(pod: KubeObject): number | undefined {
  let total = 0;
  for (const c of (pod.spec?.containers ?? []) as KubeObject[]) {
    const l = c.resources?.limits?.memory;
    if (!l) return undefined;
    total += parseMemory(l);
  }
  return total || undefined;
}

export const oom: Analyzer = {
  category: 'oom',
  explain: 'A container was killed by the kernel OOM killer (reason OOMKilled, exit code 137), or its memory is climbing towards its limit '
    + 'fast enough that it will be ("OOM likely within ~N min", from the metrics trend). The fix is on the workload: raise the memory limit '
    + 'if the usage is legitimate, or find the leak (the previous container\'s log shows what it was doing).',
  analyze(s) {
    const hits: PodHit[] = [];
    const trend = new Map<string, number>();
    const killed = new Set<KubeObject>();
    for (const pod of s.troubledPods()) {
      if (isTerminating(pod)) continue;
      for (const c of containers(pod)) {
        const t = c.status?.lastState?.terminated?.reason === 'OOMKilled' ? c.status.lastState.terminated
          : c.status?.state?.terminated?.reason === 'OOMKilled' ? c.status.state.terminated : undefined;
        if (!t) continue;
        const limit = c.spec?.resources?.limits?.memory;
        hits.push({ pod, since: t.finishedAt, evidence: [
          `pod ${pod.metadata.name} container ${c.name}: OOMKilled (exit code ${t.exitCode ?? 137}), ${c.status?.restartCount ?? 0} restarts, memory limit ${limit ?? 'none'}`,
        ] });
        killed.add(pod);
        break;
      }
    }
    // The trend: only pods with memory samples (a bounded set), not every pod.
    for (const [key, series] of s.memory) {
      if (series.length < 2) continue;
      const [ns, name] = key.split('/') as [string, string];
      const pod = s.get('pods', ns, name);
      if (!pod || killed.has(pod) || isTerminating(pod)) continue;
      const limit = memLimit(pod);
      if (!limit) continue;
      const mins = minutesToLimit(series, limit);
      if (mins === undefined || mins > 30) continue;
      const last = series[series.length - 1]![1];
      trend.set(key, mins);
      hits.push({ pod, evidence: [
        `pod ${pod.metadata.name}: memory ${formatMemory(last)} of ${formatMemory(limit)} limit, climbing ${formatMemory(slope(series) * 60)}/min → limit in ~${Math.max(1, Math.round(mins))} min`,
      ] });
    }
    return byWorkload(s, 'oom', hits, (w, hs, total) => {
      const soon = hs.map((h) => trend.get(`${h.pod.metadata.namespace}/${h.pod.metadata.name}`)).filter((m): m is number => m !== undefined);
      if (soon.length === hs.length) {
        return { severity: 'medium', summary: `${w.kind} ${w.name}: memory climbing towards its limit — OOM likely within ~${Math.max(1, Math.round(Math.min(...soon)))} min` };
      }
      return { severity: sevAll(hs.length, total, 'critical', 'high'), summary: `${w.kind} ${w.name} is being OOMKilled (${share(hs.length, total)}): memory limit too low or a leak` };
    });
  },
};
