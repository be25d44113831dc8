/** kai-tui undo [--id N]: the inverse of the last (or chosen) journaled operation, through preview and confirmation. */
import { parseFlags, intFlag, UsageError } from './args.js';
import { FLAGS, headlessFlags } from './do.js';
import { oneLine } from '../ops/render.js';
import { openHeadlessSession, runPlan } from '../ops/headless.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...FLAGS, id: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`undo: unexpected argument '${positionals[0]}' (use --id N)`);
  const f = headlessFlags(values as Record<string, string | boolean | undefined>);
  const id = intFlag(values.id as string | undefined, 'id', 1);
  let session;
  try {
    session = await openHeadlessSession(f);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    console.error(`kai-tui: ${oneLine((e as Error).message)}`);
    return 1;
  }
  try {
    const u = await session.undoPlan(id);
    return await runPlan(session, u.plan, f, u.notes);
  } catch (e) {
    console.error(`kai-tui: ${oneLine((e as Error).message)}`);
    return 1;
  } finally {
    session.close();
  }
}
