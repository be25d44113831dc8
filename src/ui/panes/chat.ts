/**
 * The chat pane: questions to the assistant about what the cockpit shows. Answers stream in
 * (painted by the frame scheduler, never directly), tool calls show as one line each
 * (expandable to their result), Esc cancels a running answer at once. A plan the model
 * proposes opens in the preview pane — only the person's confirmation there executes it.
 * The pane gets everything through ChatHost; it never imports the cockpit.
 */
import blessed from 'blessed';
import type { ModalPane } from './modal.js';
import { commandsIn, renderMarkdown, yamlIn } from '../markdown.js';
import { escapeTags, sanitize, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Theme } from '../theme.js';

/** What the assistant does for the pane (src/ai behind it). */
export interface ChatService {
  /** One line: provider, model, how chosen. */
  describe(): string;
  ask(question: string, o: { selection?: string; signal: AbortSignal; onEvent: (e: ChatEvent) => void }): Promise<{ redacted: number; proposals: number; usage: { input: number; output: number; cached: number } }>;
  /** Opens proposal `i` of the conversation in the preview pane. */
  review(i: number): void;
  proposals(): number;
  /** /memory, /remember TEXT, /forget: the context's notes; returns what to show. */
  memory(cmd: 'show' | 'remember' | 'forget', arg: string): string;
}

export type ChatEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_start'; id: string; name: string; arguments: Record<string, unknown> }
  | { type: 'tool_end'; id: string; name: string; ok: boolean; durationMs: number; chars: number; result: string }
  | { type: 'retry'; message: string }
  | { type: 'proposal' };

export interface ChatHost {
  screen: blessed.Widgets.Screen;
  markDirty(): void;
  closeModal(): void;
  message(text: string, level?: 'info' | 'error'): void;
  /** One line about the selected object, or undefined. */
  selection(): string | undefined;
  /** Puts text into the palette for the person to edit and run. */
  toPalette(text: string): void;
}

interface Entry {
  role: 'user' | 'assistant' | 'tool' | 'note' | 'error';
  text: string;
  tool?: { name: string; args: string; ok?: boolean; durationMs?: number; chars?: number; result?: string };
}

export class ChatPane implements ModalPane {
  readonly element: blessed.Widgets.BoxElement;
  private readonly log: blessed.Widgets.BoxElement;
  private readonly inputBox: blessed.Widgets.BoxElement;
  readonly entries: Entry[] = [];
  private input = '';
  private running?: AbortController;
  private expanded = false;
  private follow = true;
  private theme?: Theme;

  constructor(private readonly host: ChatHost, private readonly service: ChatService) {
    this.element = blessed.box({ parent: host.screen, top: 0, left: 0, width: '100%', height: '100%-1', border: { type: 'line' }, tags: true, hidden: true, label: ' chat ' });
    this.log = blessed.box({ parent: this.element, top: 1, left: 1, right: 1, bottom: 3, tags: true, scrollable: true, alwaysScroll: true, wrap: true });
    this.inputBox = blessed.box({ parent: this.element, bottom: 0, left: 0, right: 0, height: 3, tags: true, border: { type: 'line' }, style: {} });
    this.entries.push({ role: 'note', text: `${service.describe()} — ask about the cluster; the assistant looks with read-only tools and only proposes changes.` });
  }

  get hints(): string {
    return this.running ? 'esc:cancel the answer  pgup/pgdn:scroll'
      : `enter:send  esc:close  ctrl-t:${this.expanded ? 'collapse' : 'expand'} tools  ctrl-y:command→palette${this.service.proposals() ? '  ctrl-p:preview the plan' : ''}  pgup/pgdn:scroll`;
  }

  get busy(): boolean { return this.running !== undefined; }

  handleKey(full: string, ch: string | undefined): boolean {
    switch (full) {
      case 'escape':
        if (this.running) { this.running.abort(); return true; }
        this.host.closeModal();
        return true;
      case 'C-c': if (this.running) this.running.abort(); else this.host.closeModal(); return true;
      case 'enter': case 'return': this.send(); return true;
      case 'backspace': this.input = [...this.input].slice(0, -1).join(''); this.dirty(); return true;
      case 'C-u': this.input = ''; this.dirty(); return true;
      case 'C-t': this.expanded = !this.expanded; this.dirty(); return true;
      case 'pageup': this.follow = false; this.log.scroll(-Math.max(1, (this.log.height as number) - 2)); this.dirty(); return true;
      case 'pagedown': this.log.scroll(Math.max(1, (this.log.height as number) - 2)); if (this.log.getScrollPerc() >= 100) this.follow = true; this.dirty(); return true;
      case 'C-p': {
        const n = this.service.proposals();
        if (!n) { this.host.message('no plan was proposed in this chat', 'error'); return true; }
        this.service.review(n - 1);
        return true;
      }
      case 'C-y': this.copyCommand(); return true;
    }
    if (ch && ch.length === 1 && ch >= ' ' && !full.startsWith('C-') && !full.startsWith('M-')) {
      if (this.input.length < 4000) this.input += ch;
      this.dirty();
      return true;
    }
    return true; // the chat keeps the keyboard while open
  }

  /** Puts text on the input line for the person to finish (refining a proposed plan). */
  prefill(text: string): void {
    this.input = text;
    this.dirty();
  }

  /** Starts a question (also used when the palette hands one over). */
  ask(question: string): void {
    if (this.running) { this.host.message('an answer is still running (esc cancels it)', 'error'); return; }
    const q = question.trim();
    if (!q) return;
    this.entries.push({ role: 'user', text: q });
    const answer: Entry = { role: 'assistant', text: '' };
    this.entries.push(answer);
    const tools = new Map<string, Entry>();
    const ac = new AbortController();
    this.running = ac;
    this.follow = true;
    this.dirty();
    this.service.ask(q, {
      selection: this.host.selection(), signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'text') answer.text += e.text;
        else if (e.type === 'tool_start') {
          const t: Entry = { role: 'tool', text: '', tool: { name: e.name, args: JSON.stringify(e.arguments) } };
          tools.set(e.id, t);
          // Tool lines go before the answer text that follows them.
          this.entries.splice(this.entries.indexOf(answer), 0, t);
        } else if (e.type === 'tool_end') {
          const t = tools.get(e.id);
          if (t?.tool) Object.assign(t.tool, { ok: e.ok, durationMs: e.durationMs, chars: e.chars, result: e.result });
        } else if (e.type === 'retry') this.entries.push({ role: 'note', text: e.message });
        else if (e.type === 'proposal') this.entries.push({ role: 'note', text: 'a plan was proposed — it opens in the preview pane when the answer ends (ctrl-p reopens it); nothing runs until you confirm there' });
        this.dirty();
      },
    }).then((r) => {
      const bits = [`${r.usage.input}+${r.usage.output} tokens`];
      if (r.usage.cached) bits.push('cached');
      if (r.redacted) bits.push(`${r.redacted} secret value${r.redacted === 1 ? '' : 's'} withheld`);
      this.entries.push({ role: 'note', text: bits.join(', ') });
      if (r.proposals > 0) this.service.review(this.service.proposals() - 1);
    }).catch((err: Error & { line?: string; kind?: string }) => {
      if (err.kind === 'cancelled' || ac.signal.aborted) this.entries.push({ role: 'note', text: 'cancelled' });
      else this.entries.push({ role: 'error', text: err.line ?? err.message });
    }).finally(() => {
      if (this.running === ac) this.running = undefined;
      this.dirty();
    });
  }

  private send(): void {
    const q = this.input;
    this.input = '';
    // Slash commands manage the context's memory (notes given to the model with every question).
    const m = /^\/(memory|remember|forget)\b\s*(.*)$/.exec(q.trim());
    if (m) {
      const cmd = m[1] === 'memory' ? 'show' : (m[1] as 'remember' | 'forget');
      this.entries.push({ role: 'note', text: this.service.memory(cmd, m[2] ?? '') });
      this.dirty();
      return;
    }
    this.ask(q);
  }

  private copyCommand(): void {
    const last = [...this.entries].reverse().find((e) => e.role === 'assistant' && e.text);
    if (!last) { this.host.message('no answer yet', 'error'); return; }
    const cmd = commandsIn(last.text)[0]?.replace(/^kubectl\s+/, '');
    const yaml = yamlIn(last.text);
    if (cmd) { this.host.closeModal(); this.host.toPalette(cmd); return; }
    if (yaml) { this.host.message('the answer has a manifest: save it and run apply -f FILE from the palette', 'info'); return; }
    this.host.message('the last answer has no command to copy', 'error');
  }

  private dirty(): void { this.host.markDirty(); }

  /** Transcript lines as blessed-tagged text (everything from outside sanitised). */
  render(theme: Theme): string {
    const out: string[] = [];
    for (const e of this.entries) {
      switch (e.role) {
        case 'user': out.push(paint(theme, 'accent', `› ${sanitize(e.text)}`)); break;
        case 'assistant': if (e.text) out.push(renderMarkdown(theme, e.text)); else if (this.running) out.push(paint(theme, 'muted', '…')); break;
        case 'note': out.push(paint(theme, 'muted', sanitize(e.text, true).split('\n').map((l) => `  ${l}`).join('\n'))); break;
        case 'error': out.push(paint(theme, 'error', `  ${sanitize(e.text)}`)); break;
        case 'tool': {
          const t = e.tool!;
          const state = t.ok === undefined ? 'running…' : `${t.ok ? '' : 'failed, '}${t.durationMs} ms, ${t.chars} chars`;
          out.push(paint(theme, 'muted', `  ▸ ${escapeTags(sanitizePlain(t.name))} ${escapeTags(sanitizePlain(t.args.slice(0, 100)))} (${state})`));
          if (this.expanded && t.result) out.push(paint(theme, 'muted', sanitize(t.result.split('\n').slice(0, 30).map((l) => `    ${l}`).join('\n'), true)));
          break;
        }
      }
      if (e.role === 'assistant' || e.role === 'error') out.push('');
    }
    return out.join('\n');
  }

  paint(theme: Theme): void {
    this.theme = theme;
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setLabel(` chat${this.running ? ' — answering (esc cancels)' : ''} `);
    this.log.setContent(this.render(theme));
    if (this.follow) this.log.setScrollPerc(100);
    this.inputBox.style = { ...this.inputBox.style, border: blessedStyle(theme, 'border') };
    const w = Math.max(10, (this.element.width as number) - 6);
    const shown = this.input.length > w ? '…' + this.input.slice(-(w - 1)) : this.input;
    this.inputBox.setContent(`${paint(theme, 'accent', '›')} ${escapeTags(sanitizePlain(shown))}${this.running ? '' : '█'}`);
  }

  onClose(): void {
    this.element.hide();
  }

  show(): void { this.element.show(); this.element.setFront(); }
}
