/**
 * The streaming parts of the embedded cluster's API: pods/log, pods/exec, pods/attach,
 * pods/portforward and metrics.k8s.io. startSim() calls installStreams(ctx) once; it also
 * installs the emulated shell as the runtime's command runner.
 */
import type { SimContext } from '../context.js';
import { handlePortForward } from './portforward.js';
import { parsePodPath } from './pods.js';

export function installStreams(ctx: SimContext): void {
  ctx.use({
    name: 'pod-streams',
    upgrade(req, socket, head, url) {
      const t = parsePodPath(url.pathname);
      if (!t) return false;
      try {
        if (t.sub === 'portforward') {
          handlePortForward(ctx, req, socket, head, url, t.namespace, t.pod);
          return true;
        }
      } catch (e) {
        ctx.log(`streams: ${t.sub} ${t.namespace}/${t.pod}: ${(e as Error).message}`);
        socket.destroy();
        return true;
      }
      return false;
    },
  });
}
