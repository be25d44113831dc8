/**
 * Common trouble seen through a port-forward, from what the proxy measured: a burst of 5xx
 * answers, connections reset, requests or streams that timed out, answers slow to start. Each
 * kind is one issue that stays listed once seen (active while its condition holds, with when it
 * was first and last seen), so the pane, the AI's cockpit_state tool and the user see the same
 * list. Thresholds are in RULES (docs/port-forward.md lists them).
 */

export type IssueKind = '5xx-burst' | 'resets' | 'timeouts' | 'slow-first-byte';

export interface ForwardIssue {
  kind: IssueKind;
  severity: 'warning' | 'error';
  /** One line, e.g. "5xx burst: 6 answers 5xx in 10 s (last: 503 GET /fail)". */
  message: string;
  /** Events of this kind within its window now, and since the forward started. */
  count: number;
  total: number;
  /** ISO times. */
  firstSeen: string;
  lastSeen: string;
  /** The condition holds now (else: it happened, and cleared). */
  active: boolean;
  /** What the pod was doing then (container restarts, events), when it was looked up. */
  context?: string;
}

export const RULES: Record<IssueKind, { windowMs: number; min: number; severity: 'warning' | 'error' }> = {
  '5xx-burst': { windowMs: 10_000, min: 5, severity: 'error' },
  resets: { windowMs: 60_000, min: 1, severity: 'error' },
  timeouts: { windowMs: 60_000, min: 1, severity: 'error' },
  'slow-first-byte': { windowMs: 60_000, min: 3, severity: 'warning' },
};

/** An answer slower than this to start counts as slow (ms). */
export const SLOW_FIRST_BYTE_MS = 1000;

interface Event { at: number; text: string; value?: number }

const MAX_EVENTS = 500;

export class IssueDetector {
  private readonly events: Record<IssueKind, Event[]> = { '5xx-burst': [], resets: [], timeouts: [], 'slow-first-byte': [] };
  private readonly totals: Record<IssueKind, number> = { '5xx-burst': 0, resets: 0, timeouts: 0, 'slow-first-byte': 0 };
  private readonly issues = new Map<IssueKind, ForwardIssue>();
  private answers: number[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  /** An answer: its status and time to first byte; `what` is "GET /path". */
  response(status: number, ttfbMs: number | undefined, what: string): void {
    const at = this.clock();
    this.answers.push(at);
    if (this.answers.length > MAX_EVENTS) this.answers.shift();
    if (status >= 500 && status <= 599) this.note('5xx-burst', { at, text: `${status} ${what}` });
    if (ttfbMs !== undefined && ttfbMs >= SLOW_FIRST_BYTE_MS) this.note('slow-first-byte', { at, text: what, value: ttfbMs });
  }

  reset(why: string): void {
    this.note('resets', { at: this.clock(), text: why });
  }

  timeout(what: string): void {
    this.note('timeouts', { at: this.clock(), text: what });
  }

  /** Attaches what the pod was doing to an issue (the lookup is the caller's). */
  explain(kind: IssueKind, context: string): void {
    const i = this.issues.get(kind);
    if (i) i.context = context;
  }

  private note(kind: IssueKind, e: Event): void {
    const list = this.events[kind];
    list.push(e);
    if (list.length > MAX_EVENTS) list.shift();
    this.totals[kind]++;
  }

  /** The issues now, most severe and active first; `fresh` lists kinds that just became active. */
  evaluate(): { issues: ForwardIssue[]; fresh: IssueKind[] } {
    const now = this.clock();
    const fresh: IssueKind[] = [];
    for (const kind of Object.keys(RULES) as IssueKind[]) {
      const rule = RULES[kind];
      const list = this.events[kind];
      while (list.length && list[0]!.at < now - rule.windowMs) list.shift();
      const prior = this.issues.get(kind);
      if (list.length >= rule.min) {
        const last = list[list.length - 1]!;
        const message = describe(kind, list, this.answers.filter((t) => t >= now - rule.windowMs).length);
        if (!prior?.active) fresh.push(kind);
        this.issues.set(kind, {
          kind, severity: rule.severity, message, count: list.length, total: this.totals[kind],
          firstSeen: prior?.active ? prior.firstSeen : new Date(list[0]!.at).toISOString(), lastSeen: new Date(last.at).toISOString(), active: true,
          context: prior?.active ? prior.context : undefined,
        });
      } else if (prior?.active) {
        this.issues.set(kind, { ...prior, active: false, count: list.length, total: this.totals[kind] });
      }
    }
    const issues = [...this.issues.values()].sort((a, b) => Number(b.active) - Number(a.active) || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    return { issues, fresh };
  }
}

function describe(kind: IssueKind, list: Event[], answers: number): string {
  const last = list[list.length - 1]!;
  const n = list.length;
  switch (kind) {
    case '5xx-burst':
      return `5xx burst: ${n} of ${Math.max(n, answers)} answers were 5xx in ${RULES[kind].windowMs / 1000} s (last: ${last.text})`;
    case 'resets':
      return `${n} connection${n > 1 ? 's' : ''} reset in the last minute (last: ${last.text})`;
    case 'timeouts':
      return `${n} timeout${n > 1 ? 's' : ''} in the last minute (last: ${last.text})`;
    case 'slow-first-byte': {
      const slowest = list.reduce((a, b) => ((b.value ?? 0) > (a.value ?? 0) ? b : a));
      return `slow first byte: ${n} answers took ≥ ${SLOW_FIRST_BYTE_MS / 1000} s to start in the last minute (slowest ${((slowest.value ?? 0) / 1000).toFixed(1)} s, ${slowest.text})`;
    }
  }
}
