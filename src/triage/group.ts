/**
 * Root cause over symptom. A finding is a symptom of another when the other covers the object this one is
 * about (or one it depends on) and comes earlier in the precedence order — e.g. a Service's no-endpoints under
 * the Deployment's crash loop, a pod stuck Pending under the claim that is not bound, an Argo CD app's Degraded
 * under the workload that degrades it. Symptoms are folded into their root, transitively.
 */
import { CATEGORIES, refKey, SEVERITY_RANK, type Category, type Finding } from './types.js';

export function groupFindings(findings: Finding[], precedence: readonly Category[]): Finding[] {
  const rank = new Map(precedence.map((c, i) => [c, i]));
  const r = (f: Finding) => rank.get(f.category) ?? CATEGORIES.length;
  const coveredBy = new Map<string, Finding[]>();
  for (const f of findings) for (const k of f.covers ?? [refKey(f.object)]) (coveredBy.get(k) ?? coveredBy.set(k, []).get(k)!).push(f);
  const parent = new Map<Finding, Finding>();
  for (const f of findings) {
    const keys = [refKey(f.object), ...(f.dependsOn ?? [])];
    // Keys are in the order the analyzer ranks them (the object itself, then what it names first).
    let best: Finding | undefined;
    for (const k of keys) {
      for (const g of coveredBy.get(k) ?? []) {
        if (g === f || r(g) >= r(f)) continue;
        if (!best || r(g) < r(best)) best = g;
      }
      if (best) break;
    }
    if (best) parent.set(f, best);
  }
  const root = (f: Finding): Finding => {
    const seen = new Set<Finding>();
    let cur = f;
    while (parent.has(cur) && !seen.has(cur)) { seen.add(cur); cur = parent.get(cur)!; }
    return cur;
  };
  const roots: Finding[] = [];
  for (const f of findings) if (!parent.has(f)) roots.push(f);
  for (const f of findings) {
    if (!parent.has(f)) continue;
    const top = root(f);
    top.symptoms.push({ category: f.category, object: f.object, summary: f.summary }, ...f.symptoms);
    // A symptom that is worse than its cause raises the cause (a crash loop that empties a Service).
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[top.severity]) top.severity = f.severity;
  }
  return roots;
}

/** Severity first, then the freshest fault (most recently started) first, then by object for a stable order. */
export function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
    || (b.since ?? '').localeCompare(a.since ?? '')
    || refKey(a.object).localeCompare(refKey(b.object)) || a.category.localeCompare(b.category));
}
