/** kai-tui explain KIND/NAME [-n NS] [--json]: evidence + the rule's explanation for one object (see docs/triage.md). */
import { parseFlags, UsageError } from './args.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';

export const FLAGS = {
  namespace: { type: 'string', short: 'n' }, json: { type: 'boolean' }, ai: { type: 'boolean' },
  kubeconfig: { type: 'string' }, context: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: kai-tui explain KIND/NAME [-n NS] [--json] [--ai] [--kubeconfig FILE] [--context NAME]
Shows the findings about one object (or the workload behind it), the evidence bundle (spec, pods, log tails
including the previous container, warning events, metrics, related objects) and each rule's explanation.
Exit code: 0 nothing wrong found, 1 findings, 3 the cluster could not be read or the object does not exist.`;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, FLAGS);
  if (v.help) { console.log(USAGE); return 0; }
  const arg = positionals[0];
  const m = arg ? /^([^/\s]+)\/([^/\s]+)$/.exec(arg) : null;
  if (!m || positionals.length !== 1) throw new UsageError('usage: kai-tui explain KIND/NAME [-n NS] [--json] (e.g. deploy/api -n shop)');
  const loaded = loadKubeConfig({ kubeconfig: v.kubeconfig, context: v.context, namespace: v.namespace });
  if (!loaded) throw new UsageError('no kubeconfig found: pass --kubeconfig FILE or set KUBECONFIG');
  const namespace = v.namespace ?? loaded.namespace;
  const { collect } = await import('../triage/collect.js');
  const { explainObject } = await import('../triage/explain.js');
  const { renderEvidence } = await import('../triage/evidence.js');
  const { publicFinding } = await import('../triage/diagnose.js');
  const { renderFindings, safeText } = await import('../triage/render.js');
  let collected;
  try {
    collected = await collect(loaded, { namespace });
  } catch (e) {
    console.error(`kai-tui: cannot read the cluster (${loaded.context}): ${(e as Error).message.split('\n')[0]}`);
    return 3;
  }
  try {
    const kind = collected.cluster.resolveKind(m[1]!);
    if (!kind) throw new UsageError(`unknown kind '${m[1]}' on ${loaded.context}`);
    const ref = { kind: kind.kind, namespace: kind.namespaced ? namespace : undefined, name: m[2]! };
    const ex = explainObject(collected.snapshot, ref);
    if (!ex.evidence.found && !ex.findings.length) {
      console.error(`kai-tui: ${kind.kind} ${m[2]}${kind.namespaced ? ` not found in namespace ${namespace}` : ' not found'}`);
      return 3;
    }
    let ai: unknown;
    if (v.ai && ex.findings.length) {
      const { diagnoseWithAi } = await import('../triage/ai.js');
      const d = (await diagnoseWithAi(loaded, collected.snapshot, ex.findings.slice(0, 1), (l) => console.error(l))).get(ex.findings[0]!);
      if (d) ai = { rootCause: d.rootCause, confidence: d.confidence, confirm: d.confirm, text: d.text, model: d.model };
    }
    const { guardContext, healingGuard, interventionTimeline, timelineLines } = await import('../triage/guard.js');
    const g = await guardContext();
    const guard = healingGuard(g.journal, ex.object, g.settings);
    const timeline = interventionTimeline(g.journal, ex.object);
    g.close();
    if (v.json) {
      console.log(JSON.stringify({ object: ex.object, findings: ex.findings.map(publicFinding), evidence: ex.evidence, rules: ex.rules, ...(ai ? { diagnosis: ai } : {}),
        guard: { status: guard.status, fixes: guard.fixes, maxFixes: guard.maxFixes, windowMin: guard.windowMin }, timeline }, null, 2));
    } else {
      const out: string[] = [];
      out.push(ex.findings.length ? 'Findings:' : `No findings about ${ref.kind}/${ref.name}.`);
      if (ex.findings.length) out.push(...renderFindings(ex.findings, process.stdout.isTTY === true, true).slice(0, -2));
      out.push('', `Evidence for ${ex.object.kind}/${ex.object.name}${ex.object.namespace ? ` -n ${ex.object.namespace}` : ''}:`, ...renderEvidence(ex.evidence, safeText));
      for (const r of ex.rules) out.push('', `Rule ${r.category}: ${r.explanation}`);
      if (ai) out.push('', `AI diagnosis: ${(ai as { text: string }).text}`);
      out.push('', `Healing guard: ${guard.line}`);
      if (timeline.length) out.push('', 'Interventions:', ...timelineLines(timeline).map((l) => `  ${safeText(l)}`));
      for (const l of out) console.log(l);
    }
    return ex.findings.length ? 1 : 0;
  } finally {
    await collected.cluster.close();
  }
}
