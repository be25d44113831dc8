/** The keymap's actions bound to what they do (panes add or replace theirs: shell, undo, history…). */
import { MUTATIONS } from '../host.js';
import type { TablePane } from '../panes/table.js';
import { resize } from '../layout.js';
import type { CockpitCore } from './core.js';
import { back, closeDetail, drill, openDetail } from './navigation.js';
import { applyLayout, cycleFocus, focusPane, pane, setLayout } from './layout-control.js';
import { openPrompt } from './prompt-line.js';

export function registerActions(c: CockpitCore): void {
  const a = c.actions;
  const focused = () => pane(c, c.focus);
  const nav = (name: string) => () => {
    const p = focused();
    if (p === c.tree) c.tree.handleTreeAction(name);
    else if (p === c.table || p === c.events) (p as TablePane).handleTableAction(name);
    else p.handleAction(name);
  };
  for (const n of ['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom']) a.set(n, nav(n));
  a.set('quit', () => c.quit());
  a.set('help', () => c.toggleHelp());
  a.set('command', () => (c.commandHandler ? c.commandHandler(c as never) : openPrompt(c, 'command')));
  a.set('filter', () => {
    if (c.focus !== 'events') c.focus = c.detailOpen ? c.focus : 'table';
    if (c.focus === 'detail' || c.focus === 'tree') { closeDetail(c); c.focus = 'table'; }
    openPrompt(c, 'filter');
  });
  a.set('back', () => { back(c); });
  a.set('drill', () => {
    if (c.focus === 'tree') c.tree.handleTreeAction('drill');
    else if (c.focus === 'events') c.events.handleTableAction('drill');
    else if (c.focus === 'table') drill(c);
  });
  a.set('describe', () => openDetail(c, 'describe'));
  a.set('yaml', () => openDetail(c, 'yaml'));
  a.set('reveal', () => c.message(c.detail.revealNext()));
  // Streams (logs, port-forward, top) load on first use: their panes are not needed to start.
  a.set('logs', () => import('../panes/logs.js').then((m) => m.openLogs(c)));
  // The shell pane loads on first use (xterm and node-pty stay out of the start-up path).
  a.set('shell', () => {
    // A shell can change anything inside a container: read-only mode refuses it like k9s does.
    if (c.opts.readonly) { c.message('read-only mode: shell is disabled (--readonly)', 'error'); return; }
    return import('../panes/shell.js').then((m) => m.shellPaneFor(c).openForSelection());
  });
  a.set('portForward', () => import('../panes/portforward.js').then((m) => m.forwardSelection(c)));
  a.set('portForwards', () => import('../panes/portforward.js').then((m) => m.openForwards(c)));
  a.set('metrics', () => import('../panes/top.js').then((m) => m.openTop(c)));
  a.set('chat', () => c.openChat());
  for (const verb of MUTATIONS) a.set(verb, () => c.requestOperation(verb));
  for (const n of ['mark', 'clearMarks', 'sortNext', 'sortReverse']) {
    a.set(n, () => { (c.focus === 'events' ? c.events : c.table).handleTableAction(n); });
  }
  a.set('allNamespaces', () => c.setNamespace(undefined));
  a.set('focusNext', () => cycleFocus(c, 1));
  a.set('focusPrev', () => cycleFocus(c, -1));
  a.set('zoom', () => {
    c.layout = { ...c.layout, zoom: c.layout.zoom ? undefined : c.focus };
    applyLayout(c);
  });
  a.set('layout', () => setLayout(c, c.layout.name === 'browse' ? 'triage' : 'browse'));
  a.set('grow', () => { c.layout = resize(c.layout, c.focus, 1); applyLayout(c); });
  a.set('shrink', () => { c.layout = resize(c.layout, c.focus, -1); applyLayout(c); });
  a.set('tree', () => focusPane(c, 'tree'));
  a.set('events', () => focusPane(c, 'events'));
  a.set('pulse', () => c.openPulse());
  a.set('explain', () => c.explainSelection());
  a.set('messages', () => import('../panes/messages.js').then((m) => c.openModal(new m.MessagesPane(c.screen, () => c.messageLog, () => c.closeModal()))));
}
