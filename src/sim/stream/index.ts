/**
 * The streaming parts of the embedded cluster's API: pods/log, pods/exec, pods/attach,
 * pods/portforward and metrics.k8s.io. startSim() calls installStreams(ctx) once, after the
 * kubelet published ctx.runtime; it also installs the emulated shell as the runtime's command
 * runner so containers' commands and exec probes run in it.
 */
import type { SimContext } from '../context.js';
import { ShellRunner } from '../shell/runner.js';
import { acceptExec } from './exec.js';
import { attachSession } from './attach.js';
import { startSession } from '../shell/session.js';
import { handlePortForward } from './portforward.js';
import { parsePodPath } from './pods.js';
import { serveLogs } from './logs.js';
import { METRICS_DISCOVERY, serveMetrics } from './metrics.js';

export function installStreams(ctx: SimContext): ShellRunner {
  const runner = new ShellRunner(ctx);
  ctx.runtime?.setCommandRunner(runner);
  // A deleted pod's container worlds (files written by exec) go with it.
  const unwatch = ctx.store.watch({ key: '/pods' }, undefined, (ev) => {
    if (ev.type === 'DELETED') runner.forget(ev.object);
  });
  ctx.onStop(unwatch);
  ctx.use({
    name: 'pod-streams',
    discovery: [METRICS_DISCOVERY],
    async http(req, res, url) {
      if (serveMetrics(ctx, req, res, url)) return true;
      const t = parsePodPath(url.pathname);
      if (t?.sub !== 'log') return false;
      await serveLogs(ctx, req, res, url, t.namespace, t.pod);
      return true;
    },
    upgrade(req, socket, head, url) {
      const t = parsePodPath(url.pathname);
      if (!t || t.sub === 'log') return false;
      try {
        if (t.sub === 'portforward') handlePortForward(ctx, req, socket, head, url, t.namespace, t.pod);
        else if (t.sub === 'exec') {
          acceptExec(ctx, req, socket, head, url, t.namespace, t.pod, false, (r) => (io) => startSession({
            world: runner.worldFor(r.pod, r.container), argv: r.argv, tty: r.tty, ...io,
          }));
        }
        else if (t.sub === 'attach') {
          acceptExec(ctx, req, socket, head, url, t.namespace, t.pod, true, (r) => attachSession(ctx, runner, r));
        } else return false;
      } catch (e) {
        ctx.log(`streams: ${t.sub} ${t.namespace}/${t.pod}: ${(e as Error).message}`);
        socket.destroy();
      }
      return true;
    },
  });
  return runner;
}
