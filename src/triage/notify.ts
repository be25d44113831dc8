/**
 * Optional notifications: a new finding, or a fix executed from the pulse pane, posted to a
 * chat webhook. The payload follows the URL: Slack (`{ text, blocks }`) for hooks.slack.com,
 * Discord (`{ content, embeds }`) for discord.com/api/webhooks, else a generic JSON document.
 * Text is redacted before it leaves the machine (the AI core's redactor), and a webhook that
 * fails only costs a message — never the cockpit.
 */
import { Redactor } from '../ai/redact.js';
import { refText, SEVERITY_RANK, type Finding, type Severity } from './types.js';

export type NotifyEvent =
  | { type: 'finding'; finding: Finding; context: string }
  | { type: 'fix'; finding?: Finding; context: string; plan: string; outcome: string; ok: boolean };

export type Flavour = 'slack' | 'discord' | 'generic';

export function flavourOf(url: string): Flavour {
  try {
    const u = new URL(url);
    if (u.hostname === 'hooks.slack.com' || u.pathname.startsWith('/services/')) return 'slack';
    if (/(^|\.)discord(app)?\.com$/.test(u.hostname) || u.pathname.startsWith('/api/webhooks/')) return 'discord';
  } catch { /* validated when set */ }
  return 'generic';
}

function headline(e: NotifyEvent): string {
  if (e.type === 'finding') return `[${e.finding.severity}] ${e.finding.category}: ${e.finding.summary} (${refText(e.finding.object)}, context ${e.context})`;
  return `${e.ok ? '✓' : '✗'} fix ${e.ok ? 'executed' : 'failed'} on ${e.context}: ${e.plan} — ${e.outcome}`;
}

/** The body to POST, redacted. */
export function payload(url: string, e: NotifyEvent, redactor = new Redactor()): unknown {
  const r = (t: string) => redactor.text(t);
  const title = r(headline(e));
  const evidence = e.type === 'finding' ? e.finding.evidence.slice(0, 5).map(r) : [];
  switch (flavourOf(url)) {
    case 'slack':
      return {
        text: title,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `*kai-tui* ${title}` } },
          ...(evidence.length ? [{ type: 'context', elements: evidence.map((x) => ({ type: 'mrkdwn', text: x })) }] : []),
        ],
      };
    case 'discord':
      return {
        content: `kai-tui: ${title}`,
        embeds: evidence.length ? [{ title: e.type === 'finding' ? r(e.finding.category) : 'fix', description: evidence.join('\n').slice(0, 4000), color: e.type === 'finding' && SEVERITY_RANK[e.finding.severity] <= 1 ? 0xd9534f : 0xf0ad4e }] : [],
      };
    default:
      return e.type === 'finding'
        ? { source: 'kai-tui', event: 'finding', context: e.context, category: e.finding.category, severity: e.finding.severity, object: e.finding.object, summary: r(e.finding.summary), evidence }
        : { source: 'kai-tui', event: 'fix', context: e.context, plan: r(e.plan), outcome: r(e.outcome), ok: e.ok };
  }
}

export function worthPosting(f: Finding, minSeverity: Severity): boolean {
  return SEVERITY_RANK[f.severity] <= SEVERITY_RANK[minSeverity];
}

/** POSTs the event; resolves to an error line, or undefined when it was accepted. */
export async function postNotification(url: string, e: NotifyEvent, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': 'kai-tui' }, body: JSON.stringify(payload(url, e)), signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? undefined : `webhook answered ${res.status} ${res.statusText}`;
  } catch (err) {
    return `webhook not reached: ${(err as Error).message}`;
  }
}
