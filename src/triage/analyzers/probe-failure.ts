import type { KubeObject } from '../../kube/types.js';
import { byWorkload, containers, isTerminating, short, share, type Analyzer, type PodHit } from './common.js';
import { killedByLiveness } from './crashloop.js';

/** A probe pointed at a port the container does not declare: the root cause, spelled out. */
function probePortProblem(c: KubeObject | undefined, kind: 'readinessProbe' | 'livenessProbe'): string | undefined {
  const p = c?.[kind];
  const port = p?.httpGet?.port ?? p?.tcpSocket?.port;
  if (port === undefined) return undefined;
  const ports = (c?.ports ?? []) as KubeObject[];
  if (typeof port === 'string' && !/^\d+$/.test(port)) {
    return ports.some((x) => x.name === port) ? undefined : `${kind} uses named port '${port}' that container ${c?.name} does not declare`;
  }
  if (ports.length && !ports.some((x) => x.containerPort === Number(port))) {
    return `${kind} checks port ${port} but container ${c?.name} listens on ${ports.map((x) => x.containerPort).join(', ')}`;
  }
  return undefined;
}

export const probeFailure: Analyzer = {
  category: 'probe-failure',
  explain: 'Readiness or liveness probes fail (Unhealthy events): a failing readiness probe keeps the pod out of its Service\'s endpoints, a '
    + 'failing liveness probe makes the kubelet kill and restart the container. The rule reads the probe against the container\'s ports '
    + '(a probe on the wrong port is a spec bug, not an app bug) and names the workload whose template holds the probe.',
  analyze(s) {
    const hits: PodHit[] = [];
    for (const pod of s.troubledPods()) {
      if (isTerminating(pod) || pod.status?.phase !== 'Running') continue;
      const unhealthy = s.events('Pod', pod.metadata.namespace, pod.metadata.name).filter((e) => e.reason === 'Unhealthy');
      for (const c of containers(pod)) {
        if (c.init || !c.status) continue;
        const liveness = killedByLiveness(s, pod, c.name);
        const notReady = c.status.ready === false && c.status.state?.running && Boolean(c.spec?.readinessProbe);
        const recent = unhealthy.filter((e) => (e.message ?? '').length > 0);
        if (!liveness && !(notReady && recent.length)) continue;
        const kind = liveness ? 'livenessProbe' : 'readinessProbe';
        const spec = probePortProblem(c.spec, kind);
        const last = recent.filter((e) => (liveness ? /Liveness/ : /Readiness/).test(e.message ?? '')).at(-1) ?? recent.at(-1);
        hits.push({ pod, since: last?.firstTimestamp, evidence: [
          ...(spec ? [`root cause: ${spec}`] : []),
          `pod ${pod.metadata.name} container ${c.name}: ${liveness ? `killed by its liveness probe, ${c.status.restartCount ?? 0} restarts` : 'running but not ready'}`,
          ...(last ? [`event Unhealthy${last.count > 1 ? ` (×${last.count})` : ''}: ${short(last.message)}`] : []),
        ] });
        break;
      }
    }
    return byWorkload(s, 'probe-failure', hits, (w, hs, total) => {
      const live = hs.some((h) => h.evidence.some((e) => e.includes('liveness probe')));
      const root = hs[0]!.evidence[0]!.startsWith('root cause: ') ? `: ${hs[0]!.evidence[0]!.slice(12)}` : '';
      return { severity: live ? 'high' : 'medium', summary: `${w.kind} ${w.name}: ${live ? 'liveness' : 'readiness'} probe failing (${share(hs.length, total)})${root}` };
    });
  },
};
