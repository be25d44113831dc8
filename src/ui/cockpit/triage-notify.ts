/**
 * Webhook notifications from the cockpit (settings triage.notify.*): findings that appear while
 * it runs, at or above the configured severity, once each; and fixes run from the pulse pane,
 * with their outcome. The findings present at start are not posted (a restart is not news).
 */
import type { LiveTriage } from '../../triage/live.js';
import { refKey, type Finding, type Severity } from '../../triage/types.js';
import { postNotification, worthPosting } from '../../triage/notify.js';
import { loadSettings } from '../../config/settings.js';

export interface NotifySettings { webhook: string; minSeverity: Severity; fixes: boolean }

export function notifySettings(env: NodeJS.ProcessEnv = process.env): NotifySettings {
  const s = loadSettings(env);
  return { webhook: String(s.get('triage.notify.webhook') ?? ''), minSeverity: s.get('triage.notify.minSeverity') as Severity, fixes: s.get('triage.notify.fixes') === true };
}

/** Posts findings that appear from now on; returns the unsubscribe. */
export function notifyNewFindings(triage: LiveTriage, s: NotifySettings, context: () => string, message: (t: string, l?: 'info' | 'error') => void): () => void {
  if (!s.webhook) return () => {};
  let seen: Set<string> | undefined;
  const key = (f: Finding) => `${f.category}|${refKey(f.object)}`;
  return triage.onChange(() => {
    const now = triage.findings();
    if (!seen) { seen = new Set(now.map(key)); return; }
    for (const f of now) {
      const k = key(f);
      if (seen.has(k)) continue;
      seen.add(k);
      if (!worthPosting(f, s.minSeverity)) continue;
      void postNotification(s.webhook, { type: 'finding', finding: f, context: context() }).then((err) => { if (err) message(`notification: ${err}`, 'error'); });
    }
  });
}
