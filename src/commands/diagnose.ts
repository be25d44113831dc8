/** kai-tui diagnose [-n NS | -A] [--json] [--ai]: every triage rule over the cluster (see docs/triage.md). */
import { parseFlags, UsageError } from './args.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { CATEGORIES, type Category } from '../triage/types.js';

export const FLAGS = {
  namespace: { type: 'string', short: 'n' }, 'all-namespaces': { type: 'boolean', short: 'A' }, json: { type: 'boolean' }, ai: { type: 'boolean' },
  kubeconfig: { type: 'string' }, context: { type: 'string' }, category: { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: kai-tui diagnose [-n NS | -A] [--json] [--ai] [--category C[,C…]] [--kubeconfig FILE] [--context NAME] [-v]
Runs every triage rule on the cluster's current state and prints the findings, root cause first.
Exit code: 0 no findings, 1 findings, 3 the cluster could not be read.`;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, FLAGS);
  if (v.help) { console.log(USAGE); return 0; }
  if (positionals.length) throw new UsageError(`diagnose takes no arguments (got '${positionals[0]}'); see kai-tui diagnose --help`);
  if (v.namespace && v['all-namespaces']) throw new UsageError('give -n NS or -A, not both');
  let categories: Set<Category> | undefined;
  if (v.category) {
    const list = v.category.split(',').map((c) => c.trim()).filter(Boolean);
    const bad = list.find((c) => !(CATEGORIES as readonly string[]).includes(c));
    if (bad) throw new UsageError(`unknown category '${bad}' (one of: ${CATEGORIES.join(', ')})`);
    categories = new Set(list as Category[]);
  }
  const loaded = loadKubeConfig({ kubeconfig: v.kubeconfig, context: v.context, namespace: v.namespace });
  if (!loaded) throw new UsageError('no kubeconfig found: pass --kubeconfig FILE or set KUBECONFIG');
  const namespace = v['all-namespaces'] ? undefined : (v.namespace ?? loaded.namespace);
  const { collect } = await import('../triage/collect.js');
  const { analyze, publicFinding } = await import('../triage/diagnose.js');
  let collected;
  try {
    collected = await collect(loaded, { namespace });
  } catch (e) {
    console.error(`kai-tui: cannot read the cluster (${loaded.context}): ${(e as Error).message.split('\n')[0]}`);
    return 3;
  }
  try {
    const found = analyze(collected.snapshot, { categories, namespace });
    let diagnoses: Map<unknown, unknown> | undefined;
    if (v.ai) {
      const { diagnoseWithAi } = await import('../triage/ai.js');
      diagnoses = await diagnoseWithAi(loaded, collected.snapshot, found, (line) => console.error(line));
    }
    // The healing guard: fixes of each object within the window, from the journal.
    const { guardContext, healingGuard } = await import('../triage/guard.js');
    const g = await guardContext();
    const guards = new Map(found.map((f) => [f, healingGuard(g.journal, f.object, g.settings)]));
    g.close();
    if (v.json) {
      const findings = found.map((f) => {
        const d = diagnoses?.get(f) as { text: string; rootCause?: string; confidence?: string; confirm?: string; model?: string } | undefined;
        const gs = guards.get(f)!;
        return { ...publicFinding(f), guard: { status: gs.status, fixes: gs.fixes, maxFixes: gs.maxFixes, windowMin: gs.windowMin }, ...(d ? { diagnosis: { rootCause: d.rootCause, confidence: d.confidence, confirm: d.confirm, text: d.text, model: d.model } } : {}) };
      });
      console.log(JSON.stringify({ findings }, null, 2));
    } else {
      const { renderFindings } = await import('../triage/render.js');
      for (const l of renderFindings(found, process.stdout.isTTY === true, v.verbose === true)) console.log(l);
      for (const f of found) { const gs = guards.get(f)!; if (gs.status === 'needs-human') console.log(`needs a human: ${gs.line}`); }
      if (diagnoses) for (const f of found) { const d = diagnoses.get(f) as { text?: string } | undefined; if (d?.text) console.log(`\nAI on ${f.object.kind}/${f.object.name}: ${d.text}`); }
    }
    return found.length ? 1 : 0;
  } finally {
    await collected.cluster.close();
  }
}
