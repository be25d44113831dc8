import { byWorkload, containers, eventLines, isTerminating, share, sevAll, short, type Analyzer, type PodHit } from './common.js';

const PULL = /^(ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull)$/;

export const imagePull: Analyzer = {
  category: 'image-pull',
  explain: 'The kubelet cannot pull a container image (ErrImagePull, ImagePullBackOff, InvalidImageName). The usual causes are a tag that '
    + 'does not exist, a typo in the registry or repository, or missing imagePullSecrets for a private registry. The workload\'s pod template '
    + 'holds the image reference, so that is the object to fix (or roll back to the last revision that pulled).',
  analyze(s) {
    const hits: PodHit[] = [];
    for (const pod of s.troubledPods()) {
      if (isTerminating(pod)) continue;
      for (const c of containers(pod)) {
        const w = c.status?.state?.waiting;
        if (!w || !PULL.test(w.reason ?? '')) continue;
        hits.push({ pod, since: pod.metadata.creationTimestamp, evidence: [
          `pod ${pod.metadata.name} container ${c.name}: ${w.reason} for image ${c.spec?.image ?? c.status?.image}`,
          ...(w.message ? [`status: ${short(w.message)}`] : []),
          ...eventLines(s, 'Pod', pod.metadata.namespace, pod.metadata.name, /^Failed$/, 1),
        ] });
        break;
      }
    }
    return byWorkload(s, 'image-pull', hits, (w, hs, total) => {
      const image = containers(hs[0]!.pod).find((c) => PULL.test(c.status?.state?.waiting?.reason ?? ''))?.spec?.image;
      return { severity: sevAll(hs.length, total, 'critical', 'high'), summary: `${w.kind} ${w.name} cannot pull image ${image ?? '?'} (${share(hs.length, total)})` };
    });
  },
};
