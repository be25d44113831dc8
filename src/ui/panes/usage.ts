/**
 * The usage pane (`:usage`): the AI calls of the last 30 days from the local ledger — totals by
 * model, prompt and day, tokens per day as a sparkline, cost and cached answers. `b` cycles
 * the grouping. Re-read at each paint (a small local file), so it follows a running chat.
 */
import blessed from 'blessed';
import type { ModalPane } from './modal.js';
import { UsageLedger, usageReport } from '../../ai/usage.js';
import { sparkline } from '../../kube/metrics.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Theme } from '../theme.js';

const GROUPS = ['model', 'prompt', 'day'] as const;

export class UsagePane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  readonly hints = 'b:group by model/prompt/day esc:close';
  private by: typeof GROUPS[number] = 'model';
  private readonly ledger = UsageLedger.open();

  constructor(screen: blessed.Widgets.Screen, private readonly close: () => void) {
    this.element = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%-1', border: { type: 'line' }, tags: true, label: ' AI usage ' });
  }

  handleKey(full: string): boolean {
    if (full === 'escape' || full === 'q') { this.close(); return true; }
    if (full === 'b') this.by = GROUPS[(GROUPS.indexOf(this.by) + 1) % GROUPS.length]!;
    return true;
  }

  paint(theme: Theme): void {
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    const width = Math.max(40, (this.element.width as number) - 2);
    const r = usageReport(this.ledger.read(), this.by, 30);
    const w = Math.min(40, Math.max(8, ...r.rows.map((x) => x.key.length)));
    const line = (key: string, calls: number, input: number, output: number, cost: number, cached: number) =>
      `${escapeTags(fit(sanitizePlain(key), w))}  ${String(calls).padStart(5)}  ${String(input).padStart(10)}  ${String(output).padStart(10)}  ${cost.toFixed(4).padStart(9)}  ${String(cached).padStart(6)}`;
    const out = [
      paint(theme, 'header', escapeTags(`${this.by.toUpperCase().padEnd(w)}  CALLS   TOKENS IN  TOKENS OUT   COST USD  CACHED`)),
      ...r.rows.map((x) => line(x.key, x.calls, x.input, x.output, x.costUsd, x.cached)),
      paint(theme, 'title', line('total', r.total.calls, r.total.input, r.total.output, r.total.costUsd, r.total.cached)),
      '',
      `tokens per day, last 30 days  ${paint(theme, 'accent', sparkline(r.tokensPerDay, Math.min(30, width - 32)))}`,
      r.total.errors ? paint(theme, 'warn', `${r.total.errors} failed call${r.total.errors === 1 ? '' : 's'}`) : '',
      paint(theme, 'muted', escapeTags(`ledger: ${this.ledger.file} — prices: prices.yaml in the config dir (local models cost nothing)`)),
    ];
    if (!r.total.calls) out.splice(1, 0, paint(theme, 'muted', 'no AI calls yet — ask in the chat (a, :chat)'));
    this.element.setLabel(` AI usage by ${this.by} `);
    this.element.setContent(out.join('\n'));
  }

  onClose(): void { this.element.destroy(); }
}
