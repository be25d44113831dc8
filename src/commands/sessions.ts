/** kai-tui sessions list|show ID|export ID [--format md|json] [-o FILE]|import FILE: saved chats. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseFlags, UsageError } from './args.js';
import { oneLine, safeJson } from '../ops/render.js';
import { SessionError, SessionStore, toMarkdown } from '../ai/sessions.js';

export const HELP = `kai-tui sessions list [--json]           saved chat sessions, newest first
kai-tui sessions show ID [--json]         one session as Markdown (or JSON)
kai-tui sessions export ID [--format md|json] [-o FILE]
kai-tui sessions import FILE              a JSON export, under a new id
Sessions are saved by the cockpit's chat and by kai-tui ask (see docs/ai.md).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, format: { type: 'string' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } });
  if (values.help || positionals.length === 0) { console.log(HELP); return values.help ? 0 : 2; }
  const [verb, arg, ...extra] = positionals;
  if (extra.length) throw new UsageError(`sessions ${verb}: unexpected argument '${extra[0]}'`);
  const store = SessionStore.open();
  try {
    switch (verb) {
      case 'list': {
        const all = store.list();
        if (values.json) { console.log(safeJson(all.map(({ messages: _m, ...rest }) => ({ ...rest, turns: rest.turns.length })))); return 0; }
        if (!all.length) { console.log('no saved sessions (the chat pane and kai-tui ask save them)'); return 0; }
        for (const s of all) console.log(`${s.id}  ${s.updatedAt.slice(0, 16).replace('T', ' ')}  ${oneLine(s.context).padEnd(16)}  ${String(s.turns.length).padStart(3)} turn${s.turns.length === 1 ? ' ' : 's'}  ${oneLine(s.title)}`);
        return 0;
      }
      case 'show': case 'export': {
        if (!arg) throw new UsageError(`sessions ${verb} needs a session id`);
        const s = store.load(arg);
        const format = values.format ?? (values.json ? 'json' : 'md');
        if (format !== 'md' && format !== 'json') throw new UsageError(`--format must be md or json, got '${format}'`);
        const text = format === 'json' ? JSON.stringify(s, null, 2) : toMarkdown(s);
        if (values.output) { writeFileSync(values.output, text + '\n', { mode: 0o600 }); console.log(`wrote ${values.output}`); } else console.log(text);
        return 0;
      }
      case 'import': {
        if (!arg) throw new UsageError('sessions import needs a FILE (a JSON export)');
        const s = store.import(readFileSync(arg, 'utf8'), arg);
        console.log(`imported as ${s.id} (${s.turns.length} turns, context ${oneLine(s.context)})`);
        return 0;
      }
      default: throw new UsageError(`sessions: unknown verb '${verb}' (list, show, export, import)`);
    }
  } catch (e) {
    if (e instanceof SessionError) { console.error(`kai-tui: ${oneLine(e.message)}`); return 1; }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') { console.error(`kai-tui: ${oneLine((e as Error).message)}`); return 1; }
    throw e;
  }
}
