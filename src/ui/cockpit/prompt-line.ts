/** The cockpit's own command line (`:` before the palette is installed) and the `/` filter prompt. */
import { LineEditor } from '../prompt.js';
import type { CockpitCore } from './core.js';
import { applyFilter } from './navigation.js';
import { applyLayout } from './layout-control.js';

export function openPrompt(c: CockpitCore, kind: 'command' | 'filter'): void {
  const target = c.focus === 'events' ? c.events : c.table;
  const before = kind === 'filter' ? target.filterText : '';
  // `/` opens empty (as k9s); the filter in use and earlier ones are one ↑ away.
  if (before) c.filterHistory = [...c.filterHistory.filter((h) => h !== before), before].slice(-20);
  c.prompt = { editor: new LineEditor(kind === 'command' ? ':' : '/', '', kind === 'command' ? c.commandHistory : c.filterHistory), kind, before, target };
  applyLayout(c);
}

export function promptKey(c: CockpitCore, full: string, ch: string | undefined): void {
  const p = c.prompt!;
  const r = p.editor.key({ full, ch });
  if (r === 'cancel') {
    if (p.kind === 'filter') applyFilter(c, p.target, p.before);
    c.prompt = undefined;
    return;
  }
  if (r === 'changed' && p.kind === 'filter') {
    // Live filtering as the user types; a half-typed selector is not an error yet.
    try { p.target.setFilter(p.editor.text); } catch { /* shown on enter */ }
    return;
  }
  if (r !== 'submit') return;
  c.prompt = undefined;
  const text = p.editor.text.trim();
  if (p.kind === 'filter') {
    if (!applyFilter(c, p.target, text)) p.target.setFilter(p.before);
    else if (text) c.filterHistory = [...c.filterHistory.filter((h) => h !== text), text].slice(-20);
    return;
  }
  if (!text) return;
  c.commandHistory = [...c.commandHistory.filter((h) => h !== text), text].slice(-50);
  if (!c.runBuiltinCommand(text)) c.message(c.unknownCommand(text), 'error');
}
