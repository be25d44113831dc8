/** kai-tui usage [--json] [--by day|model|prompt] [--days N]: the local ledger of model calls, tokens and cost. */
import { parseFlags, intFlag, UsageError } from './args.js';
import { safeJson, oneLine } from '../ops/render.js';
import { UsageLedger, usageReport } from '../ai/usage.js';
import { sparkline } from '../kube/metrics.js';

export const HELP = `kai-tui usage [--json] [--by day|model|prompt] [--days N]

Totals of the AI calls kai-tui made (from <config dir>/usage.jsonl): calls, tokens in/out,
cost (prices.yaml in the config dir; local models cost nothing), cached answers, and a
sparkline of tokens per day. See docs/ai.md.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, by: { type: 'string' }, days: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) { console.log(HELP); return 0; }
  if (positionals.length) throw new UsageError(`usage: unexpected argument '${positionals[0]}'`);
  const by = (values.by ?? 'model') as 'day' | 'model' | 'prompt';
  if (!['day', 'model', 'prompt'].includes(by)) throw new UsageError(`--by must be day, model or prompt, got '${values.by}'`);
  const days = intFlag(values.days, 'days', 1) ?? 30;
  const report = usageReport(UsageLedger.open().read(), by, days);
  const { rows, total, tokensPerDay: series } = report;
  const errors = total.errors;
  if (values.json) {
    console.log(safeJson(report));
    return 0;
  }
  if (!total.calls) { console.log(`no AI calls in the last ${days} days`); return 0; }
  const w = Math.max(6, ...rows.map((r) => r.key.length));
  console.log(`${by.toUpperCase().padEnd(w)}  CALLS   TOKENS IN  TOKENS OUT   COST USD  CACHED`);
  for (const r of [...rows, { ...total, key: 'total' }]) {
    console.log(`${oneLine(r.key).padEnd(w)}  ${String(r.calls).padStart(5)}  ${String(r.input).padStart(10)}  ${String(r.output).padStart(10)}  ${r.costUsd.toFixed(4).padStart(9)}  ${String(r.cached).padStart(6)}`);
  }
  console.log(`tokens per day, last ${days} days: ${sparkline(series, days)}${errors ? `   (${errors} failed call${errors === 1 ? '' : 's'})` : ''}`);
  return 0;
}
