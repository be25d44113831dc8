/**
 * Before/after diff of an object as YAML lines, with the noise the server adds on every write
 * (managedFields, resourceVersion, generation, timestamps) left out so only real changes show.
 */
import { stringify } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const SERVER_META = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** A copy without server-set fields (for diffs and for re-creating a deleted object). */
export function stripServerFields(obj: Obj, opts: { keepResourceVersion?: boolean } = {}): Obj {
  if (!obj || typeof obj !== 'object') return obj;
  const o = structuredClone(obj);
  if (o.metadata) {
    for (const k of SERVER_META) if (!(opts.keepResourceVersion && k === 'resourceVersion')) delete o.metadata[k];
    if (o.metadata.annotations) {
      delete o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
      if (Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
    }
  }
  return o;
}

export interface DiffLine { op: ' ' | '-' | '+'; text: string }

function toLines(obj: Obj | undefined): string[] {
  if (obj === undefined || obj === null) return [];
  // Sorted keys: the server may return fields in another order than it stored them.
  const s = stringify(stripServerFields(obj), { sortMapEntries: true, lineWidth: 0 });
  return s.replace(/\n$/, '').split('\n');
}

/** Line diff (longest common subsequence) of before and after; `context` unchanged lines kept around changes. */
export function diffObjects(before: Obj | undefined, after: Obj | undefined, context = 3): DiffLine[] {
  return diffLines(toLines(before), toLines(after), context);
}

export function diffLines(a: string[], b: string[], context = 3): DiffLine[] {
  const n = a.length, m = b.length;
  // Objects are small; a quadratic table is fine and exact. Very large ones degrade to replace-all.
  if (n * m > 4_000_000) return [...a.map((t) => ({ op: '-' as const, text: t })), ...b.map((t) => ({ op: '+' as const, text: t }))];
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const full: DiffLine[] = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { full.push({ op: ' ', text: a[i]! }); i++; j++; }
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) { full.push({ op: '-', text: a[i]! }); i++; }
    else { full.push({ op: '+', text: b[j]! }); j++; }
  }
  if (context < 0) return full;
  const keep = new Array(full.length).fill(false);
  full.forEach((l, k) => { if (l.op !== ' ') for (let d = -context; d <= context; d++) if (k + d >= 0 && k + d < full.length) keep[k + d] = true; });
  const out: DiffLine[] = [];
  let skipped = 0;
  full.forEach((l, k) => {
    if (keep[k]) {
      if (skipped) { out.push({ op: ' ', text: `… ${skipped} unchanged line${skipped > 1 ? 's' : ''}` }); skipped = 0; }
      out.push(l);
    } else skipped++;
  });
  return out;
}

export function hasChanges(d: DiffLine[]): boolean {
  return d.some((l) => l.op !== ' ');
}

/** Plain text with +/- markers; `color` wraps them in ANSI green/red for terminals. */
export function renderDiff(d: DiffLine[], color = false): string {
  return d.map((l) => {
    const line = `${l.op} ${l.text}`;
    if (!color || l.op === ' ') return line;
    return l.op === '+' ? `\x1b[32m${line}\x1b[0m` : `\x1b[31m${line}\x1b[0m`;
  }).join('\n');
}

/** Annotations that controllers maintain on their own (not the user's content). */
const CONTROLLER_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'kubectl.kubernetes.io/last-applied-configuration'];

/**
 * What a user changes on an object — everything except status and server-maintained metadata —
 * as one comparable string. Status updates by controllers do not count as "changed".
 */
export function userContent(obj: Obj): string {
  if (!obj || typeof obj !== 'object') return '';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!['metadata', 'status', 'apiVersion', 'kind'].includes(k)) out[k] = v;
  const ann = { ...(obj.metadata?.annotations ?? {}) };
  for (const a of CONTROLLER_ANNOTATIONS) delete ann[a];
  out.labels = obj.metadata?.labels ?? {};
  out.annotations = ann;
  out.finalizers = obj.metadata?.finalizers ?? [];
  out.ownerReferences = obj.metadata?.ownerReferences ?? [];
  return JSON.stringify(out);
}
