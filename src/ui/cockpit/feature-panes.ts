/**
 * Panes opened on demand from the cockpit — the fleet view and the pulse (triage) pane — with
 * what each needs from the cockpit. Loaded on first use: neither is needed for the first frame.
 */
import type { ConnectOptions } from '../../kube/cluster.js';
import type { ClusterSource, KubeObject, ResourceKind } from '../../kube/types.js';
import type { LiveTriage } from '../../triage/live.js';
import type { ObjectRef } from '../../triage/types.js';
import type { MutationVerb, PaneHost } from '../host.js';
import { FleetPane } from '../panes/fleet.js';
import { PulsePane } from '../panes/pulse.js';
import { FleetMonitor, fleetContexts } from '../../fleet/monitor.js';
import { cockpitDiagnoser } from '../../triage/ai.js';
import { LiveTriage as LiveTriageImpl } from '../../triage/live.js';

export interface FeatureHost {
  host: PaneHost & { submitPlan?: (text: string) => Promise<void>; runBuiltinCommand(text: string): boolean };
  readonly closed: boolean;
  env: NodeJS.ProcessEnv;
  readonly: boolean;
  fleetContexts?: string[];
  connectOptions?: ConnectOptions;
  /** An operation from the fleet view, in another context: previewed with that context named. */
  operateIn(context: string, verb: MutationVerb, kind: ResourceKind, targets: KubeObject[]): void | Promise<void>;
  switchContext(name: string): Promise<void>;
  /** The cockpit's one live triage (started here if the start-up did not). */
  liveTriage(make: (source: ClusterSource) => LiveTriage): LiveTriage;
}

export function openFleet(f: FeatureHost, kind?: string): void {
  if (f.closed) return;
  const app = f.host;
  const files = app.loaded.files;
  const contexts = fleetContexts({ kubeconfig: files.length === 1 ? files[0] : undefined }, f.fleetContexts, f.env);
  const monitor = new FleetMonitor(contexts, { connect: f.connectOptions });
  monitor.start();
  const pane = new FleetPane({
    screen: app.screen, get keymap() { return app.keymap; }, readonlyMode: f.readonly,
    message: (t, l) => app.message(t, l), markDirty: () => app.markDirty(), closeModal: () => app.closeModal(),
    switchContext: (n) => f.switchContext(n), runBuiltinCommand: (t) => app.runBuiltinCommand(t),
    operateIn: (context, verb, k, targets) => f.operateIn(context, verb, k, targets),
  }, monitor);
  app.openModal(pane);
  pane.show(kind);
}

export function openPulse(f: FeatureHost, ref?: ObjectRef): void {
  if (f.closed) return;
  const app = f.host;
  const triage = f.liveTriage((source) => new LiveTriageImpl(source));
  const diagnoser = cockpitDiagnoser({ loaded: () => app.loaded, namespace: () => app.namespace ?? app.loaded.namespace, readonly: f.readonly });
  const pane = new PulsePane({
    screen: app.screen, get keymap() { return app.keymap; },
    message: (t, l) => app.message(t, l), markDirty: () => app.markDirty(), closeModal: () => app.closeModal(),
    namespace: () => app.namespace,
    findings: () => triage.findings(),
    onFindingsChange: (fn) => triage.onChange(fn),
    explain: (r) => triage.explain(r),
    diagnose: (finding, onText, signal) => diagnoser(triage.snapshot()!, finding, onText, signal),
    submitPlan: app.submitPlan && !f.readonly ? (t) => app.submitPlan!(t) : undefined,
  });
  app.openModal({ element: pane.element, handleKey: (k, c) => pane.handleKey(k, c), paint: (t) => pane.paint(t), onClose: () => pane.onClose(), get hints() { return pane.hints; } });
  pane.show(ref);
}
