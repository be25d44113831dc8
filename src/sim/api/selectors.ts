/**
 * Label selectors (the full grammar: =, ==, !=, in, notin, exists, !exists, gt, lt) and field
 * selectors (=, ==, != on the fields each kind supports), parsed as the apiserver does.
 */
import { badRequest } from '../errors.js';
import type { KObj } from '../types.js';

type Op = 'eq' | 'neq' | 'in' | 'notin' | 'exists' | '!exists' | 'gt' | 'lt';
export interface Requirement { key: string; op: Op; values: string[] }
export type LabelSelector = Requirement[];

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(k: string, whole: string): void {
  if (!KEY.test(k) || k.length > 316) throw badRequest(`unable to parse requirement: invalid label key "${k}" in selector "${whole}"`);
}
function checkValue(v: string, whole: string): void {
  if (!VALUE.test(v) || v.length > 63) throw badRequest(`unable to parse requirement: invalid label value: "${v}" in selector "${whole}"`);
}

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseLabelSelector(sel: string | undefined | null): LabelSelector {
  if (!sel || !sel.trim()) return [];
  const reqs: Requirement[] = [];
  for (const raw of splitTop(sel)) {
    const part = raw.trim();
    if (!part) throw badRequest(`unable to parse requirement: found '', expected: identifier in selector "${sel}"`);
    let m: RegExpExecArray | null;
    if ((m = /^!\s*(\S+)$/.exec(part))) {
      checkKey(m[1]!, sel);
      reqs.push({ key: m[1]!, op: '!exists', values: [] });
    } else if ((m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      checkKey(m[1]!, sel);
      const values = m[3]!.split(',').map((v) => v.trim());
      values.forEach((v) => checkValue(v, sel));
      reqs.push({ key: m[1]!, op: m[2] as Op, values });
    } else if ((m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/.exec(part))) {
      checkKey(m[1]!, sel);
      const op: Op = m[2] === '!=' ? 'neq' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : 'eq';
      if (op === 'gt' || op === 'lt') {
        if (!/^-?\d+$/.test(m[3]!)) throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer in selector "${sel}"`);
      } else checkValue(m[3]!, sel);
      reqs.push({ key: m[1]!, op, values: [m[3]!] });
    } else if (/^\S+$/.test(part) && !/[=!()<>]/.test(part)) {
      checkKey(part, sel);
      reqs.push({ key: part, op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: couldn't parse the selector string "${sel}"`);
    }
  }
  return reqs;
}

export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const r of sel) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels![r.key]! : undefined;
    switch (r.op) {
      case 'eq': if (v !== r.values[0]) return false; break;
      case 'neq': if (v === r.values[0]) return false; break;
      case 'in': if (!has || !r.values.includes(v!)) return false; break;
      case 'notin': if (has && r.values.includes(v!)) return false; break;
      case 'exists': if (!has) return false; break;
      case '!exists': if (has) return false; break;
      case 'gt': if (!has || !/^-?\d+$/.test(v!) || Number(v) <= Number(r.values[0])) return false; break;
      case 'lt': if (!has || !/^-?\d+$/.test(v!) || Number(v) >= Number(r.values[0])) return false; break;
    }
  }
  return true;
}

/** A metav1.LabelSelector object (matchLabels/matchExpressions) as a parsed selector. */
export function fromLabelSelectorObject(s: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined): LabelSelector {
  if (!s) return [];
  const reqs: Requirement[] = Object.entries(s.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'eq' as Op, values: [v] }));
  for (const e of s.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' } as Record<string, Op>)[e.operator];
    if (op) reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}

/** The string form kubectl shows (SELECTOR column, Scale.status.selector). */
export function labelSelectorString(s: Parameters<typeof fromLabelSelectorObject>[0]): string {
  return fromLabelSelectorObject(s).map((r) => {
    switch (r.op) {
      case 'eq': return `${r.key}=${r.values[0]}`;
      case 'neq': return `${r.key}!=${r.values[0]}`;
      case 'in': return `${r.key} in (${[...r.values].sort().join(',')})`;
      case 'notin': return `${r.key} notin (${[...r.values].sort().join(',')})`;
      case 'exists': return r.key;
      case '!exists': return `!${r.key}`;
      default: return `${r.key}${r.op === 'gt' ? '>' : '<'}${r.values[0]}`;
    }
  }).sort().join(',');
}

// ---- field selectors ----

export interface FieldRequirement { field: string; neq: boolean; value: string }

const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);

/** Fields each kind supports beyond metadata.name/namespace (kind → field → how to read it). */
const FIELDS: Record<string, Record<string, (o: KObj) => unknown>> = {
  Pod: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy,
    'spec.schedulerName': (o) => o.spec?.schedulerName,
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName,
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  Event: Object.fromEntries([
    ...['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [`involvedObject.${f}`, (o: KObj) => o.involvedObject?.[f] ?? o.regarding?.[f] ?? '']),
    ...['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [`regarding.${f}`, (o: KObj) => o.regarding?.[f] ?? o.involvedObject?.[f] ?? '']),
    ['reason', (o: KObj) => o.reason ?? ''],
    ['type', (o: KObj) => o.type ?? ''],
    ['source', (o: KObj) => o.source?.component ?? o.reportingController ?? ''],
    ['reportingComponent', (o: KObj) => o.reportingComponent ?? o.reportingController ?? ''],
    ['reportingController', (o: KObj) => o.reportingController ?? o.reportingComponent ?? ''],
  ]),
  Node: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  Namespace: { 'status.phase': (o) => o.status?.phase ?? '' },
  Secret: { type: (o) => o.type ?? '' },
  Job: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  ReplicaSet: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
};

export function parseFieldSelector(sel: string | undefined | null, kind: string): FieldRequirement[] {
  if (!sel || !sel.trim()) return [];
  return sel.split(',').map((raw) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${raw}'`);
    const field = m[1]!;
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !FIELDS[kind]?.[field]) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, neq: m[2] === '!=', value: m[3]! };
  });
}

export function matchFields(reqs: FieldRequirement[], obj: KObj): boolean {
  for (const r of reqs) {
    const read = FIELDS[obj.kind]?.[r.field];
    const v = read ? read(obj) : get(obj, r.field) ?? '';
    const eq = String(v) === r.value;
    if (eq === r.neq) return false;
  }
  return true;
}
