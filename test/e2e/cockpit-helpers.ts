/** Launching the real bin/kai-tui in tmux against a test sim, shared by the cockpit e2e tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { Tmux } from '../support/tmux.js';
export { Tmux };

export const BIN = fileURLToPath(new URL('../../../bin/kai-tui', import.meta.url));

/** Starts the cockpit in its own tmux server, with HOME and the config dir in a temp dir. */
export async function launchCockpit(t: ExecutionContext, args: string[], opts: { env?: Record<string, string | undefined>; width?: number; height?: number } = {}): Promise<{ tm: Tmux; home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const tm = await Tmux.start(t, ['node', BIN, ...args], {
    width: opts.width ?? 120,
    height: opts.height ?? 40,
    env: { HOME: home, KAI_TUI_CONFIG_DIR: join(home, 'config'), KUBECONFIG: undefined, NO_COLOR: undefined, ...opts.env },
  });
  return { tm, home };
}

/** Pods in every state the table must show, in namespace `demo`. */
export const FIXTURE = `
apiVersion: v1
kind: Namespace
metadata: {name: demo}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: crasher, namespace: demo, labels: {app: crasher}, annotations: {sim.kai-tui.dev/behaviour: crash, sim.kai-tui.dev/crash-after: 1s}}
spec: {containers: [{name: app, image: example/crasher:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: puller, namespace: demo, labels: {app: puller}}
spec: {containers: [{name: app, image: registry.invalid/does-not-exist:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: waiter, namespace: demo, labels: {app: waiter}}
spec: {nodeSelector: {disk: none-such}, containers: [{name: app, image: busybox}]}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: demo}
data: {password: aHVudGVyMg==, user: YWRtaW4=}
`;

/** The pod table row of `name` (NAME then READY n/m), or '' when the table does not show it. */
export function rowOf(screen: string, name: string): string {
  const re = new RegExp(`(^|\\s)${name}\\s+\\d+/\\d+\\s`);
  return screen.split('\n').find((l) => re.test(l)) ?? '';
}

/**
 * Runs a `:` command: waits until what was typed is on screen (the command line or the
 * operations palette has it) before pressing enter, so no key is lost to a pane still opening.
 */
export async function command(tm: Tmux, text: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    tm.keys(':');
    await new Promise((r) => setTimeout(r, 150));
    tm.type(text);
    try {
      // The prompt shows ":<text>"; the text alone may already be on screen (e.g. a tree node).
      await tm.waitFor((s) => s.includes(`:${text}`), 5_000);
      break;
    } catch (err) {
      if (attempt > 0) throw err;
      tm.keys('Escape');
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  tm.keys('Enter');
}

/** Types a `/` filter the same careful way. */
export async function filter(tm: Tmux, text: string): Promise<void> {
  tm.keys('/');
  await new Promise((r) => setTimeout(r, 100));
  tm.type(text);
  await tm.waitFor((s) => s.includes(`/${text}`), 5_000);
  tm.keys('Enter');
}
