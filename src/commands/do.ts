/** kai-tui do "<command>": the operations pipeline without the TUI (see docs/operations.md). */
import { parseFlags, intFlag, UsageError } from './args.js';
import { OpsInputError, VERBS } from '../ops/commands/index.js';
import { oneLine } from '../ops/render.js';
import { openHeadlessSession, runPlan, type HeadlessFlags } from '../ops/headless.js';

export const FLAGS = {
  'dry-run': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean' },
  kubeconfig: { type: 'string' }, context: { type: 'string' }, namespace: { type: 'string', short: 'n' },
  'fail-fast': { type: 'boolean' }, readonly: { type: 'boolean' }, mode: { type: 'string' }, policies: { type: 'string' },
  'no-verify': { type: 'boolean' }, timeout: { type: 'string' }, plan: { type: 'string' },
  'allow-destructive': { type: 'boolean' }, model: { type: 'string' }, provider: { type: 'string' },
  fix: { type: 'boolean' }, 'write-fixes': { type: 'boolean' },
} as const;

export function headlessFlags(v: Record<string, string | boolean | undefined>): HeadlessFlags {
  return {
    kubeconfig: v.kubeconfig as string | undefined, context: v.context as string | undefined, namespace: v.namespace as string | undefined,
    policies: v.policies as string | undefined, yes: v.yes === true, json: v.json === true, dryRun: v['dry-run'] === true,
    failFast: v['fail-fast'] === true, readonly: v.readonly === true, mode: v.mode as string | undefined, noVerify: v['no-verify'] === true,
    timeout: intFlag(v.timeout as string | undefined, 'timeout', 1), allowDestructive: v['allow-destructive'] === true,
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (values.plan !== undefined) return runProposed(values.plan, positionals, values as Record<string, string | boolean | undefined>);
  if (positionals.length !== 1) throw new UsageError('usage: kai-tui do "<command>" [--dry-run] [--yes] [--json] (quote the command as one argument)');
  const f = headlessFlags(values as Record<string, string | boolean | undefined>);
  let session;
  try {
    session = await openHeadlessSession(f);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    console.error(`kai-tui: ${oneLine((e as Error).message)}`);
    return 1;
  }
  try {
    const text = positionals[0]!;
    const words = text.trim().split(/\s+/);
    const toAssistant = async (why: string) => {
      const { runIntent } = await import('./do-intent.js');
      return runIntent(session!, text, f, { model: values.model as string | undefined, provider: values.provider as string | undefined }, why);
    };
    // Not a command of the palette's language: plain language, drafted by the assistant.
    // apply -f with --fix: files that fail are corrected by the assistant, then previewed together.
    if (values.fix) {
      const m = /^apply\s+-f\s+(\S+)$/.exec(text.trim());
      if (!m) throw new UsageError('--fix works with "apply -f FILE|DIR"');
      const { runApplyFix } = await import('./do-fix.js');
      return await runApplyFix(session, m[1]!, { ...f, writeFixes: values['write-fixes'] === true }, { model: values.model as string | undefined, provider: values.provider as string | undefined });
    }
    // A mistyped command ("frobnicate deploy/web", flags) keeps the parser's one-line error.
    const looksLikeCommand = words.length < 3 && words.some((w) => w.includes('/') || w.startsWith('-'));
    if (!VERBS.includes(words[0] ?? '') && !looksLikeCommand) return await toAssistant('not a command');
    let intent;
    try {
      intent = await session.parse(text);
    } catch (e) {
      // "scale web to 5": a verb, but plain words (no flags) that do not parse as a command.
      if (e instanceof OpsInputError && words.length >= 3 && !words.some((w) => w.startsWith('-'))) return await toAssistant(`not a command (${oneLine(e.message)})`);
      throw e;
    }
    // "get rid of web", "describe what broke": a read verb followed by words that name no kind.
    if (intent.type === 'show' && words.length >= 3 && !words.some((w) => w.startsWith('-')) && !session.kinds.resolve((intent.args[0] ?? '').split('/')[0]!)) {
      return await toAssistant('not a command');
    }
    if (intent.type === 'show') {
      console.log(`"${intent.verb}" is read-only: it opens a view in the cockpit (kai-tui); nothing to execute`);
      return 0;
    }
    if (intent.type === 'undo') {
      const u = await session.undoPlan(intent.id);
      return await runPlan(session, u.plan, f, u.notes);
    }
    return await runPlan(session, intent.plan, f);
  } catch (e) {
    if (e instanceof OpsInputError) { console.error(`kai-tui: ${oneLine(e.message)}`); return 1; }
    console.error(`kai-tui: ${oneLine((e as Error).message)}`);
    return 1;
  } finally {
    session.close();
  }
}

/**
 * `kai-tui do --plan ID`: a plan proposed over MCP (src/mcp/plans.ts), on its own context, previewed
 * again (fresh dry-run) and confirmed by the person at this terminal: --yes is refused, so an
 * agent cannot confirm its own proposal.
 */
async function runProposed(id: string, positionals: string[], values: Record<string, string | boolean | undefined>): Promise<number> {
  if (positionals.length) throw new UsageError('kai-tui do --plan ID takes no command (the plan is the command)');
  if (values.yes) throw new UsageError('a proposed plan is confirmed by a person: run kai-tui do --plan ID on a terminal, without --yes');
  for (const f of ['context', 'kubeconfig', 'namespace'] as const) if (values[f] !== undefined) throw new UsageError(`--${f} does not apply to --plan: the plan names its context`);
  const { PlanStore } = await import('../mcp/plans.js');
  const { paths } = await import('../config/paths.js');
  const { join, delimiter } = await import('node:path');
  const store = new PlanStore(join(paths().configDir, 'plans'));
  let rec;
  try {
    rec = store.load(id);
  } catch (e) {
    console.error(`kai-tui: ${oneLine((e as Error).message)}`);
    return 1;
  }
  if (rec.status !== 'proposed') { console.error(`kai-tui: plan ${id} was already ${rec.status}`); return 1; }
  if (!process.stdin.isTTY) { console.error(`kai-tui: plan ${id} needs a person to confirm it: run kai-tui do --plan ${id} in a terminal (stdin is not one); nothing was executed`); return 1; }
  if (rec.kubeconfig.length > 1) process.env.KUBECONFIG = rec.kubeconfig.join(delimiter);
  const f = { ...headlessFlags(values), yes: false, kubeconfig: rec.kubeconfig.length === 1 ? rec.kubeconfig[0] : undefined, context: rec.context };
  let session;
  try {
    session = await openHeadlessSession(f);
  } catch (e) {
    console.error(`kai-tui: ${oneLine((e as Error).message)}`);
    return 1;
  }
  try {
    console.log(`Plan ${id}, proposed by ${oneLine(rec.by)} at ${rec.createdAt} on context ${rec.context}: ${oneLine(rec.command)}`);
    const code = await runPlan(session, rec.plan, f);
    // Executed when the journal has it (also when a step or the verification failed afterwards).
    if (!f.dryRun && session.journal.list(20).some((op) => op.planId === rec.plan.id)) store.setStatus(id, 'executed');
    return code;
  } finally {
    session.close();
  }
}
