/**
 * Model answers rendered for the terminal: code blocks, lists, headings, **bold**, *emphasis*
 * and `code`, as blessed tags. The text is sanitised first (escape sequences made visible,
 * blessed's braces escaped), so nothing the model — or cluster text it quotes — writes can
 * reach the terminal raw or be read as a tag; only the tags added here are real.
 */
import { sanitize } from './sanitize.js';
import { paint, type Theme } from './theme.js';

/** Commands a person may want to run: fenced code lines and inline `code` that look like commands. */
export function commandsIn(markdown: string): string[] {
  const out: string[] = [];
  let fence = false;
  let lang = '';
  for (const line of markdown.split('\n')) {
    const f = /^\s*```\s*([\w-]*)/.exec(line);
    if (f) { fence = !fence; lang = fence ? f[1]! : ''; continue; }
    if (fence && line.trim() && !['yaml', 'json'].includes(lang)) out.push(line.trim().replace(/^\$\s+/, ''));
  }
  for (const m of markdown.matchAll(/`((?:kubectl|scale|set|rollout|label|annotate|patch|apply|delete|cordon|uncordon|drain|expose|autoscale)\s[^`]+)`/g)) out.push(m[1]!);
  return out;
}

/** The first fenced YAML block (sent to the palette as `apply -f -`). */
export function yamlIn(markdown: string): string | undefined {
  return /```ya?ml\s*\n([\s\S]*?)```/.exec(markdown)?.[1];
}

function inline(theme: Theme, s: string): string {
  return s
    .replace(/`([^`]+)`/g, (_m, c: string) => paint(theme, 'accent', c))
    .replace(/\*\*([^*]+)\*\*/g, (_m, c: string) => `{bold}${c}{/bold}`)
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)/g, (_m, p: string, c: string) => `${p}{underline}${c}{/underline}`);
}

export function renderMarkdown(theme: Theme, markdown: string): string {
  const out: string[] = [];
  let fence = false;
  for (const raw of markdown.split('\n')) {
    const line = sanitize(raw);
    if (/^\s*```/.test(raw)) { fence = !fence; out.push(paint(theme, 'muted', fence ? '┌────' : '└────')); continue; }
    if (fence) { out.push(`${paint(theme, 'muted', '│')} ${paint(theme, 'yamlString', line)}`); continue; }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) { out.push(paint(theme, 'title', inline(theme, h[2]!))); continue; }
    const li = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (li) { out.push(`${li[1]}${li[2]!.match(/\d/) ? li[2] : '•'} ${inline(theme, li[3]!)}`); continue; }
    out.push(inline(theme, line));
  }
  return out.join('\n');
}
