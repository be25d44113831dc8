/**
 * The cockpit's state and panes as its own parts (navigation, layout, actions, prompt, tree
 * host) see them. The Cockpit class (src/app.ts) implements it; these modules never import it.
 */
import type blessed from 'blessed';
import type { ClusterSource, KubeObject, ResourceKind } from '../../kube/types.js';
import type { LayoutState, PaneId } from '../layout.js';
import type { TablePane } from '../panes/table.js';
import type { EventsPane } from '../panes/events.js';
import type { TreePane } from '../panes/tree.js';
import type { DetailPane } from '../panes/detail.js';
import type { HelpOverlay } from '../panes/help.js';
import type { LineEditor } from '../prompt.js';
import type { FrameScheduler } from '../frame.js';
import type { MutationVerb, PaneHost } from '../host.js';
import type { ObjectRef } from '../../triage/types.js';
import type { Feeds } from './feeds.js';

export type Crumb = { kind: ResourceKind; namespace: string | undefined; filter: string; scope: TablePane['scope']; key?: string };

export interface PromptState { editor: LineEditor; kind: 'command' | 'filter'; before: string; target: TablePane }

export interface CockpitCore extends PaneHost {
  readonly screen: blessed.Widgets.Screen;
  readonly scheduler: FrameScheduler;
  readonly opts: { readonly: boolean };
  readonly table: TablePane;
  readonly events: EventsPane;
  readonly tree: TreePane;
  readonly detail: DetailPane;
  readonly help: HelpOverlay;
  readonly feeds: Feeds;
  source: ClusterSource;
  namespace: string | undefined;
  layout: LayoutState;
  focus: PaneId;
  detailOpen: boolean;
  crumbs: Crumb[];
  prompt: PromptState | undefined;
  commandHistory: string[];
  filterHistory: string[];
  readonly messageLog: Array<{ text: string; level: 'info' | 'error'; at: number }>;
  commandHandler: ((app: never) => void) | undefined;

  setKind(kind: ResourceKind, ns: string | undefined): void;
  setNamespace(ns: string | undefined): void;
  switchContext(name: string, reconnect?: string): Promise<void>;
  contexts(): string[];
  runBuiltinCommand(input: string): boolean;
  toggleHelp(): void;
  requestOperation(verb: MutationVerb): void;
  openPulse(ref?: ObjectRef): void;
  explainSelection(): void;
}

export type { KubeObject };
