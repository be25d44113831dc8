/**
 * Prompt plugins: the plugin's prompt file is the first layer; the AI core's prompt layering
 * (src/ai/prompts.ts) adds or replaces it from the user's and the workspace's prompts/ folders
 * under the plugin's name ({{variables}} filled from the selection).
 */
import { existsSync } from 'node:fs';
import { fill, loadPrompt, parsePromptFile, promptDirs, PromptError, type PromptDirs } from '../ai/prompts.js';

export function composePluginPrompt(name: string, file: string, vars: Record<string, string>, dirs: PromptDirs = promptDirs()): { text: string; files: string[] } {
  if (!existsSync(file)) throw new PromptError(`the prompt file ${file} does not exist`);
  const base = parsePromptFile(file);
  let text = base.body;
  const files = [file];
  let more: ReturnType<typeof loadPrompt> | undefined;
  try {
    more = loadPrompt(name, undefined, dirs);
  } catch (e) {
    if (!(e instanceof PromptError) || !/^no prompt/.test(e.message)) throw e;
  }
  for (const l of more?.layers ?? []) {
    text = l.mode === 'append' ? `${text}\n\n${l.body}` : l.body;
    files.push(l.file);
  }
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) lower[k.toLowerCase()] = v;
  return { text: fill(text, lower), files };
}
