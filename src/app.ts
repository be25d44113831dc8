/**
 * Composition root of the cockpit: one blessed screen, one frame scheduler, the panes, the
 * keymap/theme (hot-reloaded), and the cluster source the panes render from. Data flows one
 * way: ClusterSource collections → panes (painted once per frame) → keys → actions.
 *
 * Extending it (the operations pipeline and other features do this):
 *   - `cockpit.actions.set(name, fn)` replaces or adds the handler of a keymap action
 *     (e.g. 'delete', 'logs'); keymaps refer to actions by name.
 *   - `cockpit.setOperationHandler(fn)` receives every mutation request (delete, scale,
 *     restart, edit, cordon, uncordon, drain) with its targets; it must build a plan and go
 *     through preview/confirm. Without one, mutations say the pipeline is not available.
 *   - `cockpit.setCommandHandler(fn)` is called by `:` (the palette); it may call
 *     `cockpit.runBuiltinCommand(text)` for `:q`, `:pods`, `:ns`…
 *   - `cockpit.openModal(pane)` shows a modal pane that receives keys until closed.
 */
// Screen and box only, not all of blessed's widgets: see blessed-lite.ts.
import blessed from './ui/blessed-lite.js';
import type { Widgets } from 'blessed';
import type { ClusterSource, Collection, KubeObject, ResourceKind } from './kube/types.js';
import type { LoadedKubeConfig } from './kube/kubeconfig.js';
import { FrameScheduler } from './ui/frame.js';
import { splitTerminalInput } from './ui/input-split.js';
import { fixColourCount } from './ui/terminal-colours.js';
import { defaultLayout, type LayoutName, type LayoutState, type PaneId } from './ui/layout.js';
import { KeyResolver, type Keymap } from './ui/keymap.js';
import type { Theme } from './ui/theme.js';
import { Looks } from './ui/cockpit/looks.js';
import { TablePane } from './ui/panes/table.js';
import { EventsPane } from './ui/panes/events.js';
import { TreePane } from './ui/panes/tree.js';
import { DetailPane } from './ui/panes/detail.js';
import { HelpOverlay } from './ui/panes/help.js';
import { StatusBar, type StatusInfo } from './ui/panes/status.js';
import { healthCounts } from './ui/rows.js';
import type { TreeNode } from './ui/relations.js';
import { crdPrinterColumns, printerColumnsView } from './ui/columns/printer-columns.js';
import { BenchTrace } from './ui/cockpit/bench-trace.js';
import { CockpitRegistry } from './ui/cockpit/registry.js';
import { registerBuiltinCommands } from './ui/cockpit/builtin-commands.js';
import type { FeatureHost } from './ui/cockpit/feature-panes.js';
import { registerActions } from './ui/cockpit/actions.js';
import { treeHost } from './ui/cockpit/tree-host.js';
import { applyFilter, selectionChanged } from './ui/cockpit/navigation.js';
import { applyLayout, pane, panes, setLayout, visiblePanes } from './ui/cockpit/layout-control.js';
import { promptKey } from './ui/cockpit/prompt-line.js';
import type { Crumb, PromptState } from './ui/cockpit/core.js';

import type { OpsHost } from './ui/host.js';
export { MUTATIONS, type MutationVerb, type OperationRequest } from './ui/host.js';
import { MUTATIONS, type MutationVerb, type OperationRequest } from './ui/host.js';

import type { ModalPane } from './ui/panes/modal.js';
import { Feeds, WELL_KNOWN } from './ui/cockpit/feeds.js';
import { StreamServices } from './kube/streams.js';
import type { Transport } from './kube/transport.js';
export type { ModalPane } from './ui/panes/modal.js';

export interface CockpitOptions {
  source: ClusterSource;
  loaded: LoadedKubeConfig;
  /** Connects to another context of the same kubeconfig (context switching). */
  connect?: (context: string) => Promise<{ source: ClusterSource; loaded: LoadedKubeConfig }>;
  allNamespaces?: boolean;
  readonly: boolean;
  mode: string;
  theme: string;
  keymap: string;
  refreshMs: number;
  layout: LayoutName;
  mouse: boolean;
  userDirs: { keymaps: string; themes: string };
  env?: NodeJS.ProcessEnv;
  /** Shown once in the status bar at start. */
  banner?: string;
  /** True when this is the built-in demo cluster (the status bar says so all the time). */
  demo?: boolean;
  /** The fleet view's contexts (`--context a --context b`; empty or absent: all of them). */
  fleetContexts?: string[];
  /** Connection options for the fleet view's contexts (the user's kube.* settings). */
  connectOptions?: import('./kube/cluster.js').ConnectOptions;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

type Level = 'info' | 'error';

export class Cockpit implements OpsHost {
  readonly screen: Widgets.Screen;
  readonly registry = new CockpitRegistry();
  /** Handlers of keymap actions by name (the registry's): panes add or replace theirs. */
  get actions(): Map<string, (app: never) => void | Promise<void>> { return this.registry.actions; }
  readonly scheduler: FrameScheduler;
  source: ClusterSource;
  loaded: LoadedKubeConfig;
  get theme(): Theme { return this.looks.theme; }
  get keymap(): Keymap { return this.looks.keymap; }
  namespace: string | undefined;
  layout: LayoutState;
  focus: PaneId = 'table';
  readonly done: Promise<void>;

  readonly table: TablePane;
  readonly events: EventsPane;
  readonly tree: TreePane;
  readonly detail: DetailPane;
  readonly help: HelpOverlay;
  private readonly status: StatusBar;
  private readonly resolver: KeyResolver;
  private readonly looks: Looks;
  private readonly env: NodeJS.ProcessEnv;
  detailOpen = false;
  prompt: PromptState | undefined;
  private modal: ModalPane | undefined;
  private msg: { text: string; level: Level; at: number } | undefined;
  crumbs: Crumb[] = [];
  readonly feeds: Feeds;
  private offs: Array<() => void> = [];
  private operationHandler: ((r: OperationRequest) => void | Promise<void>) | undefined;
  commandHandler: ((app: Cockpit) => void) | undefined;
  private countsCache = { version: '', at: 0, col: undefined as Collection | undefined, counts: undefined as StatusInfo['counts'] };
  private quitResolve!: () => void;
  private closed = false;
  private ticker: NodeJS.Timeout;
  commandHistory: string[] = [];
  filterHistory: string[] = [];
  readonly messageLog: Array<{ text: string; level: Level; at: number }> = [];
  private switching = false;
  private readonly bench: BenchTrace | undefined;
  /** Triage over the cluster (src/triage/live.ts): the pulse pane's findings and the status bar count. */
  private triage: import('./triage/live.js').LiveTriage | undefined;

  constructor(readonly opts: CockpitOptions) {
    this.env = opts.env ?? process.env;
    this.source = opts.source;
    this.loaded = opts.loaded;
    this.namespace = opts.allNamespaces ? undefined : (opts.source.namespace ?? opts.loaded.namespace);
    this.layout = defaultLayout(opts.layout);
    this.done = new Promise((r) => (this.quitResolve = r));
    this.bench = this.env.KAI_TUI_BENCH ? new BenchTrace(this.env.KAI_TUI_BENCH) : undefined;

    // Inside tmux, blessed runs `tmux -V` synchronously (~30 ms of start-up) only to know if it
    // is ≥ 2 (for all-motion mouse reporting): every tmux in use is. Hide TMUX meanwhile.
    const tmux = process.env.TMUX;
    if (tmux !== undefined) delete process.env.TMUX;
    this.screen = blessed.screen({
      smartCSR: true,
      fullUnicode: true,
      autoPadding: false,
      warnings: false,
      title: 'kai-tui',
      input: opts.input ?? splitTerminalInput(process.stdin),
      output: opts.output,
      // Our own key loop handles every key (ctrl-c included).
      ignoreLocked: [],
    } as unknown as Widgets.IScreenOptions);
    if (tmux !== undefined) {
      process.env.TMUX = tmux;
      Object.assign(this.screen.program, { tmux: true, tmuxVersion: 3 });
    }
    fixColourCount(this.screen, this.env);
    if (opts.mouse) this.screen.enableMouse();

    // Theme and keymap: user folder first, then the shipped ones; hot-reloaded.
    this.looks = new Looks({
      theme: opts.theme, keymap: opts.keymap, userDirs: opts.userDirs, env: this.env,
      message: (t, l) => this.message(t, l),
      changed: (what) => { if (what === 'keymap') this.resolver?.setKeymap(this.keymap); this.scheduler?.markDirty(); },
    });
    this.resolver = new KeyResolver(this.keymap);

    this.scheduler = new FrameScheduler(() => this.paint(), opts.refreshMs);
    this.feeds = new Feeds(() => this.source, () => this.scheduler.markDirty(), () => this.table.refreshView());
    this.table = new TablePane(this.screen);
    this.events = new EventsPane(this.screen);
    this.tree = new TreePane(this.screen, treeHost(this));
    this.detail = new DetailPane(this.screen);
    this.help = new HelpOverlay(this.screen);
    this.status = new StatusBar(this.screen);
    for (const p of panes(this)) {
      p.requestPaint = () => this.scheduler.soon();
      p.onFocusRequest = () => { this.focus = p.id; this.scheduler.soon(); };
    }
    this.table.onSelect = (o) => selectionChanged(this, o);
    // Custom resources: the columns of their CRD, as kubectl get prints them.
    this.table.viewOverride = (k) => {
      const crd = this.feeds.crd(k);
      return crd ? printerColumnsView(crdPrinterColumns(crd, k.version)) : undefined;
    };
    this.applyThemeToScreen();

    registerActions(this);
    registerBuiltinCommands(this.registry, this);
    this.screen.on('keypress', (ch: string | undefined, key: { full: string; name?: string } | undefined) => this.onKey(ch, key));
    this.screen.on('resize', () => { applyLayout(this); this.scheduler.soon(); });
    // Ages in the table move on even when nothing else does.
    this.ticker = setInterval(() => this.scheduler.markDirty(), 1000);
    this.ticker.unref();

    this.attachSource();
    if (opts.banner) this.message(opts.banner);
    // Forwards remembered from an earlier session are offered again (not restarted unasked),
    // once the first rows are up: the first paint does not wait for the port-forward module.
    setTimeout(() => { if (!this.closed) import('./ui/panes/portforward.js').then((m) => m.offerRestore(this)).catch(() => undefined); }, 1500).unref();
    applyLayout(this);
    this.scheduler.soon();
  }

  // ——— public API for other features ———

  /** Extensions (user plugins) add `:` commands, keys and help rows here; the built-ins come first. */
  readonly extraCommands: Array<(text: string) => boolean> = [];
  readonly extraKeys: Array<(full: string) => boolean> = [];
  readonly extraHelp: Array<() => Array<[string, string]>> = [];
  readonly planDone = new Set<(d: { text: string; ok: boolean; summary: string }) => void>();
  /** Set by the operations pipeline: a palette command → plan → preview → confirm. */
  submitPlan?: (text: string) => Promise<void>;

  /** The operations mode and read-only flag the cockpit was started with (read by the operations pipeline). */
  get opsMode(): string { return this.opts.mode; }
  get readonlyMode(): boolean { return this.opts.readonly; }

  setOperationHandler(fn: (r: OperationRequest) => void | Promise<void>): void {
    this.operationHandler = fn;
  }

  setCommandHandler(fn: (app: Cockpit) => void): void {
    this.commandHandler = fn;
  }

  openModal(m: ModalPane): void {
    this.closeModal();
    this.modal = m;
    m.element.show();
    m.element.setFront();
    this.scheduler.soon();
  }

  closeModal(): void {
    const m = this.modal;
    if (!m) return;
    this.modal = undefined;
    m.element.hide();
    m.onClose?.();
    this.scheduler.soon();
  }

  message(text: string, level: Level = 'info'): void {
    this.msg = { text, level, at: Date.now() };
    // Every message is kept for the messages pane (`!`): one the status bar cut is read there.
    this.messageLog.push(this.msg);
    if (this.messageLog.length > 200) this.messageLog.splice(0, this.messageLog.length - 200);
    this.scheduler?.markDirty();
  }

  markDirty(): void {
    this.scheduler.markDirty();
  }

  /** The object under the cursor of the table (or events pane when focused). */
  selection(): { kind: ResourceKind; object: KubeObject } | undefined {
    const pane = this.focus === 'events' ? this.events : this.table;
    const o = pane.selected();
    return o && pane.kind ? { kind: pane.kind, object: o } : undefined;
  }

  /** The ownership-tree row under the tree's cursor when the tree is focused (a pod or container row). */
  treeSelection(): TreeNode | undefined {
    return this.focus === 'tree' ? this.tree.selectedNode() : undefined;
  }

  /** Marked objects of the table, or its selected object. */
  targets(): { kind: ResourceKind; objects: KubeObject[] } | undefined {
    const k = this.table.kind;
    return k ? { kind: k, objects: this.table.targets() } : undefined;
  }

  /** `:q`, `:pods`, `:ns NAME`, `:ctx NAME`, `:theme NAME`, `:keymap NAME`, `:layout NAME`. Returns false for anything else. */
  runBuiltinCommand(input: string): boolean {
    const text = input.trim().replace(/^:/, '');
    if (!text) return true;
    if (this.registry.run(text)) return true;
    const [cmd = '', ...args] = text.split(/\s+/);
    // `:pods`, `:deploy web` (then filter), `:po -n shop`, `:pods -A`
    const kind = this.source.resolveKind(cmd);
    if (!kind && this.source.kinds().length === 0 && this.source.discovered) {
      // Typed before discovery answered (it starts after the first pods list): run it then.
      this.message(`${cmd}: waiting for the API's resource list…`);
      void this.source.discovered().then(() => { if (!this.runBuiltinCommand(input)) this.message(this.unknownCommand(text), 'error'); });
      return true;
    }
    if (!kind) return this.extraCommands.some((f) => f(text));
    let ns = this.namespace;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-A' || args[i] === '--all-namespaces') ns = undefined;
      else if ((args[i] === '-n' || args[i] === '--namespace') && args[i + 1]) ns = args[++i];
      else rest.push(args[i]!);
    }
    this.crumbs = [];
    if (ns !== this.namespace) this.setNamespace(ns);
    this.setKind(kind, ns);
    if (rest.length) applyFilter(this, this.table, rest.join(' '));
    this.focus = 'table';
    return true;
  }

  /** From the operations wiring (operations.ts): the ops session in use and the preview for a ready plan. */
  opsSession?: () => Promise<import('./ops/session.js').OpsSession>;
  reviewPlan?: (title: string, plan: import('./ops/plan.js').Plan, notes: string[], refine?: () => void) => Promise<void>;
  openPalette?: (text: string) => void;
  /** From the shell pane, once opened: its recent transcript (the chat's cockpit_state tool). */
  shellTranscript?: () => string | undefined;
  forwardStats?: () => unknown;
  forwardSignals?: () => import('./triage/types.js').ForwardSignal[];
  /** From the port-forward registry: a forward's counters moved (live triage re-reads its issues). */
  forwardsChanged(): void {
    this.triage?.forwardsChanged();
  }
  private triageOptions(): import('./triage/live.js').LiveOptions {
    return { forwards: () => this.forwardSignals?.() ?? [] };
  }

  private streamsOf: { source: ClusterSource; streams: StreamServices } | undefined;
  /** Logs, metrics and port-forwards over the connected cluster, for the panes that stream. */
  streams(): StreamServices | undefined {
    const transport = (this.source as { transport?: Transport }).transport;
    if (!transport) return undefined;
    if (this.streamsOf?.source !== this.source) this.streamsOf = { source: this.source, streams: new StreamServices(transport, this.loaded.kc) };
    return this.streamsOf.streams;
  }

  /** Shows a kind's table by any name kubectl knows (`:ns` with no name lists namespaces). */
  showKindByName(name: string): boolean {
    const kind = this.source.resolveKind(name);
    if (!kind) return false;
    this.crumbs = [];
    this.setKind(kind, this.namespace);
    this.focus = 'table';
    return true;
  }

  /** One line for a command nobody took: the nearest command or kind ("did you mean"), else where to look. */
  unknownCommand(text: string): string {
    const word = text.trim().replace(/^:/, '').split(/\s+/)[0] ?? '';
    const kindNames = this.source.kinds().flatMap((k) => [k.resource, k.kind.toLowerCase(), ...k.shortNames]);
    const hint = this.registry.suggest(word, kindNames);
    return hint ? `unknown command or kind ':${word}' — did you mean :${hint}? (? lists every command)` : `unknown command or kind ':${word}' — try :pods, :deploy, :ns NAME, :ctx NAME, :q (? lists every command)`;
  }

  /** The AI chat (loaded on first use: the cockpit starts without the AI modules). */
  openChat(question?: string): void {
    import('./ui/chat-wiring.js').then((m) => m.openChat(this, question)).catch((err: Error) => this.message(`chat: ${err.message}`, 'error'));
  }

  /** `:fleet` (and the start with several contexts): every context on one screen. */
  openFleet(kind?: string): void {
    import('./ui/cockpit/feature-panes.js').then((m) => m.openFleet(this.featureHost(), kind)).catch((err: Error) => this.message(`fleet: ${err.message}`, 'error'));
  }

  /** `:pulse` / p: the triage findings; with `ref`, straight into that object's evidence. */
  openPulse(ref?: import('./triage/types.js').ObjectRef): void {
    import('./ui/cockpit/feature-panes.js').then((m) => m.openPulse(this.featureHost(), ref)).catch((err: Error) => this.message(`pulse: ${err.message}`, 'error'));
  }

  private featureHost(): FeatureHost {
    const app = this;
    return {
      host: this,
      get closed() { return app.closed; },
      env: this.env,
      readonly: this.opts.readonly,
      fleetContexts: this.opts.fleetContexts,
      connectOptions: this.opts.connectOptions,
      operateIn: (context, verb, kind, targets) => {
        if (!this.operationHandler) { this.message(`${verb}: operations pipeline not available yet`, 'error'); return; }
        return this.operationHandler({ verb, kind, targets, source: this.source, context, fleet: true });
      },
      switchContext: (n) => this.switchContext(n),
      liveTriage: (make) => {
        if (!this.triage) {
          this.triage = make(this.source, this.triageOptions());
          this.triage.onChange(() => this.scheduler.markDirty());
          this.triage.start();
          this.notifyFindings(this.triage);
        }
        return this.triage;
      },
    };
  }

  /** The explain key on a row: evidence, findings and the rule for the selected object. */
  explainSelection(): void {
    const sel = this.selection();
    if (!sel) { this.message('explain: select a row first', 'error'); return; }
    this.openPulse({ kind: sel.object.kind ?? sel.kind.kind, namespace: sel.kind.namespaced ? sel.object.metadata.namespace : undefined, name: sel.object.metadata.name });
  }

  private triageCounts(): StatusInfo['findings'] {
    const f = this.triage?.findings();
    if (!f) return undefined;
    return { total: f.length, critical: f.filter((x) => x.severity === 'critical').length };
  }

  quit(): void {
    if (this.closed) return;
    void this.close().then(() => this.quitResolve());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.stop();
    clearInterval(this.ticker);
    this.detachSource();
    await this.looks.close();
    this.screen.destroy();
  }

  // ——— cluster wiring ———

  private attachSource(): void {
    const src = this.source;
    this.offs.push(src.onReachabilityChange(() => {
      // The server came back, or discovery was not there at start: fill what is missing.
      if (!this.table.collection) this.openInitialKind();
      this.scheduler.markDirty();
    }));
    if (src.onKindsChange) this.offs.push(src.onKindsChange(() => {
      if (!this.table.collection) this.openInitialKind();
      if (!this.feeds.events) this.openEvents();
      this.feeds.openNamespaces();
      this.scheduler.markDirty();
    }));
    this.openInitialKind();
    this.openEvents();
    this.feeds.openNamespaces();
    this.startTriage();
  }

  /** Loaded after the first frame: the analyzers are not needed to show the first rows. */
  private startTriage(): void {
    if (this.env.KAI_TUI_NO_TRIAGE === '1') return;
    const src = this.source;
    void import('./triage/live.js').then(({ LiveTriage }) => {
      if (this.closed || this.source !== src || this.triage) return;
      this.triage = new LiveTriage(src, this.triageOptions());
      this.triage.onChange(() => this.scheduler.markDirty());
      this.triage.start();
      this.notifyFindings(this.triage);
    }).catch((err: Error) => this.message(`triage: ${err.message}`, 'error'));
  }

  /** New findings to the webhook (triage.notify.*), when one is configured. */
  private notifyFindings(t: import('./triage/live.js').LiveTriage): void {
    void import('./ui/cockpit/triage-notify.js').then((m) => {
      const s = m.notifySettings(this.env);
      if (s.webhook && this.triage === t) m.notifyNewFindings(t, s, () => this.source.context, (x, l) => this.message(x, l));
    }).catch(() => undefined);
  }

  private detachSource(): void {
    this.triage?.close();
    this.triage = undefined;
    for (const off of this.offs) off();
    this.offs = [];
    this.table.collection?.close();
    this.table.setCollection(undefined, false);
    this.events.setCollection(undefined, false);
    this.feeds.close();
  }

  private openInitialKind(): void {
    // Before discovery has answered, pods are core/v1 on every cluster.
    const k = this.table.kind ?? this.source.resolveKind('pods') ?? (this.source.kinds().length === 0 ? WELL_KNOWN.pods : undefined);
    if (k) this.setKind(k, this.namespace);
  }

  /** The events pane follows the namespace: its watch is reopened with it. */
  private openEvents(kind?: ResourceKind): void {
    const col = this.feeds.openEvents(this.namespace, kind);
    if (col) this.events.setCollection(col, this.namespace === undefined);
  }

  setKind(kind: ResourceKind, ns: string | undefined): void {
    const old = this.table.collection;
    const col = this.feeds.watch(kind, kind.namespaced ? ns : undefined);
    this.table.setCollection(col, kind.namespaced && ns === undefined);
    this.table.setScope(undefined);
    if (this.table.filterText) this.table.setFilter('');
    old?.close();
    this.detailOpen = false;
    this.scheduler.soon();
  }

  setNamespace(ns: string | undefined): void {
    if (ns !== undefined && !this.feeds.namespaceMayExist(ns)) {
      this.message(`namespace "${ns}" does not exist (yet); watching it anyway`, 'error');
    }
    this.namespace = ns;
    this.crumbs = [];
    this.feeds.closeRelated();
    const kind = this.table.kind ?? this.source.resolveKind('pods');
    if (kind) this.setKind(kind, ns);
    if (this.feeds.events) this.openEvents(this.feeds.events.kind);
    this.message(ns === undefined ? 'all namespaces' : `namespace ${ns}`);
  }

  /**
   * Connects to context `name`. `reconnect` (the kubeconfig changed, or `:ctx` named the current
   * context) reconnects to the same context with the file's new contents, keeping the namespace.
   */
  async switchContext(name: string, reconnect?: string): Promise<void> {
    if (name === this.source.context && !reconnect) return;
    if (!this.opts.connect) { this.message('context switching needs a kubeconfig (not available in demo mode)', 'error'); return; }
    if (!this.contexts().includes(name)) { this.message(`no context "${name}" (have: ${this.contexts().join(', ')})`, 'error'); return; }
    if (this.switching) return;
    this.switching = true;
    this.message(`connecting to context ${name}…`);
    try {
      const { source, loaded } = await this.opts.connect(name);
      if (this.closed) { await source.close(); return; }
      const old = this.source;
      this.detachSource();
      this.source = source;
      this.loaded = loaded;
      if (!reconnect) this.namespace = source.namespace ?? loaded.namespace;
      this.crumbs = [];
      this.attachSource();
      this.message(reconnect ? `${reconnect}: reconnected to context ${name}` : `context ${name}`);
      await old.close().catch(() => undefined);
    } catch (err) {
      this.message(`cannot switch to context ${name}: ${(err as Error).message}`, 'error');
    } finally {
      this.switching = false;
      this.scheduler.soon();
    }
  }

  contexts(): string[] {
    return this.loaded.kc.getContexts().map((c) => c.name);
  }

  private applyThemeToScreen(): void {
    // Panes take their colours from the theme at every paint; nothing is cached on the screen.
    this.scheduler?.markDirty();
  }

  // ——— keys and actions ———

  toggleHelp(): void {
    if (this.help.visible) this.help.close();
    else {
      const hide = this.opts.readonly ? [...MUTATIONS, 'undo', 'shell'] : [];
      this.help.open([...this.registry.helpRows(this.keymap, hide), ...this.extraHelp.flatMap((f) => f())]);
    }
  }

  private onKey(ch: string | undefined, key: { full: string; name?: string } | undefined): void {
    if (this.closed) return;
    const full = key?.full ?? ch ?? '';
    // blessed reports Enter twice (return, then enter): keep one.
    if (full === 'return') return;
    this.bench?.keyReceived();
    try {
      this.handleKey(full, ch);
    } catch (err) {
      this.message(`error: ${(err as Error).message}`, 'error');
    }
    this.scheduler.soon();
  }

  private handleKey(full: string, ch: string | undefined): void {
    if (this.prompt) return promptKey(this, full, ch);
    if (this.modal) {
      if (this.modal.handleKey(full, ch)) return;
      if (full === 'escape') this.closeModal();
      return;
    }
    if (this.help.visible) {
      const action = this.keymap.byKey.get(full);
      if (full === 'escape' || full === 'q' || action === 'help' || action === 'back') this.help.close();
      else if (action === 'down') this.help.scroll(1);
      else if (action === 'up') this.help.scroll(-1);
      else if (action === 'pageDown') this.help.scroll(10);
      else if (action === 'pageUp') this.help.scroll(-10);
      else if (action === 'top') this.help.scroll(-Infinity);
      else if (action === 'bottom') this.help.scroll(Infinity);
      else if (action === 'quit') this.quit();
      return;
    }
    const action = this.resolver.resolve(full);
    if (action === undefined && this.extraKeys.some((f) => f(full))) return;
    if (action === undefined || action === 'pending') return;
    if (this.msg && Date.now() - this.msg.at > 1500) this.msg = undefined;
    this.dispatch(action);
  }

  dispatch(action: string): void {
    const fn = this.actions.get(action);
    if (!fn) { this.message(`no handler for action '${action}'`, 'error'); return; }
    const r = fn(this as never);
    if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((err: Error) => this.message(`${action}: ${err.message}`, 'error'));
  }

  requestOperation(verb: MutationVerb): void {
    if (this.opts.readonly) { this.message(`read-only mode: ${verb} is disabled (--readonly)`, 'error'); return; }
    const t = this.targets();
    if (!t || t.objects.length === 0) { this.message(`nothing selected to ${verb}`, 'error'); return; }
    if (!this.operationHandler) { this.message(`${verb}: operations pipeline not available yet`, 'error'); return; }
    const r = this.operationHandler({ verb, kind: t.kind, targets: t.objects, source: this.source, context: this.source.context });
    if (r) r.catch((err: Error) => this.message(`${verb}: ${err.message}`, 'error'));
  }

  setLayout(name: LayoutName): void {
    setLayout(this, name);
  }

  switchAsset(what: 'theme' | 'keymap', name: string): void {
    this.looks.switch(what, name);
  }

  // ——— painting ———

  private counts(): StatusInfo['counts'] {
    const col = this.table.collection;
    const view = this.table.view;
    if (!col || !view) return undefined;
    const c = this.countsCache;
    const key = `${col.version}|${this.table.rows.length}|${this.table.filterText}`;
    // A pass over every row: at most twice a second (or at once for another collection).
    if (c.col !== col || (c.version !== key && Date.now() - c.at >= 500)) {
      const rows = this.table.rows.slice(0, this.table.rows.length);
      this.countsCache = { col, version: key, at: Date.now(), counts: healthCounts(view, rows) };
    } else if (c.version !== key) this.scheduler.markDirty();
    return this.countsCache.counts;
  }

  private paint(): void {
    if (this.closed) return;
    const now = Date.now();
    const visible = this.layout.zoom ? [this.layout.zoom] : visiblePanes(this);
    // The table's rows come first: tree and status read them.
    this.table.refresh(now);
    const refreshed = Date.now();
    const perPane: Record<string, number> = {};
    for (const id of visible) {
      const t0 = Date.now();
      pane(this, id).paint({ theme: this.theme, focused: this.focus === id && !this.modal && !this.help.visible, now });
      perPane[id] = Date.now() - t0;
    }
    if (this.help.visible) this.help.paint(this.theme, this.keymap.name);
    this.modal?.paint?.(this.theme);
    if (this.msg && now - this.msg.at > 8000) this.msg = undefined;
    const reach = this.source.reachability();
    const hints = this.modal?.hints ?? (this.help.visible ? 'esc:close j/k:scroll g/G:top/bottom' : pane(this, this.focus).hints());
    this.status.paint(this.theme, {
      context: this.source.context,
      cluster: this.opts.demo && this.source.context === this.opts.loaded.context ? `${this.source.cluster} (built-in demo)` : this.source.cluster,
      namespace: this.namespace ?? 'all',
      api: reach,
      counts: this.counts(),
      findings: this.triageCounts(),
      mode: this.opts.readonly ? 'read-only' : `mode:${this.opts.mode}`,
      message: this.msg,
      hints,
      prompt: this.prompt ? { prefix: this.prompt.editor.prefix, text: this.prompt.editor.text, cursor: this.prompt.editor.cursor } : undefined,
    });
    const beforeRender = Date.now();
    this.screen.render();
    this.bench?.painted(this.table, this.table.rows, this.table.offset, this.table.visibleRows(), this.scheduler.dirtySince, now, { refresh: refreshed - now, ...perPane, render: Date.now() - beforeRender });
  }
}
