/** The `?` overlay: every binding of the active keymap, with what it does. */
import blessed from 'blessed';
import { ACTIONS, type Keymap } from '../keymap.js';
import { paint, blessedStyle, type Theme } from '../theme.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';

export function helpLines(keymap: Keymap, extra: Array<[string, string]> = [], hide: string[] = []): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [action, what] of Object.entries(ACTIONS)) {
    if (hide.includes(action)) continue;
    const keys = keymap.byAction.get(action);
    if (keys?.length) rows.push([keys.join(', '), what]);
  }
  return [...rows, ...extra];
}

export const COMMAND_HELP: Array<[string, string]> = [
  [':pods, :deploy, :svc …', 'show a kind (any name kubectl knows, CRDs too)'],
  [':ns NAME  /  :ns', 'switch namespace / all namespaces'],
  [':ctx NAME', 'switch kubeconfig context'],
  [':theme NAME, :keymap NAME', 'switch theme or keymap (dark, light, high-contrast; default, vim)'],
  [':layout browse|triage', 'switch layout'],
  [':fleet  /  :fleet pods', 'every context on one screen / pods of all contexts'],
  [':plan ID  /  :plans', 'review a plan proposed over MCP / list the waiting ones'],
  [':q', 'quit'],
];

export class HelpOverlay {
  readonly box: blessed.Widgets.BoxElement;
  private offset = 0;
  private rows: Array<[string, string]> = [];

  constructor(screen: blessed.Widgets.Screen) {
    this.box = blessed.box({ parent: screen, border: { type: 'line' }, tags: true, hidden: true, wrap: false, top: 'center', left: 'center', width: '80%', height: '80%' });
  }

  /** `hide`: actions left out (the mutations in read-only mode). */
  /** `extra`: rows of extensions (user plugins, with their source file). */
  open(keymap: Keymap, hide: string[] = [], extra: Array<[string, string]> = []): void {
    this.rows = helpLines(keymap, [...COMMAND_HELP, ...extra], hide);
    this.offset = 0;
    this.box.show();
    this.box.setFront();
  }

  close(): void {
    this.box.hide();
  }

  get visible(): boolean {
    return !this.box.hidden;
  }

  scroll(delta: number): void {
    const vis = Math.max(1, (this.box.height as number) - 3);
    this.offset = Math.max(0, Math.min(Math.max(0, this.rows.length - vis), this.offset + delta));
  }

  paint(theme: Theme, keymapName: string): void {
    this.box.style.border = blessedStyle(theme, 'focusBorder');
    this.box.setLabel(paint(theme, 'title', ` help — keymap ${escapeTags(sanitizePlain(keymapName))} (esc closes) `));
    const width = Math.max(10, (this.box.width as number) - 2);
    const keyW = Math.min(28, Math.floor(width / 3));
    const vis = Math.max(1, (this.box.height as number) - 3);
    const lines = [paint(theme, 'header', escapeTags(fit(`${'KEYS'.padEnd(keyW)}  ACTION`, width)))];
    for (const [keys, what] of this.rows.slice(this.offset, this.offset + vis)) {
      lines.push(paint(theme, 'statusKey', escapeTags(fit(keys, keyW))) + '  ' + escapeTags(fit(what, width - keyW - 2, false)));
    }
    this.box.setContent(lines.join('\n'));
  }
}
