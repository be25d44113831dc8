/** Plain-text (optionally coloured) and JSON renderings of previews, results, verdicts and history. */
import { queryString } from '../kube/request.js';
import { renderDiff } from './diff.js';
import type { PlanPreview } from './preview.js';
import type { ExecuteResult } from './execute.js';
import type { Verdict } from './verify.js';
import type { JournalOperation } from './journal.js';

const strip = (s: string) => s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');

/** A message from the cluster or the user, safe for a terminal, on one line. */
export const oneLine = (s: string): string => s.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').trim();

/** JSON for a terminal: C1 controls escaped too (JSON.stringify leaves U+0080–U+009F raw). */
export const safeJson = (v: unknown): string => JSON.stringify(v, null, 2).replace(/[\u0080-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const c = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
const CLASS_COLOR: Record<string, string> = { 'read-only': '36', mutating: '33', destructive: '1;31' };

export function renderPreview(p: PlanPreview, color = false): string {
  const out: string[] = [];
  out.push(`Plan: ${strip(p.plan.source)}   [${c(color, CLASS_COLOR[p.class]!, p.class)}]  ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}`);
  p.steps.forEach((sp, i) => {
    const s = sp.step;
    out.push('');
    out.push(`${i + 1}. [${c(color, CLASS_COLOR[s.class]!, s.class)}] ${strip(s.title)}`);
    out.push(`   ${s.request.method} ${s.request.path}${queryString(s.request.query)}${s.request.contentType ? `  (${s.request.contentType})` : ''}`);
    if (s.request.body !== undefined) out.push(`   body: ${strip(s.request.body.length > 400 ? s.request.body.slice(0, 400) + '…' : s.request.body)}`);
    out.push(sp.dryRun.ok ? `   dry-run: ${c(color, '32', 'OK')} (${sp.dryRun.status})` : `   dry-run: ${c(color, '31', 'FAILED')} (${sp.dryRun.status} ${sp.dryRun.reason ?? ''}): ${strip(sp.dryRun.message ?? '')}`);
    // Impact and warnings before the diff: they matter more than a long diff.
    for (const l of sp.impact) out.push(`   impact: ${strip(l)}`);
    for (const w of sp.warnings) out.push(`   ${c(color, '1;33', 'warning')}: ${strip(w)}`);
    if (sp.dryRun.ok) {
      if (s.op === 'delete' || s.op === 'evict') out.push(`   diff: ${c(color, '31', `the whole object is removed (${sp.diff.length} lines)`)}`);
      else if (sp.diff.length > 0) {
        out.push('   diff:');
        out.push(renderDiff(sp.diff.map((l) => ({ ...l, text: strip(l.text) })), color).split('\n').map((l) => '     ' + l).join('\n'));
      } else out.push('   diff: no changes');
    }
  });
  if (p.impact.length || p.warnings.length) out.push('');
  for (const l of p.impact) out.push(`impact: ${strip(l)}`);
  for (const w of p.warnings) out.push(`${c(color, '1;33', 'warning')}: ${strip(w)}`);
  if (p.refusals.length) {
    out.push('');
    for (const r of p.refusals) out.push(`${c(color, '1;31', 'refused')}: ${strip(r)}`);
  }
  return out.join('\n');
}

export function renderResults(r: ExecuteResult, color = false): string {
  const mark: Record<string, string> = { succeeded: c(color, '32', '✓'), failed: c(color, '31', '✗'), conflict: c(color, '31', '!'), skipped: '-', declined: '-' };
  return [...r.results.map((x) => `${mark[x.status]} ${x.index + 1}. ${strip(x.title)}: ${x.status}${x.httpStatus ? ` (${x.httpStatus})` : ''}${x.message ? ` — ${strip(x.message)}` : ''}`),
    `${r.summary}${r.operationId !== undefined ? ` (journal #${r.operationId})` : ''}`].join('\n');
}

export function renderVerdicts(v: Verdict[], color = false): string {
  if (v.length === 0) return 'verify: nothing to wait for';
  return v.map((x) => `${x.ok ? c(color, '32', 'verified') : c(color, '31', 'NOT verified')} ${x.index + 1}. ${strip(x.title)}: ${strip(x.message)}`).join('\n');
}

export function renderHistory(ops: JournalOperation[]): string {
  if (ops.length === 0) return 'the journal is empty';
  return ops.map((o) => {
    const ran = o.steps.filter((s) => s.status === 'succeeded').length;
    const unknown = o.steps.filter((s) => s.status === 'unknown').length;
    const extra = [o.undoOf !== undefined ? `undo of #${o.undoOf}` : '', o.undoneBy !== undefined ? `undone by #${o.undoneBy}` : '', unknown ? `${unknown} step(s) interrupted mid-request` : ''].filter(Boolean).join(', ');
    return `#${o.id}  ${o.startedAt}  ${o.user}@${o.context ?? '?'}  ${o.status.padEnd(11)} ${ran}/${o.steps.length} steps ran  ${strip(o.source)}${extra ? `  (${extra})` : ''}`;
  }).join('\n');
}
