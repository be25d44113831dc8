/**
 * Per-context memory: short notes the person (and the model, through its `remember` tool) keep
 * about a cluster context — "prod-eu runs Postgres with CloudNativePG", "jokes-api crashes are
 * known" — given to the model with every question in that context. One Markdown file per
 * context in the config dir (owner-only), so it can be read and edited by hand too.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from '../config/paths.js';
import type { Tool } from './tools/index.js';

const MAX_NOTES = 50;

export class ContextMemory {
  readonly file: string;
  constructor(readonly context: string, env: NodeJS.ProcessEnv = process.env) {
    this.file = join(configDir(env), 'memory', `${context.replace(/[^A-Za-z0-9._-]/g, '_')}.md`);
  }

  notes(): string[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8').split('\n').map((l) => l.replace(/^\s*-\s+/, '').trim()).filter((l) => l && !l.startsWith('#'));
  }

  add(note: string): void {
    const clean = note.replace(/\s+/g, ' ').trim().slice(0, 300);
    if (!clean) return;
    const notes = [...this.notes().filter((n) => n !== clean), clean].slice(-MAX_NOTES);
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(this.file, `# kai-tui memory for context ${this.context}\n${notes.map((n) => `- ${n}`).join('\n')}\n`, { mode: 0o600 });
  }

  clear(): void { rmSync(this.file, { force: true }); }

  /** For the user message. */
  text(): string { return this.notes().map((n) => `- ${n}`).join('\n'); }
}

/** The model's way to add a note (local, about the conversation; it changes nothing in the cluster). */
export function rememberTool(memory: ContextMemory): Tool {
  return {
    modifies: false, timeoutMs: 2000,
    spec: { name: 'remember', description: 'Keep a short fact about this cluster context for later questions (e.g. which operator runs the database). Never store secrets.', parameters: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] } },
    async run(args) {
      memory.add(String(args.note ?? ''));
      return 'noted';
    },
  };
}
