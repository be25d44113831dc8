/**
 * Port-forwards of the cockpit: `shift-f` on a pod or service, `:pf svc/web 8080:80`, and the
 * forwards pane (`:forwards`, `shift-p`; forwards-pane.ts) with live meters, HTTP requests,
 * issues and the load check per forward. Forwards are remembered in `<configDir>/forwards.json`
 * and offered again (`r`) in the next session (forwards-registry.ts).
 *
 * Port-forward only reads: it needs no plan, but a pod that is not Running is refused with one
 * clear message.
 */
import type { PaneHost as Cockpit } from '../host.js';
import { declaredPorts, ForwardDialog, proposeLocal } from './forward-dialog.js';
import { parseForwardArgs, type ForwardSpec, type MeteredForward } from '../../kube/portforward.js';
import { forwardsOf } from './forwards-registry.js';
import { ForwardsPane } from './forwards-pane.js';

export { forwardsOf } from './forwards-registry.js';
export { ForwardsPane } from './forwards-pane.js';

/** Opens the forwards pane (selecting `f` when given). */
export function openForwards(app: Cockpit, f?: MeteredForward): void {
  const pane = new ForwardsPane(app, forwardsOf(app));
  pane.select(f);
  app.openModal(pane);
}

/** `shift-f` on the selected pod or service: which port (and which local port) is asked first. */
export async function forwardSelection(app: Cockpit): Promise<void> {
  const sel = app.selection();
  const kind = sel ? sel.object.kind ?? sel.kind.kind : '';
  if (!sel || (kind !== 'Pod' && kind !== 'Service')) { app.message('port-forward: select a pod or a service (or :pf svc/NAME LOCAL:REMOTE)', 'error'); return; }
  const o = sel.object;
  if (kind === 'Pod' && o.status?.phase !== 'Running') { app.message(`cannot port-forward: pod ${o.metadata.name} is ${o.status?.phase ?? 'not started'}, not Running`, 'error'); return; }
  const ports = declaredPorts(o, kind);
  if (!ports.length) { app.message(`port-forward: ${kind.toLowerCase()} ${o.metadata.name} declares no port — use :pf ${kind === 'Pod' ? 'pod' : 'svc'}/${o.metadata.name} LOCAL:REMOTE`, 'error'); return; }
  const ns = o.metadata.namespace ?? 'default';
  const target = `${ns}/${kind === 'Pod' ? 'pod' : 'svc'}/${o.metadata.name}`;
  const dialog = new ForwardDialog(app.screen, target, ports, (r) => proposeLocal(r), (choices) => {
    app.closeModal();
    if (!choices) return;
    const specs = choices.map((c): ForwardSpec => ({ namespace: ns, kind: kind === 'Pod' ? 'pod' : 'service', name: o.metadata.name, remotePort: c.remote, localPort: c.local }));
    void startForwards(app, specs);
  }, () => app.markDirty());
  app.openModal(dialog);
}

/** `:pf svc/web 8080:80 [8443:443…] [-n ns]`, `:pf` alone opens the pane. */
export async function forwardCommand(app: Cockpit, args: string[]): Promise<void> {
  if (!args.length) { openForwards(app); return; }
  let specs: ForwardSpec[];
  try {
    specs = parseForwardArgs(args, app.namespace ?? app.loaded.namespace ?? 'default');
  } catch (err) {
    app.message((err as Error).message, 'error');
    return;
  }
  await startForwards(app, specs);
}

/** Several ports of one target: one forward each (metered apart), one API connection for all. */
async function startForwards(app: Cockpit, specs: ForwardSpec[]): Promise<void> {
  const started: MeteredForward[] = [];
  for (const spec of specs) {
    const f = await forwardsOf(app).start(spec);
    if (f) started.push(f);
  }
  if (started.length) openForwards(app, started[0]);
}

/** At start: say that forwards from an earlier session can be restored (the pane's `r`). */
export function offerRestore(app: Cockpit): void {
  const todo = forwardsOf(app).restorable();
  if (!todo.length) return;
  const key = app.keymap.byAction.get('portForwards')?.[0] ?? ':forwards';
  app.message(`${todo.length} remembered port-forward${todo.length > 1 ? 's' : ''} (${key}, r restores)`);
}
