/**
 * The cockpit's own `:` commands (navigation and views). Feature panes load on first use so
 * the first frame does not wait for them; operations, plans and plugins register theirs from
 * their own modules (src/ui/panes/operations.ts, src/commands/cockpit.ts).
 */
import { LAYOUTS, type LayoutName } from '../layout.js';
import type { CockpitRegistry } from './registry.js';
import type { PaneHost } from '../host.js';

/** What the built-in commands ask of the cockpit. */
export interface BuiltinHost extends PaneHost {
  toggleHelp(): void;
  setNamespace(ns: string | undefined): void;
  showKindByName(name: string): boolean;
  contexts(): string[];
  switchContext(name: string, reconnect?: string): Promise<void>;
  switchAsset(what: 'theme' | 'keymap', name: string): void;
  openFleet(kind?: string): void;
  openPulse(): void;
  setLayout(name: LayoutName): void;
}

export function registerBuiltinCommands(reg: CockpitRegistry, c: BuiltinHost): void {
  const lazy = (what: string, load: () => Promise<unknown>) => {
    load().catch((err: Error) => c.message(`${what}: ${err.message}`, 'error'));
  };
  reg.command({ names: ['q', 'q!', 'quit', 'exit'], usage: ':q', summary: 'quit', group: 'navigation', run: () => c.quit() });
  reg.command({ names: ['help'], usage: ':help  (?)', summary: 'this help', group: 'navigation', run: () => c.toggleHelp() });
  reg.command({
    names: ['ns', 'namespace'], usage: ':ns [NAME|all]', summary: 'switch namespace; with no name, list namespaces (enter picks one)', group: 'navigation',
    run: ([name]) => {
      if (!name) { if (!c.showKindByName('namespaces')) c.message('namespaces are not listed by this API server', 'error'); return; }
      c.setNamespace(name === 'all' || name === '*' || name === '-A' ? undefined : name);
    },
  });
  reg.command({
    names: ['ctx', 'context'], usage: ':ctx [NAME]', summary: 'switch kubeconfig context (the current one: reconnect); no name lists them', group: 'navigation',
    run: ([name]) => {
      if (!name) { c.message(`contexts: ${c.contexts().join(', ')}`); return; }
      // Naming the current context re-reads the kubeconfig and reconnects (new certificate, token).
      void c.switchContext(name, name === c.source.context ? 'kubeconfig re-read' : undefined);
    },
  });
  reg.command({ names: ['theme'], usage: ':theme NAME', summary: 'switch theme (dark, light, high-contrast or yours)', group: 'views', run: ([n]) => c.switchAsset('theme', n ?? '') });
  reg.command({ names: ['keymap'], usage: ':keymap NAME', summary: 'switch keymap (default, vim or yours)', group: 'views', run: ([n]) => c.switchAsset('keymap', n ?? '') });
  reg.command({
    names: ['layout'], usage: `:layout ${LAYOUTS.join('|')}`, summary: 'switch layout', group: 'views',
    run: ([n]) => {
      if (!(LAYOUTS as string[]).includes(n ?? '')) { c.message(`layouts: ${LAYOUTS.join(', ')}`, 'error'); return; }
      c.setLayout(n as LayoutName);
    },
  });
  reg.command({
    names: ['pf', 'port-forward'], usage: ':pf [KIND/]NAME [LOCAL:]PORT', summary: 'port-forward a pod or service (metered)', group: 'views',
    run: (args) => lazy('port-forward', () => import('../panes/portforward.js').then((m) => m.forwardCommand(c, args))),
  });
  reg.command({
    names: ['forwards'], usage: ':forwards', summary: 'every running forward with live meters', group: 'views',
    run: () => lazy('port-forward', () => import('../panes/portforward.js').then((m) => m.forwardCommand(c, []))),
  });
  reg.command({
    names: ['top', 'metrics'], usage: ':top', summary: 'node and pod CPU/memory from metrics.k8s.io', group: 'views',
    run: () => lazy('top', () => import('../panes/top.js').then((m) => m.openTop(c))),
  });
  reg.command({ names: ['pulse', 'pulses', 'triage'], usage: ':pulse', summary: 'triage findings, live (enter: evidence → diagnosis → fix)', group: 'views', run: () => c.openPulse() });
  reg.command({ names: ['fleet'], usage: ':fleet [pods]', summary: 'every context on one screen / pods of all contexts', group: 'views', run: ([k]) => c.openFleet(k) });
  reg.command({ names: ['chat', 'ai', 'ask'], usage: ':chat [QUESTION]', summary: 'AI chat about the selection (read-only tools; proposes plans)', group: 'ai', run: (args) => c.openChat(args.join(' ')) });
  reg.command({
    names: ['usage'], usage: ':usage', summary: 'AI calls, tokens and cost by day and model', group: 'ai',
    run: () => lazy('usage', () => import('../panes/usage.js').then((m) => c.openModal(new m.UsagePane(c.screen, () => c.closeModal())))),
  });
}
