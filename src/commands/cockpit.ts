/**
 * `kai-tui [options]`: the full-screen cockpit. Connects like kubectl (--kubeconfig, KUBECONFIG,
 * ~/.kube/config, --context, -n); with no kubeconfig at all, or --demo, it starts the embedded
 * demo cluster in this process and connects to it over HTTPS like to any cluster.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intFlag, parseFlags, UsageError } from './args.js';
import { loadKubeConfig, type KubeTarget, type LoadedKubeConfig } from '../kube/kubeconfig.js';
import { connect, connectOptionsFromSettings, KubeCluster, type ConnectOptions } from '../kube/cluster.js';
import { CORE_PODS } from '../kube/discovery.js';
import type { Collection } from '../kube/types.js';
import { paths } from '../config/paths.js';
import { loadSettings } from '../config/settings.js';
import { resolveAsset, SHIPPED } from '../ui/assets.js';
import { guardTerminal } from './cockpit-guard.js';
import { watchKubeconfig } from '../kube/kubeconfig-watch.js';
import { startupMark } from './startup-marks.js';
import { preloadLooks } from '../ui/cockpit/looks.js';
// Only the type here: the UI modules load while the first pods page is on its way.
import type { Cockpit } from '../app.js';
import type { LayoutName } from '../ui/layout.js';

const MODES = ['manual', 'semiauto', 'auto'];

export async function run(argv: string[]): Promise<number> {
  startupMark('run');
  const { values } = parseFlags(argv, {
    demo: { type: 'boolean' },
    kubeconfig: { type: 'string' },
    context: { type: 'string', multiple: true },
    'all-contexts': { type: 'boolean' },
    clusters: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    readonly: { type: 'boolean' },
    mode: { type: 'string' },
    theme: { type: 'string' },
    keymap: { type: 'string' },
    layout: { type: 'string' },
  }, false);
  if (values.mode !== undefined && !MODES.includes(values.mode)) throw new UsageError(`--mode expects one of ${MODES.join(', ')}, got '${values.mode}'`);
  if (values.layout !== undefined && !['browse', 'triage'].includes(values.layout)) throw new UsageError(`--layout expects browse or triage, got '${values.layout}'`);
  if (values.demo && (values.kubeconfig || values.context)) throw new UsageError('--demo cannot be combined with --kubeconfig or --context');
  if (values['all-contexts'] && values.context?.length) throw new UsageError('--all-contexts cannot be combined with --context');
  const clusters = intFlag(values.clusters, 'clusters', 1);
  if (clusters !== undefined && !values.demo) throw new UsageError('--clusters N needs --demo (N built-in demo clusters; for your own use --context A --context B or --all-contexts)');
  // Several contexts: the cockpit opens on the first and shows the fleet view of them all.
  const fleet = values['all-contexts'] || (values.context?.length ?? 0) > 1 || (clusters ?? 0) > 1;

  const settings = loadSettings();
  const s = (key: string) => settings.get(key);
  const num = (key: string) => (typeof s(key) === 'number' ? (s(key) as number) : undefined);
  const connectOpts: ConnectOptions = connectOptionsFromSettings({ requestTimeoutMs: num('kube.requestTimeoutMs'), watchPageSize: num('kube.watchPageSize') });
  // A first list page of about a screenful: less for the server to encode and for us to parse
  // before the first rows (the rest follows in full pages).
  connectOpts.informer = { ...connectOpts.informer, firstPageSize: Math.min(100, Math.max(20, process.stdout.rows || 50)) };
  const target: KubeTarget = { kubeconfig: values.kubeconfig, context: values.context?.[0], namespace: values.namespace };

  let loaded: LoadedKubeConfig | undefined;
  try {
    loaded = values.demo ? undefined : loadKubeConfig(target);
  } catch (err) {
    console.error(`kai-tui: ${(err as Error).message}`);
    return 1;
  }

  // A theme or keymap name that exists nowhere is a mistake in the command line, like --layout weird.
  const dirs0 = paths();
  for (const [flag, name, dirs] of [['theme', values.theme, { user: dirs0.themes, shipped: SHIPPED.themes }], ['keymap', values.keymap, { user: dirs0.keymaps, shipped: SHIPPED.keymaps }]] as const) {
    if (name !== undefined && !resolveAsset(name, dirs)) {
      const have = [...new Set([dirs.shipped, dirs.user].flatMap((d) => { try { return readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')); } catch { return []; } }))].sort();
      throw new UsageError(`--${flag}: no ${flag} '${name}' (have: ${have.join(', ')}; or a path to a .yaml file)`);
    }
  }

  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    console.error('kai-tui: the cockpit needs an interactive terminal (stdin and stdout must be a TTY); for scripts use kai-tui do / kai-tui config');
    return 1;
  }

  let stopSim: (() => Promise<void>) | undefined;
  let banner: string | undefined;
  let connectOther: ((ctx: string) => Promise<{ source: Awaited<ReturnType<typeof connect>>; loaded: LoadedKubeConfig }>) | undefined;
  if (!loaded && clusters !== undefined) {
    // N demo clusters (src/sim/fleet.ts), one kubeconfig with a context each.
    const { startSimFleet } = await import('../sim/fleet.js');
    const sims = await startSimFleet(clusters);
    const dir = mkdtempSync(join(tmpdir(), 'kai-demo-'));
    const file = join(dir, 'kubeconfig.yaml');
    sims.writeKubeconfig(file);
    stopSim = async () => {
      await sims.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    loaded = loadKubeConfig({ kubeconfig: file, namespace: values.namespace });
    if (!loaded) throw new Error('the demo clusters kubeconfig could not be read');
    banner = `${clusters} demo clusters (kubectl: KUBECONFIG=${file})`;
    connectOther = async (ctx) => {
      const l = loadKubeConfig({ kubeconfig: file, context: ctx })!;
      return { source: await connect(l, connectOpts), loaded: l };
    };
  } else if (!loaded) {
    // The demo cluster, in-process, reached over HTTPS with its own kubeconfig.
    const { startSim } = await import('../sim/index.js');
    const sim = await startSim({ scenario: 'demo' });
    const dir = mkdtempSync(join(tmpdir(), 'kai-demo-'));
    const file = join(dir, 'kubeconfig.yaml');
    sim.writeKubeconfig(file, 'kai-demo');
    try {
      sim.writeKubeconfig(paths().demoKubeconfig, 'kai-demo');
    } catch {
      // Only a convenience for running kubectl against the demo; the temp file is what we use.
    }
    stopSim = async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    loaded = loadKubeConfig({ kubeconfig: file, namespace: values.namespace });
    if (!loaded) throw new Error('the demo cluster kubeconfig could not be read');
    banner = values.demo ? `demo cluster — kubectl: KUBECONFIG=${paths().demoKubeconfig}` : `no kubeconfig: the built-in demo cluster — kubectl: KUBECONFIG=${paths().demoKubeconfig}`;
  } else {
    connectOther = async (ctx) => {
      const l = loadKubeConfig({ ...target, context: ctx, namespace: undefined })!;
      return { source: await connect(l, connectOpts), loaded: l };
    };
  }

  // Startup order, for the first painted table: the pods list (core/v1, known without
  // discovery) goes out before the UI modules load, so its first page is usually back by the
  // time the screen exists; the cockpit then shares this list. Discovery starts when that
  // first answer is in, so it does not compete with it.
  const source = new KubeCluster(loaded, connectOpts);
  // The demo's workloads live in several namespaces and `default` is empty: open it on all of them.
  const allNs = values['all-namespaces'] ?? (!values.namespace && (s('ui.allNamespaces') === true || stopSim !== undefined));
  const early = source.watch(CORE_PODS, allNs ? undefined : loaded.namespace);
  startupMark('listStarted');
  // The UI modules' loading holds the event loop for a while: get the LIST onto the wire first
  // (TCP + TLS take a few turns of the loop), so the server answers while they load. Capped:
  // on a slow link the UI still comes up with "connecting…".
  const onWire = Promise.race([source.transport.onWire(), new Promise((r) => setTimeout(r, 100).unref())]);
  // Meanwhile (the handshake is turns of the loop, not CPU), parse the theme and keymap the
  // cockpit is about to load, a turn of the loop each.
  const looks = { theme: values.theme ?? String(s('ui.theme') ?? 'dark'), keymap: values.keymap ?? String(s('ui.keymap') ?? 'default'), userDirs: { keymaps: dirs0.keymaps, themes: dirs0.themes }, env: process.env };
  for (const part of ['theme', 'keymap'] as const) {
    await new Promise((r) => setImmediate(r));
    preloadLooks(looks, part);
  }
  await onWire;
  startupMark('listOnWire');
  const offMark = early.onChange(() => { offMark(); startupMark('firstPage'); });
  let quit = false;
  const started = firstChange(early, 300).then(() => listed(early, 1000)).then(() => (quit ? undefined : source.start()));
  const { Cockpit } = await import('../app.js');
  startupMark('uiLoaded');
  if (settings.warnings.length) banner = `settings: ${settings.warnings[0]}`;
  const dirs = paths();
  const app = new Cockpit({
    source,
    loaded,
    connect: connectOther,
    allNamespaces: allNs,
    readonly: values.readonly ?? s('ops.readonly') === true,
    mode: values.mode ?? String(s('ops.mode') ?? 'manual'),
    theme: looks.theme,
    keymap: looks.keymap,
    refreshMs: Number(s('ui.refreshMs') ?? 50),
    layout: (values.layout ?? s('ui.layout') ?? 'browse') as LayoutName,
    mouse: s('ui.mouse') !== false,
    userDirs: { keymaps: dirs.keymaps, themes: dirs.themes },
    banner,
    demo: stopSim !== undefined,
    fleetContexts: (values.context?.length ?? 0) > 1 ? values.context : undefined,
    connectOptions: connectOpts,
  });
  if (fleet) app.openFleet();
  void app.done.then(() => (quit = true));
  // Extensions (the operations palette) load once the pod table is on screen and listed (or,
  // for a big cluster, 1.5 s after its first rows and 2.5 s after start — the first rows come
  // sooner than the list's pace): their modules take a few hundred ms of CPU that neither the
  // first frame nor the rest of the list need wait for. Until then `:` opens the cockpit's own
  // command line.
  const installed = firstRowsShown(app, early, 2000).then(() => listed(early, Math.max(1500, 2500 - performance.now()))).then(async () => {
    early.close();
    if (!quit) await installExtensions(app);
    if (!quit) await installPlugins(app).catch((err: Error) => app.message(`plugins: ${err.message}`, 'error'));
  });
  startupMark('constructed');
  // The first frame now: the first pods page is usually here already (see onWire above).
  app.scheduler.flush();
  const stop = () => app.quit();
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  const unguard = guardTerminal(join(dirs.configDir, 'cockpit.log'), stop);
  // A kubeconfig rewritten under us (a cluster's new CA or token): reconnect with its contents.
  const stopWatch = connectOther && process.env.KAI_TUI_NO_WATCH !== '1'
    ? watchKubeconfig(() => app.loaded, target, (c) => void app.switchContext(app.loaded.context, `kubeconfig changed (new ${c.what.join(', new ')})`), (m) => app.message(m, 'error'))
    : undefined;
  try {
    await app.done;
  } finally {
    unguard();
    await stopWatch?.().catch(() => undefined);
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
    await installed.catch(() => undefined);
    await started.catch(() => undefined);
    await app.source.close().catch(() => undefined);
    await stopSim?.().catch(() => undefined);
  }
  // Anything still holding the loop (a half-open socket) must not keep a quit cockpit alive.
  setTimeout(() => process.exit(0), 300).unref();
  return 0;
}

/** Resolves at the collection's first change (a page, an error) or after `capMs`. */
function firstChange(col: Collection, capMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, capMs);
    const off = col.onChange(done);
    function done() {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}

/** Resolves when the collection is listed (or failed), or after `capMs`. */
function listed(col: Collection, capMs: number): Promise<void> {
  const done = () => col.state().phase !== 'connecting';
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(cap);
      off();
      resolve();
    };
    const cap = setTimeout(finish, capMs);
    const off = col.onChange(() => { if (done()) finish(); });
  });
}

/** Resolves once a frame was painted after the first pods arrived (or an error), or after `capMs`. */
function firstRowsShown(app: Cockpit, col: Collection, capMs: number): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(cap);
      off();
      app.screen.off('render', onRender);
      resolve();
    };
    const cap = setTimeout(finish, capMs);
    const answered = () => col.items().size > 0 || col.state().phase !== 'connecting';
    // The frame that shows the answer (a frame is due within one refresh interval of a change).
    const onRender = () => { if (answered()) setImmediate(finish); };
    app.screen.on('render', onRender);
    const off = col.onChange(() => {
      if (!answered()) return;
      // The first page is painted at once, not at the next frame tick.
      app.scheduler.soon();
      setTimeout(finish, 200);
    });
  });
}

/**
 * Features that plug into the cockpit (the palette of the operations pipeline, …) export
 * `install(cockpit)`; a module that is not built yet is skipped.
 */
async function installExtensions(app: Cockpit): Promise<void> {
  // (The shell pane is not here: the cockpit loads it on the first `s`, with xterm and node-pty.)
  // Literal import()s, so that the bundle (scripts/bundle.mjs) sees and includes them.
  const extensions: [string, () => Promise<unknown>][] = [['../ui/panes/palette.js', () => import('../ui/panes/palette.js')]];
  for (const [path, load] of extensions) {
    let mod: { install?: (c: Cockpit) => void | Promise<void> };
    try {
      mod = (await load()) as typeof mod;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') continue;
      app.message(`extension ${path}: ${(err as Error).message}`, 'error');
      continue;
    }
    try {
      await mod.install?.(app);
    } catch (err) {
      app.message(`extension ${path}: ${(err as Error).message}`, 'error');
    }
  }
}

/**
 * User plugins (YAML in the config dir's plugins/ and the workspace's .kai-tui/plugins/):
 * `:` commands, keys and help rows of the cockpit, hot-reloaded.
 */
async function installPlugins(app: Cockpit): Promise<void> {
  const [{ PluginRegistry, pluginDirs }, { PluginRunner }] = await Promise.all([import('../plugins/registry.js'), import('../ui/panes/plugins.js')]);
  const registry = new PluginRegistry(pluginDirs(paths().configDir), {
    readonly: app.readonlyMode,
    watch: process.env.KAI_TUI_NO_WATCH !== '1',
    onChange: () => app.message(`plugins reloaded (${registry.all().length})`),
    // The file's last good version stays in effect; help lists the error too.
    onError: (m) => app.message(`plugin error: ${tilde(m)}`, 'error'),
  });
  const first = registry.errors()[0];
  if (first) app.message(`plugin error: ${tilde(first)}`, 'error');
  const runner = new PluginRunner({
    screen: app.screen,
    readonlyMode: app.readonlyMode,
    where: () => ({ context: app.source.context, cluster: app.source.cluster, files: app.loaded.files, namespace: app.namespace }),
    targets: () => app.targets(),
    message: (t, l) => app.message(t, l),
    markDirty: () => app.markDirty(),
    openModal: (m) => app.openModal(m),
    closeModal: () => app.closeModal(),
    get submitPlan() { return app.submitPlan; },
    keyTaken: (norm) => app.keymap.byKey.get(norm),
    // Prompt plugins: the AI core with its read-only tools about the cockpit's context (loaded on first use).
    askAi: async (prompt, selection, promptId, signal) => {
      const [{ Assistant }, { KindIndex }] = await Promise.all([import('../ai/assistant.js'), import('../ops/kinds.js')]);
      const kinds = new KindIndex({ kinds: () => app.source.kinds(), ready: () => app.source.discovered?.() ?? Promise.resolve() });
      const assistant = new Assistant({ settings: loadSettings(), loaded: app.loaded, kinds, namespace: app.namespace ?? app.loaded.namespace, readOnly: true });
      const r = await assistant.ask(prompt, { selection, promptId, signal });
      return { answer: r.answer, model: r.usage.models[0] };
    },
    openShell: async (name, command, env) => (await import('../ui/panes/shell.js')).shellPaneFor(app).openLocal(name, command, env),
  }, registry);
  app.extraCommands.push((t) => runner.command(t));
  app.extraKeys.push((k) => runner.key(k));
  app.extraHelp.push(() => runner.helpRows());
  void app.done.then(() => runner.close());
}

const tilde = (s: string) => (process.env.HOME ? s.split(process.env.HOME + '/').join('~/') : s);
