/** kai-tui prompts list | show ID [--provider P]: the prompts in force and how each is composed. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags, UsageError } from './args.js';
import { loadPrompt, promptDirs, PromptError } from '../ai/prompts.js';

export const HELP = `kai-tui prompts list                 every prompt id and the files it is composed from
kai-tui prompts show ID [--provider ollama|openai]
                                     the final composed prompt (built-in → provider → config dir → workspace)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { provider: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help || positionals.length === 0) { console.log(HELP); return values.help ? 0 : 2; }
  const [verb, id, ...extra] = positionals;
  if (extra.length) throw new UsageError(`prompts ${verb}: unexpected argument '${extra[0]}'`);
  const dirs = promptDirs();
  try {
    if (verb === 'list') {
      const ids = new Set<string>();
      for (const d of [dirs.shipped, dirs.user, dirs.workspace]) if (existsSync(d)) for (const f of readdirSync(d)) if (f.endsWith('.md')) ids.add(f.slice(0, -3));
      for (const p of [...ids].sort()) {
        const pr = loadPrompt(p, values.provider, dirs);
        console.log(`${p.padEnd(18)} ${String(pr.meta.purpose ?? '').slice(0, 70)}\n${' '.repeat(19)}${pr.layers.map((l) => l.file).join(' + ')}`);
      }
      return 0;
    }
    if (verb === 'show') {
      if (!id) throw new UsageError('prompts show needs an id (see kai-tui prompts list)');
      const p = loadPrompt(id, values.provider, dirs);
      console.log(`# prompt ${p.id}${values.provider ? ` for ${values.provider}` : ''}, composed from:`);
      for (const l of p.layers) console.log(`#   ${l.file} (${l.mode})`);
      console.log('');
      console.log(p.text);
      return 0;
    }
    throw new UsageError(`prompts: unknown verb '${verb}' (list, show)`);
  } catch (e) {
    if (e instanceof PromptError) { console.error(`kai-tui: ${e.message}`); return 1; }
    throw e;
  }
}
