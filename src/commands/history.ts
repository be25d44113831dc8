/** kai-tui history [--json] [--limit N] [--id N]: past operations from the journal, with their outcome. */
import { parseFlags, intFlag, UsageError } from './args.js';
import { paths } from '../config/paths.js';
import { Journal } from '../ops/journal.js';
import { oneLine, renderHistory, safeJson } from '../ops/render.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, limit: { type: 'string' }, id: { type: 'string' }, journal: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`history: unexpected argument '${positionals[0]}'`);
  const journal = new Journal((values.journal as string | undefined) ?? paths().journal);
  try {
    const id = intFlag(values.id as string | undefined, 'id', 1);
    if (id !== undefined) {
      const op = journal.get(id);
      if (!op) { console.error(`kai-tui: operation #${id} is not in the journal`); return 1; }
      console.log(values.json ? safeJson(op) : [renderHistory([op]), ...op.steps.map((s) => `  ${s.index + 1}. ${oneLine(s.title)}: ${s.status}${s.httpStatus ? ` (${s.httpStatus})` : ''}${s.message ? ` — ${oneLine(s.message)}` : ''}\n     ${s.request.method} ${oneLine(s.request.path)}`)].join('\n'));
      return 0;
    }
    const ops = journal.list(intFlag(values.limit as string | undefined, 'limit', 1) ?? 50);
    console.log(values.json ? safeJson(ops) : renderHistory(ops));
    return 0;
  } finally {
    journal.close();
  }
}
