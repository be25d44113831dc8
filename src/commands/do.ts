/** kai-tui do "<command>": the operations pipeline without the TUI (see docs/operations.md). */
import { parseFlags, intFlag, UsageError } from './args.js';
import { OpsInputError } from '../ops/commands/index.js';
import { oneLine } from '../ops/render.js';
import { openHeadlessSession, runPlan, type HeadlessFlags } from '../ops/headless.js';

export const FLAGS = {
  'dry-run': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean' },
  kubeconfig: { type: 'string' }, context: { type: 'string' }, namespace: { type: 'string', short: 'n' },
  'fail-fast': { type: 'boolean' }, readonly: { type: 'boolean' }, mode: { type: 'string' }, policies: { type: 'string' },
  'no-verify': { type: 'boolean' }, timeout: { type: 'string' },
} as const;

export function headlessFlags(v: Record<string, string | boolean | undefined>): HeadlessFlags {
  return {
    kubeconfig: v.kubeconfig as string | undefined, context: v.context as string | undefined, namespace: v.namespace as string | undefined,
    policies: v.policies as string | undefined, yes: v.yes === true, json: v.json === true, dryRun: v['dry-run'] === true,
    failFast: v['fail-fast'] === true, readonly: v.readonly === true, mode: v.mode as string | undefined, noVerify: v['no-verify'] === true,
    timeout: intFlag(v.timeout as string | undefined, 'timeout', 1),
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
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
    const intent = await session.parse(positionals[0]!);
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
