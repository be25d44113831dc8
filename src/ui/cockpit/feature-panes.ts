/**
 * Panes opened on demand from the cockpit — the fleet view and the pulse (triage) pane — with
 * what each needs from the cockpit. Loaded on first use: neither is needed for the first frame.
 */
import type { ConnectOptions } from '../../kube/cluster.js';
import type { ClusterSource, KubeObject, ResourceKind } from '../../kube/types.js';
import type { LiveOptions, LiveTriage } from '../../triage/live.js';
import type { ObjectRef } from '../../triage/types.js';
import type { MutationVerb, PaneHost } from '../host.js';
import { FleetPane } from '../panes/fleet.js';
import { PulsePane } from '../panes/pulse.js';
import { FleetMonitor, fleetContexts } from '../../fleet/monitor.js';
import { cockpitDiagnoser } from '../../triage/ai.js';
import { LiveTriage as LiveTriageImpl } from '../../triage/live.js';
import { Journal } from '../../ops/journal.js';
import { paths } from '../../config/paths.js';
import { loadSettings } from '../../config/settings.js';
import { healingGuard, interventionTimeline, timelineLines } from '../../triage/guard.js';
import { postNotification } from '../../triage/notify.js';
import { refKey, type Finding } from '../../triage/types.js';
import { notifySettings } from './triage-notify.js';
import { gitopsFixHost } from './pulse-gitops.js';

export interface FeatureHost {
  host: PaneHost & { submitPlan?: (text: string) => Promise<void>; runBuiltinCommand(text: string): boolean; planDone?: Set<(d: { text: string; ok: boolean; summary: string }) => void> };
  readonly closed: boolean;
  env: NodeJS.ProcessEnv;
  readonly: boolean;
  fleetContexts?: string[];
  connectOptions?: ConnectOptions;
  /** An operation from the fleet view, in another context: previewed with that context named. */
  operateIn(context: string, verb: MutationVerb, kind: ResourceKind, targets: KubeObject[]): void | Promise<void>;
  switchContext(name: string): Promise<void>;
  /** The cockpit's one live triage (started here if the start-up did not). */
  liveTriage(make: (source: ClusterSource, opts: LiveOptions) => LiveTriage): LiveTriage;
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

/** Fix plans submitted from the pulse pane, by text, waiting for their outcome (notifications). */
const pendingFixes = new WeakMap<object, Map<string, Finding | undefined>>();

export function openPulse(f: FeatureHost, ref?: ObjectRef): void {
  if (f.closed) return;
  const app = f.host;
  const triage = f.liveTriage((source, opts) => new LiveTriageImpl(source, opts));
  // The healing guard and the intervention timeline live in the operations journal.
  let journal: Journal | undefined;
  try { journal = new Journal(paths(f.env).journal); } catch { /* no journal: no guard, no timeline */ }
  const s = loadSettings(f.env);
  const guardSettings = { maxFixes: Number(s.get('triage.healing.maxFixes')), windowMin: Number(s.get('triage.healing.windowMin')) };
  const notify = notifySettings(f.env);
  let pending = pendingFixes.get(app);
  if (!pending) {
    const map = new Map<string, Finding | undefined>();
    pendingFixes.set(app, map);
    pending = map;
    app.planDone?.add((d) => {
      if (!map.has(d.text)) return;
      const finding = map.get(d.text);
      map.delete(d.text);
      if (notify.webhook && notify.fixes) {
        void postNotification(notify.webhook, { type: 'fix', finding, context: app.source.context, plan: d.text, outcome: d.summary, ok: d.ok }).then((err) => { if (err) app.message(`notification: ${err}`, 'error'); });
      }
    });
  }
  const diagnoser = cockpitDiagnoser({ loaded: () => app.loaded, namespace: () => app.namespace ?? app.loaded.namespace, readonly: f.readonly });
  // Fixes to GitOps-managed objects go to their Git source (shown as a diff in the pane, committed with c).
  const gitops = f.readonly ? undefined : gitopsFixHost({ loaded: () => app.loaded, namespace: () => app.namespace, env: f.env, journal,
    notify: notify.webhook && notify.fixes ? (text, ok) => void postNotification(notify.webhook, { type: 'fix', context: app.source.context, plan: text, outcome: ok ? 'committed' : 'push failed', ok }).then((err) => { if (err) app.message(`notification: ${err}`, 'error'); }) : undefined });
  const pane = new PulsePane({
    screen: app.screen, get keymap() { return app.keymap; },
    message: (t, l) => app.message(t, l), markDirty: () => app.markDirty(), closeModal: () => app.closeModal(),
    namespace: () => app.namespace,
    findings: () => triage.findings(),
    onFindingsChange: (fn) => triage.onChange(fn),
    explain: (r) => triage.explain(r),
    diagnose: (finding, onText, signal) => diagnoser(triage.snapshot()!, finding, onText, signal),
    submitPlan: app.submitPlan && !f.readonly ? (t) => {
      pending!.set(t, triage.findings().find((x) => t.includes(x.object.name)));
      return app.submitPlan!(t);
    } : undefined,
    guard: journal ? (r) => healingGuard(journal!, r, guardSettings) : undefined,
    timeline: journal ? (r) => timelineLines(interventionTimeline(journal!, r)) : undefined,
    record: journal ? (r, stage, detail) => {
      // A finding is noted once per look, not at every repaint; the rest as they happen.
      const last = interventionTimeline(journal!, r).at(-1);
      if (stage === 'finding' && last?.stage === 'finding' && last.detail === detail && Date.now() - Date.parse(last.at) < 3_600_000) return;
      journal!.recordIntervention(refKey(r), stage, detail, app.source.context);
    } : undefined,
    prepareFix: gitops && app.submitPlan ? (c, finding, r) => gitops.prepareFix(c, finding, r) : undefined,
    commitFix: gitops ? (c) => gitops.commitFix(c) : undefined,
  });
  app.openModal({ element: pane.element, handleKey: (k, c) => pane.handleKey(k, c), paint: (t) => pane.paint(t), onClose: () => { pane.onClose(); gitops?.close(); journal?.close(); }, get hints() { return pane.hints; } });
  pane.show(ref);
}
