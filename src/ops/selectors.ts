/** Label-selector matching (matchLabels + matchExpressions) for impact analysis. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export function matches(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  const ml = Object.entries(sel.matchLabels ?? {});
  const me = sel.matchExpressions ?? [];
  if (ml.length === 0 && me.length === 0) return true; // empty selector selects everything (PDB semantics)
  for (const [k, v] of ml) if (l[k] !== v) return false;
  for (const e of me) {
    const has = e.key in l;
    const v = l[e.key];
    switch (e.operator) {
      case 'In': if (!has || !e.values?.includes(v!)) return false; break;
      case 'NotIn': if (has && e.values?.includes(v!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A Service's selector (a plain map; an empty one selects nothing). */
export function serviceSelects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function selectorString(sel: LabelSelector | undefined): string {
  return Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}
