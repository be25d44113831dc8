/** Formatting helpers that match kubectl's printers. */
import type { KubeObject } from '../../kube/types.js';
import type { Column } from './types.js';

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration, as kubectl prints AGE. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function timestamp(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export function age(ts: unknown, now: number): string {
  const t = timestamp(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

export const NAME: Column = { name: 'NAME', min: 16, flex: true, value: (o) => o.metadata.name };
export const NAMESPACE: Column = { name: 'NAMESPACE', min: 9, max: 24, value: (o) => o.metadata.namespace ?? '' };
export const AGE: Column = {
  name: 'AGE', min: 5, max: 9,
  value: (o, ctx) => age(o.metadata.creationTimestamp, ctx.now),
  sortKey: (o) => -(timestamp(o.metadata.creationTimestamp) ?? 0),
};

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** `<none>` like kubectl when a value is missing or empty. */
export function orNone(v: unknown): string {
  if (v === undefined || v === null || v === '') return '<none>';
  if (Array.isArray(v)) return v.length ? v.join(',') : '<none>';
  return String(v);
}

/** A label selector map printed as kubectl does: a=b,c=d (sorted keys). */
export function selectorString(sel: Record<string, string> | undefined): string {
  if (!sel || Object.keys(sel).length === 0) return '<none>';
  return Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');
}

/** matchLabels + matchExpressions, roughly as metav1.FormatLabelSelector prints them. */
export function labelSelectorString(sel: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) parts.push(`${k}=${sel.matchLabels![k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator;
    if (op === 'Exists') parts.push(e.key);
    else if (op === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

export function col(name: string, min: number, value: Column['value'], extra: Partial<Column> = {}): Column {
  return { name, min, value, ...extra };
}

export function countCol(name: string, get: (o: KubeObject) => unknown): Column {
  return { name, min: name.length, value: (o) => String(num(get(o))), sortKey: (o) => num(get(o)) };
}
