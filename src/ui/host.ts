/**
 * What a pane may ask of the cockpit — its host — so panes never import the composition root
 * (src/app.ts imports them; they import this). The Cockpit implements it; tests and other
 * hosts (the fleet view, a future split-screen) can too.
 */
import type blessed from 'blessed';
import type { ClusterSource, KubeObject, ResourceKind } from '../kube/types.js';
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import type { OpsSession } from '../ops/session.js';
import type { Plan } from '../ops/plan.js';
import type { Keymap } from './keymap.js';
import type { Theme } from './theme.js';
import type { TreeNode } from './relations.js';
import type { ModalPane } from './panes/modal.js';
import type { CockpitRegistry } from './cockpit/registry.js';
import type { ForwardSignal } from '../triage/types.js';
import type { StreamServices } from '../kube/streams.js';

export type MutationVerb = 'delete' | 'edit' | 'scale' | 'restart' | 'cordon' | 'uncordon' | 'drain';
export const MUTATIONS: MutationVerb[] = ['delete', 'edit', 'scale', 'restart', 'cordon', 'uncordon', 'drain'];

export interface OperationRequest {
  verb: MutationVerb;
  kind: ResourceKind;
  targets: KubeObject[];
  source: ClusterSource;
  context: string;
  /** From the fleet view: `context` may differ from the cockpit's, and the preview names it. */
  fleet?: boolean;
}

export type MessageLevel = 'info' | 'error';

/** A keymap action's handler (bound by name in keymaps/*.yaml). */
export type HostAction = (host: never) => void | Promise<void>;

/** The cockpit as a pane sees it: screen, cluster, selection, modals, messages, redraws. */
export interface PaneHost {
  readonly screen: blessed.Widgets.Screen;
  readonly done: Promise<void>;
  source: ClusterSource;
  loaded: LoadedKubeConfig;
  theme: Theme;
  keymap: Keymap;
  namespace: string | undefined;
  /** Handlers of keymap actions by name; a pane adds its own (`shell`, `logs`, …). */
  readonly actions: Map<string, HostAction>;
  /** Actions and `:` commands with their help (a feature registers its commands here). */
  readonly registry: CockpitRegistry;
  /** The message for a command nobody took ("did you mean"). */
  unknownCommand(text: string): string;
  selection(): { kind: ResourceKind; object: KubeObject } | undefined;
  treeSelection(): TreeNode | undefined;
  openModal(m: ModalPane): void;
  closeModal(): void;
  message(text: string, level?: MessageLevel): void;
  markDirty(): void;
  quit(): void;
  /** Logs, metrics and port-forward streams over the connected cluster (undefined: this source cannot stream). */
  streams(): StreamServices | undefined;
  /** The AI chat, optionally with a question. */
  openChat(question?: string): void;
  /** Set by the shell pane once it exists: its recent transcript. */
  shellTranscript?: () => string | undefined;
  /** Set by the port-forward module once used: each running forward's counters (for the AI's cockpit_state tool). */
  forwardStats?: () => unknown;
  /** Set by the port-forward module once used: each running forward's issues, for live triage's port-forward rule. */
  forwardSignals?: () => ForwardSignal[];
  /** A forward's counters moved: live triage re-reads the signals (cheap when nothing changed). */
  forwardsChanged?(): void;
}

/** What the operations wiring (panes/operations.ts) needs besides: the palette, the pipeline's hooks. */
export interface OpsHost extends PaneHost {
  readonly extraCommands: Array<(text: string) => boolean>;
  readonly opsMode: string;
  readonly readonlyMode: boolean;
  runBuiltinCommand(input: string): boolean;
  setCommandHandler(fn: (host: OpsHost) => void): void;
  setOperationHandler(fn: (r: OperationRequest) => void | Promise<void>): void;
  submitPlan?: (text: string) => Promise<void>;
  opsSession?: () => Promise<OpsSession>;
  /** `refine`: what r does in the preview (an AI plan goes back to the chat, not the palette). */
  reviewPlan?: (title: string, plan: Plan, notes: string[], refine?: () => void) => Promise<void>;
  openPalette?: (text: string) => void;
  /** Told when a previewed plan has run (the pulse pane's fix notifications listen here). */
  readonly planDone: Set<(d: { text: string; ok: boolean; summary: string }) => void>;
}
