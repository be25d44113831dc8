/**
 * Columns of a custom resource from its CRD's `additionalPrinterColumns`, printed the way
 * `kubectl get` prints them (Argo CD's SYNC STATUS / HEALTH STATUS, Velero's phase, KEDA's
 * columns…): JSONPath per column, formatted by type (dates as ages). Priority > 0 columns are
 * kubectl's `-o wide` ones. Without printer columns a CRD gets NAME and AGE, as kubectl shows.
 */
import type { KubeObject } from '../../kube/types.js';
import { AGE, NAME, age } from './format.js';
import type { Column, Health, KindView } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface PrinterColumn { name: string; type?: string; jsonPath: string; priority?: number; format?: string }

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string; neq: boolean } };

/** The subset of Kubernetes JSONPath that printer columns use: .a.b, ['a.b'], [0], [*], [?(@.x=="y")]. */
export function parseJsonPath(path: string): Step[] {
  const s = path.trim().replace(/^\{(.*)\}$/, '$1').replace(/^\$/, '');
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^\.([^.[\]]+)/.exec(s.slice(i));
      if (!m) { i++; continue; }
      steps.push({ field: m[1]! });
      i += m[0].length;
    } else if (s[i] === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed [ in ${path}`);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      let m: RegExpExecArray | null;
      if (inner === '*') steps.push({ all: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if ((m = /^'(.*)'$|^"(.*)"$/.exec(inner))) steps.push({ field: m[1] ?? m[2]! });
      else if ((m = /^\?\(@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*['"]?([^'"]*)['"]?\)$/.exec(inner))) {
        steps.push({ filter: { path: m[1]!.slice(1).split('.'), value: m[3]!, neq: m[2] === '!=' } });
      } else throw new Error(`unsupported JSONPath ${inner} in ${path}`);
    } else i++;
  }
  return steps;
}

export function evalJsonPath(o: unknown, steps: Step[]): unknown[] {
  let cur: unknown[] = [o];
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || v === undefined) continue;
      if ('field' in st) { const x = (v as Any)[st.field]; if (x !== undefined) next.push(x); }
      else if ('index' in st) { if (Array.isArray(v)) { const x = v.at(st.index); if (x !== undefined) next.push(x); } }
      else if ('all' in st) { if (Array.isArray(v)) next.push(...v); else if (typeof v === 'object') next.push(...Object.values(v as object)); }
      else if (Array.isArray(v)) {
        for (const item of v) {
          let x: Any = item;
          for (const f of st.filter.path) x = x?.[f];
          if ((String(x) === st.filter.value) !== st.filter.neq) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}

function formatCell(values: unknown[], type: string | undefined, now: number): string {
  if (values.length === 0) return '';
  const one = (v: unknown) => {
    if (type === 'date' && typeof v === 'string') return age(v, now);
    if (typeof v === 'object' && v !== null) return JSON.stringify(v);
    return String(v);
  };
  return values.map(one).join(',');
}

/** Health of a custom resource from the fields operators commonly use. */
export function customHealth(o: KubeObject): Health {
  const st: Any = o.status ?? {};
  const h = st.health?.status as string | undefined; // Argo CD Application
  if (h === 'Degraded' || h === 'Missing') return 'error';
  if (h === 'Progressing' || h === 'Suspended' || h === 'Unknown') return 'warn';
  const phase = String(st.phase ?? '');
  if (/^(Failed|Error|PartiallyFailed|FailedValidation)$/.test(phase)) return 'error';
  const ready = (st.conditions as Any[] | undefined)?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') return 'error';
  if (ready?.status === 'Unknown') return 'warn';
  return 'ok';
}

export function printerColumnsView(cols: PrinterColumn[] | undefined): KindView {
  if (!cols || cols.length === 0) return { columns: [NAME, AGE], health: customHealth };
  const columns: Column[] = [NAME];
  for (const pc of cols) {
    let steps: Step[];
    try { steps = parseJsonPath(pc.jsonPath); } catch { continue; }
    const wide = (pc.priority ?? 0) > 0;
    const numeric = pc.type === 'integer' || pc.type === 'number';
    columns.push({
      name: pc.name.toUpperCase(),
      min: Math.min(pc.name.length, 12),
      max: 48,
      keep: wide ? 'wide' : 'normal',
      value: (o, ctx) => formatCell(evalJsonPath(o, steps), pc.type, ctx.now),
      sortKey: pc.type === 'date'
        ? (o) => -Date.parse(String(evalJsonPath(o, steps)[0] ?? '')) || 0
        : numeric ? (o) => Number(evalJsonPath(o, steps)[0] ?? 0) : undefined,
    });
  }
  return { columns, health: customHealth };
}

/** The printer columns of the CRD's version in use (served version `version`). */
export function crdPrinterColumns(crd: KubeObject, version: string): PrinterColumn[] | undefined {
  const versions = (crd.spec?.versions ?? []) as Any[];
  const v = versions.find((x) => x.name === version) ?? versions.find((x) => x.storage);
  return (v?.additionalPrinterColumns ?? crd.spec?.additionalPrinterColumns) as PrinterColumn[] | undefined;
}
