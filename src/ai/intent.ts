/**
 * Plain language → one plan. The model is told what the cluster really has (capabilities
 * discovered from its API groups, not guessed) and how this team works (patterns/*.md and the
 * names of its policies), drafts with propose_plan, and may revise after a dry-run error —
 * each draft visible as an event. The result is the last acceptable proposal; executing it is
 * the operations pipeline's job, with the person's confirmation.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from '../config/paths.js';
import type { KindIndex } from '../ops/kinds.js';
import type { AgentEvent, AgentResult } from './agent.js';
import type { Assistant } from './assistant.js';
import type { Proposal } from './tools/index.js';

/** Operators and add-ons recognised by the API groups they serve. */
const CAPABILITIES: Array<[RegExp, string]> = [
  [/^keda\.sh$/, 'KEDA (ScaledObject, ScaledJob): event-driven autoscaling'],
  [/^velero\.io$/, 'Velero (Backup, Schedule, Restore): backups'],
  [/^monitoring\.coreos\.com$/, 'Prometheus Operator (ServiceMonitor, PodMonitor, PrometheusRule)'],
  [/^argoproj\.io$/, 'Argo CD (Application): GitOps — live changes to its apps are reverted'],
  [/^(kustomize|helm|source)\.toolkit\.fluxcd\.io$/, 'Flux (Kustomization, HelmRelease): GitOps'],
  [/^metrics\.k8s\.io$/, 'metrics-server (CPU/memory for HPA and top)'],
  [/^cert-manager\.io$/, 'cert-manager (Certificate, Issuer)'],
  [/^autoscaling\.k8s\.io$/, 'Vertical Pod Autoscaler'],
  [/^postgresql\.cnpg\.io$/, 'CloudNativePG (Cluster): PostgreSQL operator'],
  [/^snapshot\.storage\.k8s\.io$/, 'Volume snapshots'],
];

export function capabilities(kinds: KindIndex): string[] {
  const groups = new Set(kinds.all().map((k) => k.group));
  const out = CAPABILITIES.filter(([re]) => [...groups].some((g) => re.test(g))).map(([, d]) => d);
  const hpa = kinds.all().some((k) => k.group === 'autoscaling' && k.resource === 'horizontalpodautoscalers');
  if (hpa) out.push('HorizontalPodAutoscaler (autoscaling/v2)');
  if (kinds.all().some((k) => k.resource === 'poddisruptionbudgets')) out.push('PodDisruptionBudget (policy/v1)');
  return out;
}

/** The team's patterns: patterns/*.md in the workspace and the config dir (workspace first). */
export function teamPatterns(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env, budget = 6000): string {
  const out: string[] = [];
  let used = 0;
  for (const dir of [join(cwd, 'patterns'), join(cwd, '.kai-tui', 'patterns'), join(configDir(env), 'patterns')]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.md')).sort()) {
      const text = readFileSync(join(dir, f), 'utf8').trim();
      if (used + text.length > budget) { out.push(`(pattern ${f} left out: budget)`); continue; }
      out.push(`### ${f}\n${text}`);
      used += text.length;
    }
  }
  return out.join('\n\n');
}

export function intentContext(kinds: KindIndex, policyNames: string[], cwd?: string, env?: NodeJS.ProcessEnv): string {
  const caps = capabilities(kinds);
  const patterns = teamPatterns(cwd, env);
  return [
    `Capabilities of this cluster (discovered): ${caps.length ? caps.join('; ') : 'only built-in Kubernetes kinds'}`,
    `Team policies in force (plans breaking them are refused): ${policyNames.length ? policyNames.join(', ') : 'none'}`,
    patterns ? `Team patterns:\n${patterns}` : 'Team patterns: none written',
  ].join('\n');
}

export interface DraftResult { proposal?: Proposal; drafts: Proposal[]; result: AgentResult }

export async function draftIntent(a: Assistant, intent: string, o: { policyNames?: string[]; signal?: AbortSignal; onEvent?: (e: AgentEvent) => void; cwd?: string; history?: AgentResult['messages'] } = {}): Promise<DraftResult> {
  const result = await a.ask(intent, {
    task: 'intent', signal: o.signal, onEvent: o.onEvent, history: o.history,
    extraContext: intentContext(a.o.kinds, o.policyNames ?? [], o.cwd, a.o.env),
  });
  const drafts = result.proposals;
  const acceptable = [...drafts].reverse().find((p) => p.plan && p.preview?.acceptable);
  return { proposal: acceptable ?? [...drafts].reverse().find((p) => p.plan), drafts, result };
}
