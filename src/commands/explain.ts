/** kai-tui explain KIND/NAME [-n NS] [--json]: evidence + the rule's explanation for one object (see docs/triage.md). */
import { parseFlags, UsageError } from './args.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';

export const FLAGS = {
  namespace: { type: 'string', short: 'n' }, json: { type: 'boolean' }, ai: { type: 'boolean' },
  kubeconfig: { type: 'string' }, context: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  fix: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, live: { type: 'boolean' }, 'dry-run': { type: 'boolean' },
} as const;

export const USAGE = `Usage: kai-tui explain KIND/NAME [-n NS] [--json] [--ai] [--kubeconfig FILE] [--context NAME]
       kai-tui explain KIND/NAME [-n NS] --fix COMMAND [--yes] [--live] [--dry-run] [--json] [--ai]
Shows the findings about one object (or the workload behind it), the evidence bundle (spec, pods, log tails
including the previous container, warning events, metrics, related objects) and each rule's explanation.
--fix COMMAND (a palette command, e.g. "set resources deploy/api --limits=memory=512Mi"): the healing guard
is asked first; an object Argo CD or Flux manages gets the fix as a commit on a new branch of its checkout
(gitops.repos) with a PR description, nothing applied live (--live: change the cluster anyway); any other
object goes through preview → confirm → execute → verify. --yes confirms, --dry-run only previews.
Exit code: 0 nothing wrong found (with --fix: the fix was made), 1 findings (with --fix: refused, not
confirmed or failed), 3 the cluster could not be read or the object does not exist.`;

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
  let closed = false;
  const out = (l: string) => console.log(l);
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
    if (v.fix !== undefined) {
      const f = ex.findings[0];
      const { renderEvidence: lines } = await import('../triage/evidence.js');
      const { runFix } = await import('../ops/gitops/headless.js');
      if (!v.json) {
        out(`${f ? `${f.severity.toUpperCase()} ${f.category} on ${ex.object.kind}/${ex.object.name}: ${safeText(f.summary)}` : `No findings about ${ex.object.kind}/${ex.object.name}.`} ${guard.line}`);
        out('');
      }
      await collected.cluster.close();
      closed = true;
      const rootCause = (ai as { rootCause?: string } | undefined)?.rootCause ?? (f ? `${f.summary}. ${ex.rules.find((r) => r.category === f.category)?.explanation ?? ''}`.trim() : undefined);
      return await runFix(v.fix, {
        object: ex.object, category: f?.category, severity: f?.severity, summary: f?.summary, rootCause,
        evidence: [...(f?.evidence ?? []), ...lines(ex.evidence).slice(0, 30)], symptoms: f?.symptoms.map((x) => `${x.category} on ${x.object.kind}/${x.object.name}: ${x.summary}`),
      }, { kubeconfig: v.kubeconfig, context: v.context, namespace, yes: v.yes === true, json: v.json === true, dryRun: v['dry-run'] === true, live: v.live === true });
    }
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
    if (!closed) await collected.cluster.close();
  }
}
