/** What `explain` and the pulse pane show for one object: its findings, evidence bundle and the rules' explanations. */
import { ANALYZERS } from './analyzers/index.js';
import { analyze } from './diagnose.js';
import { evidenceFor, type EvidenceBundle } from './evidence.js';
import type { Snapshot } from './snapshot.js';
import { refKey, type Category, type Finding, type ObjectRef } from './types.js';

export interface Explanation { object: ObjectRef; findings: Finding[]; evidence: EvidenceBundle; rules: Array<{ category: Category; explanation: string }> }

export function ruleText(c: Category): string {
  return ANALYZERS.find((a) => a.category === c)?.explain ?? '';
}

/** Findings about this object: named by one, covered by one (a pod of a crash-looping Deployment), or a symptom of one. */
export function findingsAbout(found: Finding[], ref: ObjectRef): Finding[] {
  const k = refKey(ref);
  return found.filter((f) => refKey(f.object) === k || (f.covers ?? []).includes(k) || f.symptoms.some((s) => refKey(s.object) === k));
}

export function explainObject(s: Snapshot, ref: ObjectRef, found: Finding[] = analyze(s)): Explanation {
  const findings = findingsAbout(found, ref);
  // Evidence about the object to fix, when the object asked about is only a symptom or a pod of it.
  const target = findings[0]?.object ?? ref;
  const evidence = evidenceFor(s, target);
  if (refKey(target) !== refKey(ref)) evidence.related.unshift(ref);
  const cats = [...new Set(findings.flatMap((f) => [f.category, ...f.symptoms.map((x) => x.category)]))];
  return { object: target, findings, evidence, rules: cats.map((c) => ({ category: c, explanation: ruleText(c) })) };
}
