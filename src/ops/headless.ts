/** Shared by `kai-tui do` and `kai-tui undo`: preview → confirm → execute → verify, without the TUI. */
import { createInterface } from 'node:readline/promises';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { UsageError } from '../commands/args.js';
import { dns1123LabelProblem } from './commands/tokens.js';
import { OpsSession, defaultPolicyDirs, type Mode } from './session.js';
import { oneLine, renderPreview, renderResults, renderVerdicts, safeJson } from './render.js';
import type { Plan } from './plan.js';
import type { PlanPreview } from './preview.js';

export interface HeadlessFlags {
  kubeconfig?: string; context?: string; namespace?: string; policies?: string;
  yes: boolean; json: boolean; dryRun: boolean; failFast?: boolean; readonly?: boolean; mode?: string; noVerify?: boolean; timeout?: number;
  /** The plan was drafted by the AI assistant: --yes and auto mode never confirm it when it is destructive. */
  drafted?: boolean;
  allowDestructive?: boolean;
}

interface OpsSettings { mode: Mode; failFast: boolean; readonly: boolean; verifyTimeoutSec: number; maxBytes?: number; maxDocs?: number; requestTimeoutMs?: number }

async function opsSettings(): Promise<OpsSettings> {
  const d: OpsSettings = { mode: 'manual', failFast: false, readonly: false, verifyTimeoutSec: 120 };
  try {
    const { loadSettings } = await import('../config/settings.js');
    const s = loadSettings();
    return { mode: s.get('ops.mode') as Mode, failFast: s.get('ops.failFast') as boolean, readonly: s.get('ops.readonly') as boolean, verifyTimeoutSec: s.get('ops.verifyTimeoutSec') as number, maxBytes: s.get('ops.maxApplyBytes') as number, maxDocs: s.get('ops.maxApplyDocs') as number, requestTimeoutMs: s.get('kube.requestTimeoutMs') as number };
  } catch {
    return d;
  }
}

export async function openHeadlessSession(f: HeadlessFlags): Promise<OpsSession> {
  if (f.mode !== undefined && !['manual', 'semiauto', 'auto'].includes(f.mode)) throw new UsageError(`--mode must be manual, semiauto or auto, got '${f.mode}'`);
  if (f.namespace !== undefined) {
    const why = dns1123LabelProblem(f.namespace);
    if (why) throw new UsageError(`-n: namespace '${f.namespace.slice(0, 80)}' is not a valid name: ${why}`);
  }
  const loaded = loadKubeConfig({ kubeconfig: f.kubeconfig, context: f.context, namespace: f.namespace });
  if (!loaded) throw new UsageError('no kubeconfig found: pass --kubeconfig FILE or set KUBECONFIG');
  const s = await opsSettings();
  return OpsSession.open({
    loaded, namespace: f.namespace, policyDirs: defaultPolicyDirs(f.policies),
    readonly: f.readonly || s.readonly, mode: (f.mode as Mode | undefined) ?? s.mode, failFast: f.failFast || s.failFast,
    verifyTimeoutMs: (f.timeout ?? s.verifyTimeoutSec) * 1000,
    applyLimits: s.maxBytes && s.maxDocs ? { maxBytes: s.maxBytes, maxDocs: s.maxDocs } : undefined,
    requestTimeoutMs: s.requestTimeoutMs,
  });
}

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try { return (await rl.question(question)).trim().toLowerCase(); } finally { rl.close(); }
}

/** Runs a plan through the pipeline; returns the exit code. */
export async function runPlan(session: OpsSession, plan: Plan, f: HeadlessFlags, notes: string[] = []): Promise<number> {
  const color = !f.json && process.stdout.isTTY === true;
  // A big plan (apply -f of thousands of documents) says how far its dry runs are, once a second.
  let shown = 0;
  const preview = await session.preview(plan, undefined, plan.steps.length < 200 || f.json ? undefined : (done, total) => {
    if (Date.now() - shown < 1000 && done < total) return;
    shown = Date.now();
    err(`dry-run ${done}/${total}`);
  });
  const report: Record<string, unknown> = { preview: jsonPreview(preview), mode: session.mode };
  const finish = (code: number) => { if (f.json) out(safeJson(report)); return code; };
  if (!f.json) {
    out(renderPreview(preview, color));
    for (const n of notes) out(`note: ${oneLine(n)}`);
  }
  if (!preview.acceptable) { if (!f.json) err('kai-tui: the plan cannot be accepted (see "refused" above); nothing was executed'); return finish(1); }
  if (f.dryRun) return finish(0);
  if (preview.class === 'read-only') return finish(0);
  const tty = process.stdin.isTTY === true;
  let confirmStep: ((i: number) => Promise<boolean>) | undefined;
  // A destructive plan the model drafted needs a person: --yes and auto mode do not confirm it.
  const needsPerson = f.drafted === true && preview.class === 'destructive' && !f.allowDestructive;
  if (needsPerson && (f.yes || !tty)) {
    err('kai-tui: the assistant drafted a DESTRUCTIVE plan: --yes and auto mode never confirm it. Confirm it on a terminal (without --yes), or pass --allow-destructive. Nothing was executed.');
    report.refused = 'destructive plan drafted by the assistant: needs confirmation on a terminal or --allow-destructive';
    return finish(1);
  }
  if ((!f.yes && session.mode !== 'auto') || needsPerson) {
    if (!tty) { err('kai-tui: refusing to execute without --yes: stdin is not a terminal (nothing was executed)'); report.refused = 'stdin is not a terminal and --yes was not given'; return finish(1); }
    if (session.mode === 'semiauto') {
      confirmStep = async (i) => {
        const s = preview.steps[i]!.step;
        const a = await ask(`step ${i + 1}/${preview.steps.length} [${s.class}] ${oneLine(s.title)} — run it? ${s.class === 'destructive' ? "type 'yes'" : '[y/N]'} `);
        return s.class === 'destructive' ? a === 'yes' : a === 'y' || a === 'yes';
      };
    } else {
      const destructive = preview.class === 'destructive';
      const a = await ask(`Execute ${preview.steps.length} step${preview.steps.length === 1 ? '' : 's'} on context ${session.context}? ${destructive ? "This plan is DESTRUCTIVE — type 'yes' to confirm: " : '[y/N] '}`);
      if (destructive ? a !== 'yes' : !(a === 'y' || a === 'yes')) { err('kai-tui: not confirmed; nothing was executed'); report.refused = 'not confirmed'; return finish(1); }
    }
  }
  const result = await session.execute(preview, { confirmStep, onStep: (r, done, total) => { if (!f.json) err(`[${done}/${total}] ${oneLine(r.title)}: ${r.status}${r.message ? ` — ${oneLine(r.message)}` : ''}`); } });
  report.execution = result;
  if (!f.json) out('\n' + renderResults(result, color));
  let verified = true;
  if (!f.noVerify) {
    const verdicts = await session.verify(preview, result, { onProgress: (i, m) => { if (!f.json) err(`  verify ${i + 1}: ${oneLine(m)}`); } });
    report.verification = verdicts;
    verified = verdicts.every((v) => v.ok);
    if (!f.json) out(renderVerdicts(verdicts, color));
  }
  return finish(result.ok && verified ? 0 : 1);
}

/** The preview without the bulky before/after objects (the diff carries the change). */
function jsonPreview(p: PlanPreview) {
  return {
    plan: p.plan, class: p.class, acceptable: p.acceptable, refusals: p.refusals, violations: p.violations, impact: p.impact, warnings: p.warnings,
    steps: p.steps.map((s) => ({ title: s.step.title, class: s.step.class, request: s.step.request, hash: s.step.hash, expectedResourceVersion: s.step.expectedResourceVersion,
      dryRun: { ok: s.dryRun.ok, status: s.dryRun.status, message: s.dryRun.message, reason: s.dryRun.reason }, diff: s.diff, impact: s.impact, warnings: s.warnings })),
  };
}
