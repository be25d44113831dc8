/**
 * User plugins in the cockpit (src/plugins): each is a `:` command (palette too) and
 * optionally a key, for the kinds it names. A shell plugin runs with the plugin variables in
 * its environment — in the background with its output shown when it ends, or in the shell
 * pane; a plan plugin's command goes through preview/confirm; a prompt plugin needs the AI
 * core. Help lists them with their file. It needs only the PluginHost below.
 */
import blessed from 'blessed';
import type { KubeObject, ResourceKind } from '../../kube/types.js';
import type { Plugin } from '../../plugins/schema.js';
import type { PluginRegistry } from '../../plugins/registry.js';
import { expandTemplate, pluginVars } from '../../plugins/vars.js';
import { runBackground } from '../../plugins/run.js';
import { composePluginPrompt } from '../../plugins/prompt.js';
import { escapeTags, fit, sanitizePlain } from '../sanitize.js';
import { blessedStyle, paint, type Theme } from '../theme.js';

export interface PluginHost {
  readonly screen: blessed.Widgets.Screen;
  readonly readonlyMode: boolean;
  /** The current context, cluster, kubeconfig files and namespace. */
  where(): { context: string; cluster: string; files: string[]; namespace: string | undefined };
  /** The kind on screen and its marked rows (or the selected one). */
  targets(): { kind: ResourceKind; objects: KubeObject[] } | undefined;
  message(text: string, level?: 'info' | 'error'): void;
  markDirty(): void;
  openModal(m: { element: blessed.Widgets.BlessedElement; handleKey(full: string, ch?: string): boolean; paint?(t: Theme): void; onClose?(): void; hints?: string }): void;
  closeModal(): void;
  submitPlan?: (text: string) => Promise<void>;
  openShell(name: string, command: string, env: Record<string, string>): void | Promise<void>;
  /**
   * Runs a prompt with the AI core (its tools, redaction, budgets) about the selection; the
   * answer text. Absent when the cockpit has no AI core.
   */
  askAi?(prompt: string, selection: string, promptId: string, signal: AbortSignal): Promise<{ answer: string; model?: string }>;
  /** The keymap action a key is bound to (a plugin's key then never fires; help says so). */
  keyTaken?(norm: string): string | undefined;
}

export class PluginRunner {
  private running = new Map<string, AbortController>();

  constructor(private readonly host: PluginHost, readonly registry: PluginRegistry) {}

  /** `:name` → the plugin, if one applies here. */
  command(text: string): boolean {
    const name = text.trim().split(/\s+/)[0] ?? '';
    const p = this.registry.byName(name);
    if (!p) return false;
    const kind = this.host.targets()?.kind;
    if (!this.applies(p, kind)) {
      this.host.message(`plugin ${p.name} applies to ${p.scopes.join(', ')} (this is ${kind?.resource ?? 'no table'})`, 'error');
      return true;
    }
    void this.run(p);
    return true;
  }

  /** A key no binding took: the plugin bound to it for the kind on screen. */
  key(full: string): boolean {
    const p = this.registry.byKey(full, this.host.targets()?.kind);
    if (!p) return false;
    void this.run(p);
    return true;
  }

  private applies(p: Plugin, kind: ResourceKind | undefined): boolean {
    return this.registry.forKind(kind).includes(p);
  }

  helpRows(): Array<[string, string]> {
    const rows: Array<[string, string]> = this.registry.all().map((p) => {
      const taken = p.key ? this.host.keyTaken?.(p.key.norm) : undefined;
      return [
        `${p.key && !taken ? `${p.key.raw}, ` : ''}:${p.name}`,
        `${shortPath(p.source)}:${p.line}  ${p.description || p.action.type}${p.mutates ? ' (changes the cluster)' : ''}${taken ? ` (key ${p.key!.raw} is bound to ${taken})` : ''} — ${p.scopes.join(', ')}`,
      ];
    });
    for (const e of this.registry.errors()) rows.push(['(plugin error)', e]);
    return rows;
  }

  async run(p: Plugin): Promise<void> {
    if (p.mutates && this.host.readonlyMode) { this.host.message(`read-only mode: plugin ${p.name} changes the cluster`, 'error'); return; }
    const w = this.host.where();
    const t = this.host.targets();
    const vars = pluginVars({ context: w.context, cluster: w.cluster, kubeconfigFiles: w.files, namespace: w.namespace, kind: t?.kind, objects: t?.objects ?? [] });
    const a = p.action;
    try {
      if (a.type === 'plan') {
        if (!this.host.submitPlan) { this.host.message(`plugin ${p.name}: the operations pipeline is not loaded yet`, 'error'); return; }
        await this.host.submitPlan(expandTemplate(a.template, vars));
      } else if (a.type === 'shell' && !a.background) {
        await this.host.openShell(p.name, a.command, vars);
      } else if (a.type === 'shell') {
        this.running.get(p.name)?.abort();
        const ctl = new AbortController();
        this.running.set(p.name, ctl);
        this.host.message(`plugin ${p.name} running…`);
        const r = await runBackground(a.command, vars, { signal: ctl.signal });
        if (this.running.get(p.name) !== ctl) return;
        this.running.delete(p.name);
        const how = r.timedOut ? 'timed out' : r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
        this.host.openModal(new PluginOutputPane(this.host, p, { text: r.output, ok: r.code === 0 && !r.timedOut, how, detail: `${r.ms} ms${r.truncated ? ', output truncated (the end is kept)' : ''}` }));
      } else {
        if (!this.host.askAi) { this.host.message(`plugin ${p.name}: prompt plugins need the AI core`, 'error'); return; }
        const { text, files } = composePluginPrompt(p.name, a.file, vars);
        const selection = (t?.objects ?? []).map((o) => `${t!.kind.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`).join(', ') || 'nothing selected';
        this.running.get(p.name)?.abort();
        const ctl = new AbortController();
        this.running.set(p.name, ctl);
        this.host.message(`plugin ${p.name}: asking the model about ${selection}…`);
        const started = Date.now();
        try {
          const r = await this.host.askAi(text, `${selection} (context ${w.context})`, p.name, ctl.signal);
          if (this.running.get(p.name) !== ctl) return;
          this.host.openModal(new PluginOutputPane(this.host, p, { text: r.answer, ok: true, how: `answer${r.model ? ` from ${r.model}` : ''}`, detail: `${Date.now() - started} ms, prompt ${files.map(shortPath).join(' + ')}` }));
        } finally {
          if (this.running.get(p.name) === ctl) this.running.delete(p.name);
        }
      }
    } catch (err) {
      this.host.message(`plugin ${p.name}: ${(err as Error).message}`, 'error');
    }
  }

  close(): void {
    for (const c of this.running.values()) c.abort();
    void this.registry.close();
  }
}

/** The plugin's file for help: ~ for the home directory. */
function shortPath(file: string): string {
  const home = process.env.HOME;
  return home && file.startsWith(home + '/') ? `~${file.slice(home.length)}` : file;
}

/** A background plugin's captured output, its exit code and time; esc closes. */
interface Output { text: string; ok: boolean; how: string; detail: string }

class PluginOutputPane {
  readonly element: blessed.Widgets.BoxElement;
  readonly hints = 'j/k:scroll esc:close';
  private offset = 0;
  private readonly lines: string[];

  constructor(private readonly host: PluginHost, private readonly plugin: Plugin, private readonly r: Output) {
    this.element = blessed.box({ parent: host.screen, top: 1, left: 2, right: 2, bottom: 2, border: { type: 'line' }, tags: true, hidden: true, wrap: false });
    // Output is data: control sequences made visible, tags escaped (sanitize on paint).
    this.lines = r.text.replace(/\n$/, '').split('\n');
  }

  handleKey(full: string): boolean {
    const vis = this.visible();
    switch (full) {
      case 'escape': case 'q': case 'enter': this.host.closeModal(); return true;
      case 'j': case 'down': this.offset++; break;
      case 'k': case 'up': this.offset--; break;
      case 'pagedown': case 'space': this.offset += vis; break;
      case 'pageup': this.offset -= vis; break;
      case 'g': this.offset = 0; break;
      case 'S-g': this.offset = this.lines.length; break;
      default: return true;
    }
    this.offset = Math.max(0, Math.min(this.offset, Math.max(0, this.lines.length - vis)));
    this.host.markDirty();
    return true;
  }

  private visible(): number {
    return Math.max(1, (this.element.height as number) - 3);
  }

  paint(theme: Theme): void {
    const width = Math.max(10, (this.element.width as number) - 2);
    const { how, ok, detail } = this.r;
    this.element.style = { ...this.element.style, border: blessedStyle(theme, 'focusBorder') };
    this.element.setLabel(` plugin ${escapeTags(sanitizePlain(this.plugin.name))}: ${escapeTags(sanitizePlain(`${how}, ${detail}`))} `);
    const body = this.lines.slice(this.offset, this.offset + this.visible()).map((l) => escapeTags(fit(sanitizePlain(l), width, false)));
    const status = paint(theme, ok ? 'ok' : 'error', escapeTags(`${ok ? '✓' : '✗'} ${how}`)) + paint(theme, 'muted', escapeTags(`  ${this.plugin.source}:${this.plugin.line}`));
    this.element.setContent([...body, status].join('\n'));
  }

  onClose(): void {
    this.element.destroy();
  }
}
