/**
 * A request's or answer's body as the forwards pane shows it, on demand (`B` in the pane): the
 * first KiB the proxy kept, decoded when it is text (JSON indented when whole), secrets redacted
 * by the same Redactor as everything bound for a model, sanitised, bounded in lines. Compressed
 * and binary bodies are described, not dumped.
 */
import type { CapturedBody } from '../../kube/http-meter.js';
import { Redactor } from '../../ai/redact.js';
import { paint, type Theme } from '../theme.js';
import { formatBytes } from './top.js';
import { cell, escapeTags } from '../sanitize.js';

/** Bytes of each body kept while capture is on. */
export const BODY_LIMIT = 4096;
const MAX_LINES = 40;
const cellText = (s: string, w: number) => escapeTags(cell(s, w, false));

function header(headers: Array<[string, string]>, name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

function looksBinary(b: Buffer): boolean {
  let odd = 0;
  for (const c of b.subarray(0, 512)) if (c === 0 || (c < 0x09) || (c > 0x0d && c < 0x20)) odd++;
  return odd > 0;
}

/** Body text to show (redacted, not yet sanitised), or a one-line description when it is not text. */
export function bodyText(body: CapturedBody, headers: Array<[string, string]>, redactor = new Redactor()): { text?: string; note?: string } {
  const encoding = header(headers, 'content-encoding');
  if (encoding && !/^identity$/i.test(encoding)) return { note: `${encoding}-compressed: not decoded` };
  if (looksBinary(body.data)) return { note: `binary: first bytes ${body.data.subarray(0, 16).toString('hex').replace(/(..)/g, '$1 ').trim()}` };
  let text = body.data.toString('utf8');
  if (!body.truncated && /json/i.test(header(headers, 'content-type') ?? '')) {
    try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* shown as sent */ }
  }
  return { text: redactor.text(text) };
}

export function bodyLines(theme: Theme, title: string, body: CapturedBody | undefined, headers: Array<[string, string]>, width: number): string[] {
  if (!body) return [];
  const kept = body.truncated ? `first ${formatBytes(body.data.length)} of ${formatBytes(body.size)}` : formatBytes(body.size);
  const out = ['', paint(theme, 'header', cellText(`${title} (${kept}, secrets redacted)`, width))];
  if (!body.size) return [...out, paint(theme, 'muted', '  (empty)')];
  const { text, note } = bodyText(body, headers);
  if (note) return [...out, paint(theme, 'muted', cellText(`  ${note}`, width))];
  const lines = text!.split(/\r?\n/);
  for (const l of lines.slice(0, MAX_LINES)) out.push(`  ${cellText(l, Math.max(10, width - 2))}`);
  if (lines.length > MAX_LINES) out.push(paint(theme, 'muted', `  … ${lines.length - MAX_LINES} more lines`));
  return out;
}
