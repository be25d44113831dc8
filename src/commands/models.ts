/** kai-tui models [--json] [--provider P]: the models each configured provider really offers. */
import { parseFlags, UsageError } from './args.js';
import { loadSettings } from '../config/settings.js';
import { oneLine, safeJson } from '../ops/render.js';
import { resolveAiConfig } from '../ai/config.js';
import { AiError } from '../ai/providers/errors.js';
import type { ModelInfo } from '../ai/providers/types.js';

export const HELP = `kai-tui models [--json] [--provider ollama|openai]

Lists the models the configured AI provider(s) offer (asked of the provider, not a fixed
list): whether each supports tools and its context size, when the provider says.
Exit code 1 when no provider could be reached. See docs/ai.md.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, provider: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) { console.log(HELP); return 0; }
  if (positionals.length) throw new UsageError(`models: unexpected argument '${positionals[0]}'`);
  if (values.provider !== undefined && values.provider !== 'ollama' && values.provider !== 'openai') throw new UsageError(`--provider must be ollama or openai, got '${values.provider}'`);
  const cfg = resolveAiConfig(loadSettings(), process.env, { provider: values.provider });
  const report: Array<{ provider: string; endpoint: string; chosenBy: string; models: ModelInfo[]; error?: string }> = [];
  for (const p of cfg.providers) {
    try {
      report.push({ provider: p.kind, endpoint: p.endpoint, chosenBy: cfg.source, models: await p.listModels(AbortSignal.timeout(cfg.timeoutMs)) });
    } catch (e) {
      report.push({ provider: p.kind, endpoint: p.endpoint, chosenBy: cfg.source, models: [], error: e instanceof AiError ? e.line : (e as Error).message });
    }
  }
  const current = `${cfg.chain[0]!.provider.kind}:${cfg.chain[0]!.model}`;
  if (values.json) {
    console.log(safeJson({ current, providers: report }));
  } else {
    for (const r of report) {
      console.log(`${r.provider} at ${r.endpoint} (chosen by ${r.chosenBy})`);
      if (r.error) { console.log(`  error: ${oneLine(r.error)}`); continue; }
      if (!r.models.length) console.log('  no models (pull or deploy one first)');
      const w = Math.max(5, ...r.models.map((m) => m.name.length));
      if (r.models.length) console.log(`  ${'MODEL'.padEnd(w)}  TOOLS    CONTEXT   DETAILS`);
      for (const m of r.models) {
        const mark = `${r.provider}:${m.name}` === current || `${r.provider}:${m.name.replace(/:latest$/, '')}` === current ? ' *' : '';
        console.log(`  ${oneLine(m.name).padEnd(w)}  ${(m.supportsTools === undefined ? '?' : m.supportsTools ? 'yes' : 'no').padEnd(7)}  ${String(m.contextLength ?? '?').padEnd(8)}  ${oneLine(m.details ?? '')}${mark}`);
      }
    }
    console.log(`in use: ${current}`);
  }
  return report.some((r) => !r.error) ? 0 : 1;
}
