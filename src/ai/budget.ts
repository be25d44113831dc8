/**
 * Output budgets: what a tool returns to the model is cut to a size, by section and at line
 * boundaries (never mid-token), keeping what matters first — identity, status and
 * conditions, recent events, the last log lines — and saying what was left out.
 */
import YAML from 'yaml';

/** Characters a tool result may use by default (~2,000 tokens). */
export const DEFAULT_BUDGET = 8000;

const DROP_META = ['managedFields', 'uid', 'generation', 'creationTimestamp', 'resourceVersion', 'selfLink'];

/** Keeps whole lines from the start until the budget is spent; notes how many were left out. */
export function headLines(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let used = 0;
  for (const l of lines) {
    if (used + l.length + 1 > budget) break;
    out.push(l); used += l.length + 1;
  }
  return `${out.join('\n')}\n… (${lines.length - out.length} more lines left out to fit the budget)`;
}

/** Keeps whole lines from the end (logs: the newest matter most). */
export function tailLines(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (used + l.length + 1 > budget) break;
    out.unshift(l); used += l.length + 1;
  }
  return `… (${lines.length - out.length} earlier lines left out to fit the budget)\n${out.join('\n')}`;
}

/**
 * An object as YAML within the budget: metadata (names, labels, owners), then status, then
 * spec, then the rest; sections that do not fit are named, not cut in the middle.
 */
export function objectYaml(obj: Record<string, any>, budget = DEFAULT_BUDGET): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const meta = { ...(obj.metadata ?? {}) };
  for (const k of DROP_META) delete meta[k];
  if (meta.annotations) {
    const a = { ...meta.annotations };
    // last-applied repeats the spec: a pointer is enough.
    if (a['kubectl.kubernetes.io/last-applied-configuration']) a['kubectl.kubernetes.io/last-applied-configuration'] = '(repeats the applied spec; left out)';
    meta.annotations = a;
  }
  const sections: Array<[string, unknown]> = [
    ['head', { apiVersion: obj.apiVersion, kind: obj.kind, metadata: meta }],
    ['status', obj.status],
    ['spec', obj.spec],
  ];
  for (const [k, v] of Object.entries(obj)) if (!['apiVersion', 'kind', 'metadata', 'status', 'spec'].includes(k)) sections.push([k, v]);
  let out = '';
  const left: string[] = [];
  for (const [name, value] of sections) {
    if (value === undefined) continue;
    const y = YAML.stringify(name === 'head' ? value : { [name]: value }, { lineWidth: 0 });
    if (out.length + y.length <= budget) { out += y; continue; }
    const room = budget - out.length;
    if (room > 400) out += headLines(y, room);
    else left.push(name);
  }
  if (left.length) out += `# left out to fit the budget: ${left.join(', ')} (ask for the object alone to see them)\n`;
  return out;
}
