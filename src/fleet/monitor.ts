/**
 * The fleet: the selected contexts of the kubeconfig, each a FleetMember with its own
 * connection. Which contexts: `--context a --context b` (in that order) or all of them.
 */
import { loadKubeConfig, type KubeTarget, type LoadedKubeConfig } from '../kube/kubeconfig.js';
import { FleetMember, type MemberOptions } from './member.js';
import type { ContextSummary } from './summary.js';

/**
 * One LoadedKubeConfig per context: each loaded on its own, because a loaded kubeconfig
 * carries its current context into every request it authenticates.
 */
export function fleetContexts(target: Omit<KubeTarget, 'context'>, names?: string[], env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig[] {
  const first = loadKubeConfig(target, env);
  if (!first) throw new Error('no kubeconfig found (set KUBECONFIG, pass --kubeconfig, or try kai-tui sim serve --clusters 3)');
  const all = first.kc.getContexts().map((c) => c.name);
  const chosen = names?.length ? names : all;
  for (const n of chosen) if (!all.includes(n)) throw new Error(`context "${n}" not found in ${first.files.join(', ')} (contexts: ${all.join(', ')})`);
  return [...new Set(chosen)].map((context) => loadKubeConfig({ ...target, context }, env)!);
}

export class FleetMonitor {
  readonly members: FleetMember[];
  private readonly listeners = new Set<() => void>();

  constructor(contexts: LoadedKubeConfig[], opts: MemberOptions = {}) {
    this.members = contexts.map((l) => new FleetMember(l, opts));
    for (const m of this.members) m.onChange(() => this.changed());
  }

  /** Starts every member at once; none waits for another (a dead one only delays itself). */
  start(): void {
    for (const m of this.members) void m.start().catch(() => undefined);
  }

  member(context: string): FleetMember | undefined {
    return this.members.find((m) => m.context === context);
  }

  summaries(): ContextSummary[] {
    return this.members.map((m) => m.summary());
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves when every member has settled (listed or unreachable), or after `capMs`. */
  settled(capMs: number): Promise<void> {
    if (this.members.every((m) => m.settled())) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(cap);
        off();
        resolve();
      };
      const cap = setTimeout(finish, capMs);
      const off = this.onChange(() => {
        if (this.members.every((m) => m.settled())) finish();
      });
    });
  }

  private changed(): void {
    for (const fn of [...this.listeners]) {
      try {
        fn();
      } catch {
        // a listener's failure is its own
      }
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all(this.members.map((m) => m.close()));
  }
}
