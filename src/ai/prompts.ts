/**
 * Prompts are files: Markdown with YAML front matter (id, purpose, variables, model hints).
 * Layers, each optional, later ones winning: built-in (prompts/) → provider-specific
 * (prompts/<provider>/) → the user's config dir (prompts/) → the workspace
 * (.kai-tui/prompts in the current directory). A layer replaces the prompt, or adds to it
 * with `mode: append`. Files are read when used, so edits apply at the next question
 * (hot reload without a watcher). System prompts stay static; dynamic context goes into
 * the user message through {{variables}}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { configDir } from '../config/paths.js';
import { packageRoot } from '../version.js';

// From package.json, not this file's path: the code also runs bundled (dist/bundle).
export const SHIPPED_PROMPTS = join(packageRoot(), 'prompts/');

export interface PromptLayer { file: string; mode: 'replace' | 'append'; meta: Record<string, unknown>; body: string }

export interface Prompt {
  id: string;
  text: string;
  meta: Record<string, unknown>;
  /** The files it was composed from, in order. */
  layers: PromptLayer[];
}

export interface PromptDirs { shipped: string; user: string; workspace: string }

export function promptDirs(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PromptDirs {
  return { shipped: SHIPPED_PROMPTS, user: join(configDir(env), 'prompts'), workspace: join(cwd, '.kai-tui', 'prompts') };
}

export class PromptError extends Error {}

export function parsePromptFile(file: string): PromptLayer {
  const raw = readFileSync(file, 'utf8');
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(raw);
  if (!m) return { file, mode: 'replace', meta: {}, body: raw.trim() };
  let meta: Record<string, unknown>;
  try {
    meta = (YAML.parse(m[1]!) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new PromptError(`${file}: front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof meta !== 'object' || Array.isArray(meta)) throw new PromptError(`${file}: front matter must be a mapping`);
  const mode = meta.mode === 'append' ? 'append' : 'replace';
  return { file, mode, meta, body: m[2]!.trim() };
}

/** Composes prompt `id` for a provider from every layer that has it. */
export function loadPrompt(id: string, provider?: string, dirs: PromptDirs = promptDirs()): Prompt {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id)) throw new PromptError(`'${id}' is not a prompt id (letters, digits, . _ -)`);
  const candidates = [
    join(dirs.shipped, `${id}.md`),
    provider ? join(dirs.shipped, provider, `${id}.md`) : '',
    join(dirs.user, `${id}.md`),
    provider ? join(dirs.user, provider, `${id}.md`) : '',
    join(dirs.workspace, `${id}.md`),
  ].filter((f) => f && existsSync(f));
  if (candidates.length === 0) throw new PromptError(`no prompt '${id}' (looked in ${dirs.shipped}, ${dirs.user}, ${dirs.workspace})`);
  const layers = candidates.map(parsePromptFile);
  let text = '';
  let meta: Record<string, unknown> = {};
  for (const l of layers) {
    text = l.mode === 'append' && text ? `${text}\n\n${l.body}` : l.body;
    meta = { ...meta, ...l.meta };
  }
  return { id, text, meta: { ...meta, id }, layers };
}

/** Fills {{variables}}; a missing one becomes "(none)" so a template never leaks braces. */
export function fill(template: string, vars: Record<string, string | undefined>): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_m, k: string) => (vars[k] ?? '').trim() || '(none)');
}
