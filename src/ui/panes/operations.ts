/**
 * Plugs the operations pipeline into the cockpit: `:` opens the palette (navigation commands
 * such as `:pods` or `:ns x` still go to the cockpit), the mutation keys (delete, scale, restart,
 * cordon, uncordon, drain, edit) build the same plans as typed commands, and the `undo` /
 * `history` actions open the inverse plan and the journal. Plans show in the preview pane.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { watch } from 'chokidar';
import { PlanStore } from '../../mcp/plans.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpsHost as Cockpit, OperationRequest } from '../host.js';
import type { ModalPane } from './modal.js';
import type { Collection, ResourceKind } from '../../kube/types.js';
import type { Theme } from '../theme.js';
import { paths } from '../../config/paths.js';
import { loadKubeConfig } from '../../kube/kubeconfig.js';
import { OpsSession, defaultPolicyDirs, type Mode } from '../../ops/session.js';
import { OpsFlow } from '../../ops/flow.js';
import { KindIndex } from '../../ops/kinds.js';
import { PaletteHistory } from '../../ops/palette-history.js';
import { OpsInputError, VERBS, type MarkedRow } from '../../ops/commands/index.js';
import { PalettePane } from './palette.js';
import { registerOperationCommands } from './operation-commands.js';
import { applyWithFixes, isApplyFix } from './apply-fix.js';
import { PreviewPane } from './preview.js';
import { HistoryPane } from './history.js';

const kindRef = (k: ResourceKind) => `${k.resource}${k.group ? '.' + k.group : ''}`;

/** Opens the user's editor on text while the cockpit's screen is suspended. */
function editorFor(app: Cockpit) {
  return (text: string, fileName: string) => new Promise<string>((resolve, reject) => {
    const dir = mkdtempSync(join(tmpdir(), 'kai-edit-'));
    const file = join(dir, fileName.replace(/[^\w.-]/g, '_'));
    writeFileSync(file, text, { mode: 0o600 });
    const [cmd, ...args] = (process.env.KUBE_EDITOR ?? process.env.VISUAL ?? process.env.EDITOR ?? 'vi').split(/\s+/).filter(Boolean);
    app.screen.exec(cmd!, [...args, file], {}, (err: Error | null) => {
      let out: string | undefined;
      try { out = readFileSync(file, 'utf8'); } catch { /* handled below */ }
      rmSync(dir, { recursive: true, force: true });
      app.markDirty();
      if (err || out === undefined) reject(new Error(`the editor "${cmd}" failed: ${err?.message ?? 'no file'}`));
      else resolve(out);
    });
  });
}

/** A pane as the cockpit's modal; its hints come from the pane (they follow its state) when it has them. */
function modal(pane: { box: ModalPane['element']; handleKey(full: string, ch?: string): boolean; render(): void; setTheme(t: Theme): void; hints?: string }, hints: string, onClose?: () => void): ModalPane {
  return {
    element: pane.box,
    handleKey: (full, ch) => pane.handleKey(full, ch),
    paint: (theme) => { pane.setTheme(theme); pane.render(); },
    onClose,
    get hints() { return pane.hints ?? hints; },
  };
}

/** KAI_TUI_OPS_TRACE=FILE: a line per pipeline event (debugging the cockpit wiring). */
const trace = (m: string) => { const f = process.env.KAI_TUI_OPS_TRACE; if (f) appendFileSync(f, `${new Date().toISOString()} ${m}\n`); };

export async function install(app: Cockpit): Promise<void> {
  trace('install');
  const mode = (['manual', 'semiauto', 'auto'].includes(app.opsMode) ? app.opsMode : 'manual') as Mode;
  let session: OpsSession | undefined;
  const getSession = async (): Promise<OpsSession> => {
    // One session per context; the cockpit's discovery provides the kinds.
    if (session && session.context === app.loaded.context) { session.namespace = app.namespace ?? app.loaded.namespace; return session; }
    session?.close();
    session = await OpsSession.open({
      loaded: app.loaded, kinds: { kinds: () => app.source.kinds(), ready: () => app.source.discovered?.() ?? Promise.resolve() }, namespace: app.namespace ?? app.loaded.namespace,
      policyDirs: defaultPolicyDirs(process.env.KAI_TUI_POLICIES), readonly: app.readonlyMode, mode, editText: editorFor(app),
    });
    return session;
  };
  // Sessions for other contexts (operations planned in the fleet view): one per context.
  const others = new Map<string, Promise<OpsSession>>();
  const sessionFor = (context: string): Promise<OpsSession> => {
    if (context === app.loaded.context) return getSession();
    let s = others.get(context);
    if (!s) {
      const files = app.loaded.files;
      const loaded = loadKubeConfig({ kubeconfig: files.length === 1 ? files[0] : undefined, context });
      if (!loaded) return Promise.reject(new Error(`context ${context} not found`));
      s = OpsSession.open({ loaded, namespace: loaded.namespace, policyDirs: defaultPolicyDirs(process.env.KAI_TUI_POLICIES), readonly: app.readonlyMode, mode, editText: editorFor(app) });
      s.catch(() => others.delete(context));
      others.set(context, s);
    }
    return s;
  };
  const history = new PaletteHistory(paths().history);
  const store = new PlanStore(join(paths().configDir, 'plans'));
  let reviewing: { f: OpsFlow; id: string } | undefined;
  const kinds = new KindIndex({ kinds: () => app.source.kinds(), ready: () => app.source.discovered?.() ?? Promise.resolve() });

  // Names for completion come from the cockpit's cache (shared watches), opened on demand.
  const cols = new Map<string, Collection>();
  const names = (kindName: string): string[] => {
    const k = app.source.resolveKind(kindName);
    if (!k) return [];
    const ns = k.namespaced ? app.namespace : undefined;
    const key = `${kindRef(k)}@${ns ?? ''}`;
    let c = cols.get(key);
    if (!c) { c = app.source.watch(k, ns); cols.set(key, c); }
    return [...c.items().values()].map((o) => o.metadata.name).sort();
  };
  const closeCols = () => { for (const c of cols.values()) c.close(); cols.clear(); };

  const palette = new PalettePane(app.screen, () => ({ kinds, names }), history, app.theme);
  // The flow and its pane are (re)built for the session in use; handlers are registered at once
  // so keys work while the session is still opening.
  let flow: OpsFlow | undefined;
  let preview: PreviewPane | undefined;

  /** The flow and preview pane for the session in use (rebuilt when the context changes). */
  const wireFlow = (s: OpsSession): { f: OpsFlow; p: PreviewPane } => {
    if (flow?.session === s && preview) return { f: flow, p: preview };
    preview?.box.destroy();
    const f = new OpsFlow(s);
    const p = new PreviewPane(app.screen, f, app.theme);
    let told: unknown;
    f.hooks.onChange = (st) => {
      trace(`flow ${st.phase}${st.phase === 'error' ? ': ' + st.message : ''}`);
      if (st.phase === 'done' && told !== st.result) {
        told = st.result;
        for (const l of app.planDone) { try { l({ text: st.text, ok: st.ok, summary: st.result.summary }); } catch { /* a listener's problem is its own */ } }
      }
      // A proposed plan that ran is marked executed (it cannot be reviewed again).
      if (reviewing?.f === f && st.phase === 'done') {
        if (st.result.results.some((r) => r.status === 'succeeded')) { try { store.setStatus(reviewing.id, 'executed'); } catch { /* gone */ } }
        reviewing = undefined;
      }
      p.render();
      app.markDirty();
    };
    f.hooks.onShow = (intent) => {
      app.closeModal();
      if (intent.verb === 'get' && app.runBuiltinCommand(intent.args.join(' '))) return;
      // `top` has its own live view (gauges from metrics.k8s.io).
      if (intent.verb === 'top' && app.runBuiltinCommand('top')) return;
      app.message(`${intent.verb}: select the object and use its key (d describe, y yaml, l logs) — "${intent.text}" is read-only`);
    };
    p.requestPaint = () => app.markDirty();
    p.onRefine = paletteRefine;
    p.onClose = () => app.closeModal();
    p.editText = editorFor(app);
    flow = f;
    preview = p;
    return { f, p };
  };
  const paletteRefine = (text: string) => { app.closeModal(); openPalette(text); };
  const showPreview = (p: PreviewPane) => app.openModal(modal(p, 'enter/y:execute e:edit r:refine n/esc:reject tab:step', () => p.hide()));

  const submit = async (text: string, marked?: MarkedRow[], context?: string) => {
    trace(`submit ${text}${context ? ` in ${context}` : ''}`);
    reviewing = undefined;
    const { f, p } = wireFlow(context ? await sessionFor(context) : await getSession());
    p.onRefine = paletteRefine;
    trace('session ready');
    p.selected = 0;
    // A plan from the fleet view names its context in every step; it runs until its preview closes.
    p.contextLabel = context;
    if (context) {
      const closed = new Promise<void>((resolve) => {
        app.openModal(modal(p, 'enter/y:execute e:edit r:refine n/esc:reject tab:step', () => { p.hide(); resolve(); }));
      });
      await f.submit(text, marked);
      await closed;
      return;
    }
    showPreview(p);
    trace(`preview shown (visible: ${p.visible})`);
    await f.submit(text, marked);
  };

  const openPalette = (initial = '', message = '') => {
    palette.onSubmit = (text) => {
      app.closeModal();
      const word = text.replace(/^:/, '').trim().split(/\s+/)[0] ?? '';
      // Navigation (":pods", ":ns x", ":q") stays with the cockpit; everything else is an operation.
      if (!VERBS.includes(word) || word === 'get') {
        if (app.runBuiltinCommand(text)) return;
        // Plain language (several words, not a command): a question for the assistant.
        if (word !== 'get' && text.trim().split(/\s+/).length >= 3) { app.openChat(text.replace(/^:/, '')); return; }
        if (word !== 'get') { app.message(`${app.unknownCommand(text)}; or ask a question in plain words`, 'error'); return; }
      }
      const cmd = text.replace(/^:/, '').trim();
      if (isApplyFix(cmd)) {
        void getSession().then((s) => applyWithFixes(app, cmd, s)).catch((err: Error) => app.message(`apply --fix: ${err.message}`, 'error'));
        return;
      }
      const words = cmd.split(/\s+/);
      // "scale jokes-web to 3": a verb, but plain words that do not parse as a command — an intent
      // for the assistant (which drafts the plan), not a parser error.
      if (words.length >= 3 && !words.some((w) => w.startsWith('-') || w.includes('/') || w.includes('='))) {
        void getSession().then((s) => s.parse(cmd)).then(() => submit(cmd), (err: Error) => {
          if (err instanceof OpsInputError) app.openChat(cmd);
          else void submit(cmd);
        });
        return;
      }
      void submit(cmd);
    };
    palette.onCancel = () => app.closeModal();
    palette.requestPaint = () => app.markDirty();
    app.openModal(modal(palette, 'tab:complete ↑↓:history enter:run esc:cancel', () => { palette.box.hide(); closeCols(); }));
    // Warm the caches completion reads most, so the first tab already finds names.
    for (const k of ['deployments', 'nodes', 'pods']) names(k);
    palette.open(initial, message);
  };

  app.setCommandHandler(() => openPalette());
  registerOperationCommands(app.registry, (text) => void submit(text));
  app.submitPlan = (text) => submit(text);
  app.opsSession = getSession;
  app.openPalette = (text) => openPalette(text);
  // A plan drafted elsewhere (the AI chat): previewed for confirmation like any other.
  app.reviewPlan = async (title, plan, notes, refine) => {
    reviewing = undefined;
    const { f, p } = wireFlow(await getSession());
    p.onRefine = refine ? () => { app.closeModal(); refine(); } : paletteRefine;
    p.selected = 0;
    p.contextLabel = undefined;
    showPreview(p);
    await f.review(title, plan, notes);
  };

  app.setOperationHandler(async (r: OperationRequest) => {
    trace(`operation ${r.verb} ${r.targets.map((o) => o.metadata.name).join(',')}`);
    if (r.fleet) return fleetOperation(r);
    const k = kindRef(r.kind);
    const ns = r.kind.namespaced ? ` -n ${r.targets[0]?.metadata.namespace ?? app.namespace ?? app.loaded.namespace}` : '';
    const one = r.targets[0]!;
    switch (r.verb) {
      case 'delete':
        if (r.targets.length === 1) return submit(`delete ${k}/${one.metadata.name}${ns}`);
        // Marked rows in one namespace read like kubectl (and so does the history); across namespaces the rows are passed as they are.
        if (new Set(r.targets.map((o) => o.metadata.namespace)).size === 1) return submit(`delete ${k} ${r.targets.map((o) => o.metadata.name).join(' ')}${ns}`);
        return submit('delete marked', r.targets.map((o) => ({ kind: r.kind, namespace: o.metadata.namespace, name: o.metadata.name })));
      case 'scale': {
        const cur = (one as { spec?: { replicas?: number } }).spec?.replicas;
        return openPalette(`scale ${k}/${one.metadata.name}${ns} --replicas=`, cur !== undefined ? `now ${cur} replicas` : '');
      }
      case 'restart': return submit(`rollout restart ${k}/${one.metadata.name}${ns}`);
      case 'edit': return submit(`edit ${k}/${one.metadata.name}${ns}`);
      case 'cordon': case 'uncordon': return submit(`${r.verb} ${r.targets.map((o) => o.metadata.name).join(' ')}`);
      case 'drain': return submit(`drain ${one.metadata.name} --ignore-daemonsets --delete-emptydir-data`);
    }
  });

  /** From the fleet view: one plan in r.context, previewed naming it; resolves when its preview closes. */
  const fleetOperation = async (r: OperationRequest): Promise<void> => {
    const k = kindRef(r.kind);
    const one = r.targets[0]!;
    const ns = r.kind.namespaced ? ` -n ${one.metadata.namespace ?? 'default'}` : '';
    const sameNs = new Set(r.targets.map((o) => o.metadata.namespace)).size === 1;
    switch (r.verb) {
      case 'delete':
        if (sameNs) return submit(`delete ${k} ${r.targets.map((o) => o.metadata.name).join(' ')}${ns}`, undefined, r.context);
        return submit('delete marked', r.targets.map((o) => ({ kind: r.kind, namespace: o.metadata.namespace, name: o.metadata.name })), r.context);
      case 'restart': return submit(`rollout restart ${k}/${one.metadata.name}${ns}`, undefined, r.context);
      case 'edit': return submit(`edit ${k}/${one.metadata.name}${ns}`, undefined, r.context);
      default: app.message(`${r.verb}: open the context (enter) to ${r.verb} there`, 'error');
    }
  };

  // Plans proposed over MCP (kai-tui mcp): announced when they arrive, `:plan ID` previews one for
  // confirmation (never run without it, whatever the mode), `:plans` lists the waiting ones.
  const reviewPlan = async (id: string): Promise<void> => {
    const rec = store.load(id);
    if (rec.status !== 'proposed') { app.message(`plan ${id} was already ${rec.status}`, 'error'); return; }
    const other = rec.context !== app.loaded.context;
    const { f, p } = wireFlow(other ? await sessionFor(rec.context) : await getSession());
    p.selected = 0;
    p.contextLabel = other ? rec.context : undefined;
    reviewing = { f, id };
    showPreview(p);
    await f.review(`plan ${id} from ${rec.by}: ${rec.command}`, rec.plan, [`plan ${id}, proposed over MCP by ${rec.by} at ${rec.createdAt} for context ${rec.context}: nothing runs until you confirm`]);
  };
  app.registry.command({
    names: ['plans'], usage: ':plans', summary: 'plans proposed over MCP, waiting for you', group: 'operations',
    run: () => {
      const waiting = store.list().filter((r) => r.status === 'proposed');
      app.message(waiting.length ? `proposed plans: ${waiting.slice(0, 5).map((r) => `${r.id} (${r.context}: ${r.command})`).join('; ')} — :plan ID to review` : 'no proposed plans');
    },
  });
  app.registry.command({
    names: ['plan'], usage: ':plan ID', summary: 'review a plan proposed over MCP (nothing runs until you confirm)', group: 'operations',
    run: ([id]) => {
      if (!id) { app.message(':plan ID (:plans lists them)', 'error'); return; }
      reviewPlan(id).catch((err: Error) => app.message(`plan ${id}: ${err.message}`, 'error'));
    },
  });
  if (process.env.KAI_TUI_NO_WATCH !== '1') {
    mkdirSync(store.dir, { recursive: true, mode: 0o700 });
    const w = watch(store.dir, { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 } });
    w.on('add', (file) => {
      const id = /([a-f0-9]{8})\.json$/.exec(file)?.[1];
      if (!id) return;
      try {
        const rec = store.load(id);
        app.message(`${rec.by} proposed plan ${id} on ${rec.context}: ${rec.command} — :plan ${id} to review`);
      } catch { /* half-written or altered: not announced */ }
    }).on('error', () => {});
    void app.done.then(() => w.close());
  }

  app.actions.set('undo', async () => {
    const { f, p } = wireFlow(await getSession());
    showPreview(p);
    await f.undo();
  });
  let historyPane: HistoryPane | undefined;
  app.actions.set('history', async () => {
    const s = await getSession();
    historyPane?.box.destroy();
    const pane = historyPane = new HistoryPane(app.screen, s.journal, app.theme);
    pane.requestPaint = () => app.markDirty();
    pane.onClose = () => app.closeModal();
    pane.onUndo = (id) => {
      app.closeModal();
      const { f, p } = wireFlow(s);
      showPreview(p);
      void f.undo(id);
    };
    app.openModal(modal(pane, 'enter:details u:undo esc:close'));
    pane.open();
  });
}
