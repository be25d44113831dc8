/** Text output of findings for `kai-tui diagnose` (the JSON shape lives in diagnose.ts). */
import type { Finding } from './types.js';

const COLOR: Record<string, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[2m' };

/** Cluster text may carry escape sequences: show them, never let them act on the terminal. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function renderFindings(found: Finding[], color: boolean, verbose = false): string[] {
  if (!found.length) return ['No findings: every analyzer is quiet.'];
  const out: string[] = [];
  for (const f of found) {
    const sev = f.severity.toUpperCase().padEnd(8);
    const obj = `${f.object.kind}/${f.object.name}${f.object.namespace ? ` -n ${f.object.namespace}` : ''}`;
    out.push(`${color ? COLOR[f.severity] : ''}${sev}${color ? '\x1b[0m' : ''} ${f.category.padEnd(22)} ${safeText(obj)}`);
    out.push(`         ${safeText(f.summary)}`);
    for (const e of f.evidence.slice(0, verbose ? 20 : 3)) out.push(`           · ${safeText(e)}`);
    for (const s of f.symptoms) out.push(`           ↳ symptom ${s.category}: ${safeText(s.summary)}`);
  }
  out.push('', `${found.length} finding${found.length === 1 ? '' : 's'}. Details: kai-tui explain KIND/NAME -n NS`);
  return out;
}
