/**
 * The status bar (two lines): context, cluster, namespace, API reachability, counts by health,
 * mode, and a message; then the key hints of the focused pane (or the prompt while typing).
 */
// Screen and box only, not all of blessed's widgets: see blessed-lite.ts.
import blessed from '../blessed-lite.js';
import type { Widgets } from 'blessed';
import { paint, blessedStyle, type Theme } from '../theme.js';
import { escapeTags, fit, sanitizePlain, displayWidth } from '../sanitize.js';

export interface StatusInfo {
  context: string;
  cluster: string;
  namespace: string;
  api: { ok: true; latencyMs: number } | { ok: false; message: string };
  counts?: { ok: number; warn: number; error: number; muted: number };
  /** Triage findings (the pulse pane's count); undefined while triage has not run. */
  findings?: { total: number; critical: number };
  mode: string;
  message?: { text: string; level: 'info' | 'error' };
  hints: string;
  /** While the user types a command or filter: replaces the hints line. */
  prompt?: { prefix: string; text: string; cursor: number };
}

export class StatusBar {
  readonly box: Widgets.BoxElement;

  constructor(screen: Widgets.Screen) {
    this.box = blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 2, tags: true, wrap: false });
  }

  paint(theme: Theme, s: StatusInfo): void {
    const width = (this.box.width as number) || 80;
    this.box.style = { ...blessedStyle(theme, 'status') };
    const t = (x: string) => escapeTags(sanitizePlain(x));
    const api = s.api.ok
      ? paint(theme, 'ok', `API ● ${s.api.latencyMs}ms`)
      : /^connecting/.test(s.api.message) ? paint(theme, 'muted', `API … ${t(s.api.message)}`) : paint(theme, 'error', `API ✖ ${t(s.api.message)}`);
    const counts = s.counts ? ` ${paint(theme, 'ok', `${s.counts.ok}✓`)} ${paint(theme, 'warn', `${s.counts.warn}▲`)} ${paint(theme, 'error', `${s.counts.error}✖`)}${s.counts.muted ? ` ${s.counts.muted}○` : ''}` : '';
    const pulse = s.findings ? `  ${paint(theme, s.findings.critical ? 'error' : s.findings.total ? 'warn' : 'ok', `pulse ${s.findings.total}`)}` : '';
    const head = `${paint(theme, 'statusKey', 'ctx')} ${t(s.context)}  ${paint(theme, 'statusKey', 'cluster')} ${t(s.cluster)}  ${paint(theme, 'statusKey', 'ns')} ${t(s.namespace)}  ${api}${counts}${pulse}  ${paint(theme, 'statusKey', s.mode)}`;
    // Info messages share the first line; errors take the whole second line (they are longer
    // and must be read: "file.yaml:8: unknown action …").
    const err = s.message?.level === 'error' ? s.message : undefined;
    let line1 = head;
    // An info message too long for the room beside the head takes the second line, whole: a
    // message cut mid-word (a kubeconfig path, "deploy: waiting f…") is worse than a moment
    // without key hints.
    let long: string | undefined;
    if (s.message && !err) {
      const room = Math.max(0, width - displayWidth(stripTags(head)) - 3);
      const text = sanitizePlain(s.message.text);
      if (displayWidth(text) <= room) line1 += '  ' + paint(theme, 'accent', escapeTags(text));
      else long = text;
    }
    let line2: string;
    if (s.prompt) {
      const text = sanitizePlain(s.prompt.text);
      line2 = paint(theme, 'accent', escapeTags(s.prompt.prefix)) + escapeTags(fit(text + '█', Math.max(1, width - s.prompt.prefix.length), false));
    } else if (err) {
      line2 = paint(theme, 'error', escapeTags(fitWithMore(`✖ ${sanitizePlain(err.text)}`, width)));
    } else if (long !== undefined) {
      line2 = paint(theme, 'accent', escapeTags(fitWithMore(long, width)));
    } else {
      line2 = paint(theme, 'muted', escapeTags(fit(s.hints, width, false)));
    }
    this.box.setContent(`${line1}\n${line2}`);
  }
}

/** The whole text when it fits; else cut, saying where the rest is (the messages pane, `!`). */
function fitWithMore(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const more = ' ! more';
  return fit(text, Math.max(1, width - more.length), false) + more;
}

function stripTags(s: string): string {
  return s.replace(/\{\/?[\w\-,;!#]*\}/g, (m) => (m === '{open}' ? '{' : m === '{close}' ? '}' : ''));
}
