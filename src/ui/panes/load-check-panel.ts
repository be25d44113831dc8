/**
 * The load check inside the forwards pane (`b`): a small form (requests, concurrency, method,
 * path, headers, body), a progress line while it runs (esc stops it), then the result — latency
 * histogram as text bars, status mix, throughput, errors — next to the previous run of the same
 * target, both kept in `<configDir>/load-checks/`. Requests go to the forward's 127.0.0.1 port
 * only; src/kube/load-check.ts enforces the bounds.
 */
import type { MeteredForward } from '../../kube/portforward.js';
import { checkSpec, DEFAULTS, LIMITS, runLoadCheck, type LoadCheckProgress, type LoadCheckResult, type LoadCheckSpec } from '../../kube/load-check.js';
import type { LoadCheckStore, LoadCheckTarget } from '../../kube/load-check-store.js';
import { displayWidth } from '../sanitize.js';
import { paint, type Theme } from '../theme.js';
import { cellText, ms } from './forward-http-view.js';

interface Field { key: 'requests' | 'concurrency' | 'method' | 'path' | 'headers' | 'body'; label: string; value: string; hint: string }

/** What the last form held, per target, for the next `b` (this session). */
const lastForm = new Map<string, Field[]>();

function freshForm(): Field[] {
  return [
    { key: 'requests', label: 'requests', value: String(DEFAULTS.requests), hint: `1–${LIMITS.requests}` },
    { key: 'concurrency', label: 'concurrency', value: String(DEFAULTS.concurrency), hint: `1–${LIMITS.concurrency}` },
    { key: 'method', label: 'method', value: DEFAULTS.method, hint: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' },
    { key: 'path', label: 'path', value: DEFAULTS.path, hint: 'starts with /' },
    { key: 'headers', label: 'headers', value: '', hint: 'Name: value; Other: value (optional)' },
    { key: 'body', label: 'body', value: '', hint: 'sent as is (optional)' },
  ];
}

export class LoadCheckPanel {
  state: 'form' | 'running' | 'done' = 'form';
  private fields: Field[];
  private at = 0;
  private error = '';
  private progress: LoadCheckProgress | undefined;
  private abort: AbortController | undefined;
  private runs: LoadCheckResult[];
  private saved = true;

  constructor(
    private readonly f: MeteredForward,
    private readonly target: LoadCheckTarget,
    private readonly store: LoadCheckStore,
    private readonly repaint: () => void,
    /** Open on the saved results instead of the form (`L`). */
    showResults = false,
  ) {
    const key = JSON.stringify(target);
    this.fields = lastForm.get(key) ?? freshForm();
    lastForm.set(key, this.fields);
    this.runs = store.runs(target);
    if (showResults) this.state = 'done';
  }

  get hints(): string {
    if (this.state === 'form') return 'tab/↓ ↑:field type:edit C-u:clear enter:run esc:cancel';
    if (this.state === 'running') return 'esc:stop the load check';
    return 'b:run again esc:back';
  }

  /** 'close' when the panel is done with the keyboard. */
  handleKey(full: string, ch: string | undefined): boolean | 'close' {
    if (this.state === 'running') {
      if (full === 'escape' || full === 'q') this.abort?.abort();
      return true;
    }
    if (this.state === 'done') {
      if (full === 'b') { this.state = 'form'; return true; }
      if (full === 'escape' || full === 'q') return 'close';
      return true;
    }
    const field = this.fields[this.at]!;
    switch (full) {
      case 'escape': return 'close';
      case 'enter': this.start(); return true;
      case 'tab': case 'down': this.at = (this.at + 1) % this.fields.length; return true;
      case 'S-tab': case 'up': this.at = (this.at + this.fields.length - 1) % this.fields.length; return true;
      case 'backspace': field.value = field.value.slice(0, -1); this.error = ''; return true;
      case 'C-u': field.value = ''; this.error = ''; return true;
    }
    if (ch && ch.length === 1 && ch >= ' ' && ch !== '\x7f' && field.value.length < 512) {
      field.value += ch;
      this.error = '';
    }
    return true;
  }

  private spec(): LoadCheckSpec | string {
    const v = Object.fromEntries(this.fields.map((x) => [x.key, x.value.trim()])) as Record<Field['key'], string>;
    const headers: Record<string, string> = {};
    for (const h of v.headers.split(';').map((s) => s.trim()).filter(Boolean)) {
      const c = h.indexOf(':');
      if (c <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h.slice(0, c).trim())) return `a header is "Name: value": ${h}`;
      headers[h.slice(0, c).trim()] = h.slice(c + 1).trim();
    }
    const spec: LoadCheckSpec = {
      port: this.f.localPort, host: '127.0.0.1', method: v.method.toUpperCase(), path: v.path || '/',
      requests: Number(v.requests), concurrency: Number(v.concurrency), headers, body: v.body || undefined,
    };
    return checkSpec(spec) ?? spec;
  }

  private start(): void {
    const spec = this.spec();
    if (typeof spec === 'string') { this.error = spec; return; }
    this.state = 'running';
    this.progress = { done: 0, total: spec.requests, errors: 0, elapsedMs: 0 };
    this.abort = new AbortController();
    runLoadCheck(spec, { signal: this.abort.signal, onProgress: (p) => { this.progress = p; this.repaint(); } }).then(
      (r) => {
        this.saved = this.store.add(this.target, r);
        this.runs = [...this.runs, r].slice(-10);
        this.state = 'done';
        this.repaint();
      },
      (e: Error) => { this.state = 'form'; this.error = e.message; this.repaint(); },
    );
  }

  /** Stops a run in progress (the pane closed). */
  dispose(): void {
    this.abort?.abort();
  }

  lines(theme: Theme, width: number, rows: number): string[] {
    const head = paint(theme, 'title', cellText(`load check → 127.0.0.1:${this.f.localPort} (${this.f.spec.namespace}/${this.f.spec.kind === 'service' ? 'svc' : 'pod'}/${this.f.spec.name}:${this.f.spec.remotePort})`, width));
    if (this.state === 'form') return [head, '', ...this.form(theme, width)];
    if (this.state === 'running') return [head, '', this.progressLine(theme, width)];
    const [last, prev] = [this.runs[this.runs.length - 1], this.runs[this.runs.length - 2]];
    if (!last) return [head, '', paint(theme, 'muted', '   no load check of this target yet: b runs one')];
    const out = [head, ''];
    if (!this.saved) out.push(paint(theme, 'warn', '   (could not save this result under the config dir)'));
    if (prev && width >= 100) {
      const colW = Math.floor((width - 3) / 2);
      const a = resultLines(theme, last, colW, 'this run'), b = resultLines(theme, prev, colW, 'previous run');
      // A plain bar between the columns: box-drawing characters may reach the terminal as line-drawing mode.
      for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(`${pad(a[i] ?? '', colW)} ${paint(theme, 'muted', '|')} ${b[i] ?? ''}`);
      out.push('', ...deltaLines(theme, last, prev, width));
    } else {
      out.push(...resultLines(theme, last, width, 'this run'));
      if (prev) out.push('', ...deltaLines(theme, last, prev, width));
    }
    return out.slice(0, Math.max(rows, 10));
  }

  private form(theme: Theme, width: number): string[] {
    const out = this.fields.map((x, i) => {
      const cur = i === this.at;
      const value = cellText(x.value, Math.max(10, width - 50)) + (cur ? paint(theme, 'accent', '▏') : '');
      return `${cur ? '▶' : ' '} ${paint(theme, cur ? 'title' : 'muted', x.label.padEnd(12))} ${value}  ${paint(theme, 'muted', cellText(x.hint, 44))}`;
    });
    out.push('', paint(theme, 'muted', cellText(`bounded: at most ${LIMITS.requests} requests and ${LIMITS.durationMs / 1000} s; to this forward's loopback port only; enter runs`, width)));
    if (this.error) out.push(paint(theme, 'error', cellText(this.error, width)));
    return out;
  }

  private progressLine(theme: Theme, width: number): string {
    const p = this.progress!;
    const pct = p.total ? p.done / p.total : 0;
    const barW = Math.max(10, Math.min(50, width - 60));
    const filled = Math.round(pct * barW);
    return `   sending ${p.done}/${p.total} (${Math.round(pct * 100)}%) [${paint(theme, 'ok', '█'.repeat(filled))}${paint(theme, 'muted', '░'.repeat(barW - filled))}] ` +
      `${p.errors ? paint(theme, 'error', `${p.errors} errors`) : '0 errors'}  ${(p.elapsedMs / 1000).toFixed(1)} s`;
  }
}

function pad(tagged: string, w: number): string {
  // {open}/{close} are one literal brace each; other tags take no room.
  const visible = displayWidth(tagged.replace(/\{(open|close)\}/g, 'x').replace(/\{[^{}]*\}/g, '').replace(/\x1b\[\d+m/g, ''));
  return tagged + ' '.repeat(Math.max(0, w - visible));
}

/** One run as lines of at most `w` columns: totals, status mix, latency, histogram bars, errors. */
export function resultLines(theme: Theme, r: LoadCheckResult, w: number, title: string): string[] {
  const out: string[] = [];
  const e = (s: string) => cellText(s, w);
  out.push(paint(theme, 'header', e(`${title}: ${r.method} ${r.path} — ${r.startedAt.slice(0, 19).replace('T', ' ')}Z`)));
  out.push(e(`${r.completed}/${r.requests} answered, concurrency ${r.concurrency}, ${(r.durationMs / 1000).toFixed(2)} s${r.stoppedBy ? ` (stopped: ${r.stoppedBy === 'time' ? 'time limit' : 'by you'})` : ''}`));
  out.push(e(`throughput ${r.requestsPerSecond.toFixed(1)} req/s, errors ${r.errors}`));
  const mix = (['2xx', '3xx', '4xx', '5xx'] as const).map((k) => `${k} ${r.statusMix[k]}`).join('  ');
  out.push(r.statusMix['5xx'] ? paint(theme, 'error', e(`status ${mix}`)) : e(`status ${mix}`));
  const codes = Object.entries(r.statusCodes).sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${c}×${n}`).join(' ');
  if (codes) out.push(paint(theme, 'muted', e(`  codes ${codes}`)));
  const l = r.latencyMs;
  if (l) {
    out.push(e(`latency p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}`));
    out.push(paint(theme, 'muted', e(`  min ${ms(l.min)}  mean ${ms(l.mean)}  max ${ms(l.max)}`)));
    out.push(paint(theme, 'muted', e('latency histogram:')));
    const peak = Math.max(1, ...r.histogram.map((b) => b.count));
    const barW = Math.max(5, w - 22);
    for (const b of r.histogram) {
      const n = Math.round((b.count / peak) * barW);
      out.push(`${ms(b.ms).padStart(9)} [${String(b.count).padStart(6)}] ${paint(theme, 'accent', '■'.repeat(n))}`);
    }
  }
  for (const [k, n] of Object.entries(r.errorKinds)) out.push(paint(theme, 'error', e(`error ${k} ×${n}`)));
  return out;
}

function change(now: number, before: number, lowerIsBetter: boolean): string {
  if (!before) return '';
  const pct = ((now - before) / before) * 100;
  const better = lowerIsBetter ? pct < 0 : pct > 0;
  return ` (${pct >= 0 ? '+' : ''}${pct.toFixed(0)}%${Math.abs(pct) >= 10 ? (better ? ', better' : ', worse') : ''})`;
}

/** "p99 12 ms → 9 ms (−25%, better) …" between the previous run and this one. */
export function deltaLines(theme: Theme, now: LoadCheckResult, before: LoadCheckResult, width: number): string[] {
  const parts = [`throughput ${before.requestsPerSecond.toFixed(1)} → ${now.requestsPerSecond.toFixed(1)} req/s${change(now.requestsPerSecond, before.requestsPerSecond, false)}`];
  if (now.latencyMs && before.latencyMs) {
    parts.push(`p50 ${ms(before.latencyMs.p50)} → ${ms(now.latencyMs.p50)}${change(now.latencyMs.p50, before.latencyMs.p50, true)}`);
    parts.push(`p99 ${ms(before.latencyMs.p99)} → ${ms(now.latencyMs.p99)}${change(now.latencyMs.p99, before.latencyMs.p99, true)}`);
  }
  parts.push(`errors ${before.errors} → ${now.errors}`, `5xx ${before.statusMix['5xx']} → ${now.statusMix['5xx']}`);
  return [paint(theme, 'muted', cellText('compared with the previous run:', width)), cellText(`   ${parts.join('   ')}`, width)];
}
