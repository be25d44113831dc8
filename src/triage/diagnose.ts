/**
 * Rules first: every analyzer over one snapshot → findings grouped under their root cause, ranked.
 * The AI diagnosis (src/ai) comes on top of these, never instead of them: `diagnose` works with no model.
 */
import { ANALYZERS } from './analyzers/index.js';
import { groupFindings, rankFindings } from './group.js';
import type { Snapshot } from './snapshot.js';
import { refKey, type Category, type Finding } from './types.js';

export interface AnalyzeOptions { categories?: ReadonlySet<Category>; namespace?: string }

export function analyze(s: Snapshot, opts: AnalyzeOptions = {}): Finding[] {
  const raw: Finding[] = [];
  for (const a of ANALYZERS) {
    try {
      raw.push(...a.analyze(s));
    } catch (e) {
      // One analyzer tripping on an odd object must not hide what the others found.
      raw.push({ category: a.category, severity: 'low', object: { kind: 'Analyzer', name: a.category }, summary: `the ${a.category} rule failed: ${(e as Error).message}`, evidence: [], symptoms: [] });
    }
  }
  let found = rankFindings(groupFindings(dedupe(raw), ANALYZERS.map((a) => a.category)));
  const ns = opts.namespace ?? s.namespace;
  // Cluster-scoped objects (nodes, webhooks) are read even for one namespace; show them only when they touch it.
  if (ns) found = found.filter((f) => f.object.namespace === ns || (!f.object.namespace && (f.covers ?? []).some((k) => k.split('/')[1] === ns)) || (f.object.namespace === undefined && f.category === 'node-unhealthy'));
  if (opts.categories) found = found.filter((f) => opts.categories!.has(f.category));
  return found;
}

function dedupe(found: Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of found) {
    const k = `${f.category}|${refKey(f.object)}`;
    const prev = seen.get(k);
    if (!prev) seen.set(k, f);
    else { prev.evidence.push(...f.evidence.filter((e) => !prev.evidence.includes(e))); prev.covers = [...(prev.covers ?? []), ...(f.covers ?? [])]; }
  }
  return [...seen.values()];
}

/** The JSON shape of `kai-tui diagnose --json` (issue 10), with nothing internal leaking out. */
export function publicFinding(f: Finding): { category: Category; severity: string; object: Finding['object']; summary: string; evidence: string[]; symptoms: Finding['symptoms'] } {
  const object = f.object.namespace === undefined ? { kind: f.object.kind, name: f.object.name } : { kind: f.object.kind, namespace: f.object.namespace, name: f.object.name };
  return { category: f.category, severity: f.severity, object: object as Finding['object'], summary: f.summary, evidence: f.evidence, symptoms: f.symptoms };
}
