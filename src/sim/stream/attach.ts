/**
 * pods/attach: joins PID 1's terminal. When the container's command runs in the emulated shell
 * (with `stdin: true`, e.g. `kubectl run -it … -- sh`) the client's keys go to its stdin and it
 * sees its output; otherwise the client follows the container's output until it stops.
 */
import type { SimContext } from '../context.js';
import type { ShellRunner } from '../shell/runner.js';
import type { ExecSession } from '../shell/session.js';
import type { ExecRequest, StartSession } from './exec.js';

export function attachSession(ctx: SimContext, runner: ShellRunner, r: ExecRequest): StartSession {
  return (io) => {
    const hub = runner.hubFor(r.pod, r.container);
    const aborted = new Promise<number>((resolve) => io.signal.addEventListener('abort', () => resolve(0), { once: true }));
    if (hub) {
      const listener = (text: string, stream: 'stdout' | 'stderr') => (stream === 'stdout' ? io.out(text) : io.err(text));
      hub.listeners.add(listener);
      if (io.stdin && hub.stdin) {
        const from = io.stdin;
        const to = hub.stdin;
        const stdinOnce = !!(r.pod.spec?.containers ?? []).find((c: { name: string; stdinOnce?: boolean }) => c.name === r.container)?.stdinOnce;
        void (async () => {
          for (let c = await from.read(); c !== null; c = await from.read()) to.push(c);
          if (stdinOnce && !io.signal.aborted) to.end();
        })().catch(() => {});
      }
      const exit = Promise.race([hub.exit, aborted]).finally(() => hub.listeners.delete(listener));
      const s: ExecSession = { exit, resize: (c, rows) => hub.resize(c, rows) };
      return s;
    }
    const key = { namespace: r.pod.metadata.namespace!, pod: r.pod.metadata.name!, container: r.container };
    let unsubscribe = () => {};
    const ended = new Promise<number>((resolve) => {
      unsubscribe = ctx.runtime?.follow(key, (e) => (e ? io.out(`${e.line}\n`) : resolve(0))) ?? (() => {});
    });
    return { exit: Promise.race([ended, aborted]).finally(() => unsubscribe()), resize: () => {} };
  };
}
