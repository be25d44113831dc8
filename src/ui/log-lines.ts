/**
 * How workload log lines are shown (stern's way): `pod container  line`, one colour per pod,
 * stable while the pane is open; JSON lines pretty-printed on demand.
 */
import type { Role } from './theme.js';

const PALETTE: Role[] = ['accent', 'ok', 'warn', 'yamlKey', 'yamlString', 'yamlNumber', 'title', 'error'];

/** Colours handed out in order of first appearance, so two pods never share one until all are used. */
export class PodColours {
  private readonly given = new Map<string, Role>();
  of(pod: string): Role {
    let r = this.given.get(pod);
    if (!r) { r = PALETTE[this.given.size % PALETTE.length]!; this.given.set(pod, r); }
    return r;
  }
}

/** The short name stern shows: the pod's name without its owner's hash when it is long. */
export function shortPod(name: string): string {
  const m = /^(.*)-([a-z0-9]{8,10})-([a-z0-9]{5})$/.exec(name);
  return m ? `${m[1]}-…${m[3]}` : name;
}

/** A JSON object line as indented lines; anything else unchanged (one line). */
export function prettyJson(line: string): string[] {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return [line];
  try {
    return JSON.stringify(JSON.parse(t), null, 2).split('\n');
  } catch {
    return [line];
  }
}

export const SINCE_CHOICES: Array<{ label: string; seconds?: number }> = [
  { label: 'last 10 lines' }, { label: '1m', seconds: 60 }, { label: '5m', seconds: 300 }, { label: '1h', seconds: 3600 }, { label: 'all', seconds: 0 },
];
