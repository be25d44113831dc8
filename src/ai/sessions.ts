/**
 * Chat sessions, saved locally (owner-only) after every answer: what was asked, what the
 * assistant answered, which tools it called — the redacted conversation as the model saw it.
 * Listed, shown, exported (Markdown or JSON) and imported by `kai-tui sessions`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from '../config/paths.js';
import type { ChatMessage } from './providers/types.js';

export interface SessionTurn { at: string; question: string; answer: string; toolCalls: Array<{ name: string; arguments: Record<string, unknown>; durationMs: number }> }

export interface ChatSession {
  id: string;
  context: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  model?: string;
  turns: SessionTurn[];
  /** The conversation as sent to the model (redacted), to continue it. */
  messages: ChatMessage[];
}

export class SessionError extends Error {}

export class SessionStore {
  constructor(readonly dir: string) {}

  static open(env: NodeJS.ProcessEnv = process.env): SessionStore {
    return new SessionStore(join(configDir(env), 'sessions'));
  }

  create(context: string, title: string): ChatSession {
    const now = new Date().toISOString();
    return { id: randomBytes(4).toString('hex'), context, title: title.slice(0, 80), createdAt: now, updatedAt: now, turns: [], messages: [] };
  }

  save(s: ChatSession): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    s.updatedAt = new Date().toISOString();
    writeFileSync(join(this.dir, `${s.id}.json`), JSON.stringify(s, null, 1), { mode: 0o600 });
  }

  load(id: string): ChatSession {
    if (!/^[a-f0-9]{8}$/.test(id)) throw new SessionError(`'${id}' is not a session id (8 hex digits; see kai-tui sessions list)`);
    const f = join(this.dir, `${id}.json`);
    if (!existsSync(f)) throw new SessionError(`no session ${id} (see kai-tui sessions list)`);
    return validate(JSON.parse(readFileSync(f, 'utf8')), f);
  }

  list(): ChatSession[] {
    if (!existsSync(this.dir)) return [];
    const out: ChatSession[] = [];
    for (const f of readdirSync(this.dir).filter((x) => /^[a-f0-9]{8}\.json$/.test(x))) {
      try { out.push(validate(JSON.parse(readFileSync(join(this.dir, f), 'utf8')), f)); } catch { /* a damaged file is skipped, not fatal */ }
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** Imports a JSON export under a new id (never overwrites). */
  import(text: string, source: string): ChatSession {
    let v: unknown;
    try { v = JSON.parse(text); } catch (e) { throw new SessionError(`${source}: not JSON: ${(e as Error).message}`); }
    const s = validate(v, source);
    const fresh = { ...s, id: randomBytes(4).toString('hex') };
    this.save(fresh);
    return fresh;
  }
}

function validate(v: unknown, source: string): ChatSession {
  const s = v as ChatSession;
  if (!s || typeof s !== 'object' || typeof s.context !== 'string' || !Array.isArray(s.turns) || !Array.isArray(s.messages)) {
    throw new SessionError(`${source}: not a kai-tui session export (needs context, turns and messages)`);
  }
  for (const t of s.turns) if (typeof t?.question !== 'string' || typeof t?.answer !== 'string') throw new SessionError(`${source}: a turn lacks its question or answer`);
  return { ...s, title: String(s.title ?? s.turns[0]?.question ?? ''), createdAt: String(s.createdAt ?? ''), updatedAt: String(s.updatedAt ?? s.createdAt ?? ''), id: String(s.id ?? '') };
}

export function toMarkdown(s: ChatSession): string {
  const out = [`# ${s.title || 'kai-tui chat'}`, '', `- context: ${s.context}`, `- started: ${s.createdAt}`, s.model ? `- model: ${s.model}` : '', ''];
  for (const t of s.turns) {
    out.push(`## ${t.question}`, '');
    for (const c of t.toolCalls) out.push(`> tool \`${c.name}\` ${JSON.stringify(c.arguments)} (${c.durationMs} ms)`);
    if (t.toolCalls.length) out.push('');
    out.push(t.answer, '');
  }
  return out.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
}
