/** Reading log lines: the error lines a rule can quote, and error lines per minute. */
import type { KubeObject } from '../../kube/types.js';
import type { Snapshot } from '../snapshot.js';
import { short } from './common.js';

const ERROR_LINE = /\b(error|exception|fatal|panic|traceback|failed|refused|timed? ?out|forbidden|denied)\b|\b5\d\d\b/i;

export function isErrorLine(line: string): boolean {
  return ERROR_LINE.test(line);
}

/** The last error lines of a container, previous instance first when it crashed. */
export function lastErrors(s: Snapshot, pod: KubeObject, container: string, max = 2): string[] {
  const ns = pod.metadata.namespace ?? '';
  const prev = s.logLines(ns, pod.metadata.name, container, true).filter(isErrorLine);
  const cur = s.logLines(ns, pod.metadata.name, container).filter(isErrorLine);
  const pick = prev.length ? prev : cur;
  return pick.slice(-max).map((l) => `log${prev.length ? ' (previous container)' : ''} ${container}: ${short(l, 180)}`);
}

/** Error lines per minute over the lines that carry an RFC 3339 timestamp (kubectl logs --timestamps style or JSON "time"). */
export function errorRate(lines: string[]): { perMinute: number; errors: number; minutes: number } | undefined {
  const stamps: number[] = [];
  let errors = 0;
  for (const l of lines) {
    const m = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?)/.exec(l);
    if (!m) continue;
    const t = Date.parse(m[1]!.endsWith('Z') ? m[1]! : `${m[1]}Z`);
    if (!Number.isFinite(t)) continue;
    stamps.push(t);
    if (isErrorLine(l.slice(m.index + m[0].length))) errors++;
  }
  if (stamps.length < 2) return undefined;
  const minutes = Math.max((Math.max(...stamps) - Math.min(...stamps)) / 60_000, 1 / 60);
  return { perMinute: errors / minutes, errors, minutes };
}
