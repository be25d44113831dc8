/**
 * startSim: the embedded Kubernetes cluster — an HTTPS API server on loopback with a fresh CA,
 * bearer-token auth, the controllers/kubelet and streaming plugins when they are built, and a
 * scenario. Everything a client needs is in kubeconfigYaml().
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SimContext } from './context.js';
import type { SimPlugin } from './plugin.js';
import { ObjectStore } from './storage.js';
import { createClock } from './clock.js';
import { generateTls } from './tls.js';
import { kubeconfigYaml, writeKubeconfigFile } from './kubeconfig.js';
import { createSimServer, type RequestLogEntry } from './server.js';
import { Registry } from './registry/index.js';
import { ApiCore } from './api/core.js';
import { EventRecorder } from './api/events.js';
import { createInternalApi } from './api/internal.js';
import { Discovery, versionInfo } from './api/discovery.js';
import { RestHandler } from './api/rest.js';
import { ADMIN_USER, VIEWER_USER, authorizeRequest, impersonate } from './api/authz.js';
import { RbacAuthorizer } from './api/rbac.js';
import { seedSystemObjects } from './api/bootstrap-system.js';
import { installLifecycle } from './api/gc.js';
import { addBulkPods, bootstrapCluster } from './api/bootstrap.js';

export type { RequestLogEntry } from './server.js';

export interface SimOptions {
  port?: number;
  host?: string;
  scenario?: 'demo' | 'empty';
  /** Extra Running pods spread over namespaces and nodes (benchmarks). */
  pods?: number;
  /** How many nodes the scenario starts with (default 3). */
  nodes?: number;
  /** The Kubernetes release it claims to be (`v1.31.4`: /version and the kubelets); default v1.32. */
  version?: string;
  timeScale?: number;
  token?: string;
  /** Bearer token of the read-only user `kai-viewer` (api/authz.ts); random by default. */
  viewerToken?: string;
  /** How many changes watches can resume from (older → 410 Expired); default 50,000. */
  watchHistory?: number;
  /** Wall-clock interval of watch bookmarks (allowWatchBookmarks=true); default 5 s. */
  watchBookmarkMs?: number;
  /** Skip controllers/kubelet/streams (pure API server; API tests). */
  apiOnly?: boolean;
  log?: (message: string) => void;
  /** Reuse a CA and serving certificate (a restart that clients must survive keeps its identity). */
  tls?: import('./tls.js').SimTls;
}

export interface RunningSim {
  url: string;
  token: string;
  /** The read-only user's token: reads allowed except Secrets, writes and exec/port-forward get 403. */
  viewerToken: string;
  caPem: string;
  /** The CA and serving certificate (pass as `tls` to restart with the same identity). */
  tls: import('./tls.js').SimTls;
  ctx: SimContext;
  kubeconfigYaml(contextName?: string): string;
  writeKubeconfig(path: string, contextName?: string): void;
  /** The same cluster as the read-only user (context `kai-demo-viewer` by default). */
  viewerKubeconfigYaml(contextName?: string): string;
  writeViewerKubeconfig(path: string, contextName?: string): void;
  /** Every request, oldest first (the last 5,000). */
  requestLog: RequestLogEntry[];
  /** Ends every open watch (clients re-watch; after store.compact() they get 410 and relist). */
  dropWatches(): void;
  stop(): Promise<void>;
}

/** Imports an optional module of another part of the sim; undefined while it is not built. `load` is a literal import() so that the bundle (scripts/bundle.mjs) includes it. */
async function optional<T>(path: string, load: () => Promise<unknown>): Promise<T | undefined> {
  try {
    return (await load()) as T;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(path.replace('./', '').replace(/\.js$/, ''))) return undefined;
    throw e;
  }
}

export async function startSim(opts: SimOptions = {}): Promise<RunningSim> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((m: string) => {
    if (process.env.KAI_SIM_DEBUG) process.stderr.write(`${m}\n`);
  });
  const tlsP = opts.tls ? Promise.resolve(opts.tls) : generateTls();
  // Watch history: enough to resume any short disconnect; older resumes get 410 and relist, as
  // against a compacted etcd (bounded memory in long demo sessions).
  const store = new ObjectStore(opts.watchHistory ?? 50_000);
  const registry = new Registry();
  const core = new ApiCore(store, registry);
  const events = new EventRecorder(store);
  const api = createInternalApi(store, core, registry, events);
  const clock = createClock(opts.timeScale ?? 1);
  const plugins: SimPlugin[] = [];
  const stops: Array<() => void | Promise<void>> = [];
  const ctx: SimContext = {
    store, api, clock, log,
    use: (p) => {
      plugins.push(p);
    },
    onStop: (fn) => {
      stops.push(fn);
    },
  };
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const viewerToken = opts.viewerToken ?? randomBytes(24).toString('base64url');
  const tls = await tlsP;

  stops.push(bootstrapCluster(store, core, registry, tls.caPem));
  stops.push(seedSystemObjects(store, core, registry));
  const rbac = new RbacAuthorizer(store);

  type Controllers = { installControllers(ctx: SimContext): void };
  type Streams = { installStreams(ctx: SimContext): void };
  type Scenarios = { loadScenario(ctx: SimContext, name: 'demo' | 'empty', o: { pods?: number; nodes?: number; kubeletVersion?: string }): Promise<void> };
  const controllers = opts.apiOnly ? undefined : await optional<Controllers>('./controllers/index.js', () => import('./controllers/index.js'));
  const streams = opts.apiOnly ? undefined : await optional<Streams>('./stream/index.js', () => import('./stream/index.js'));
  const scenarios = opts.apiOnly ? undefined : await optional<Scenarios>('./scenarios/index.js', () => import('./scenarios/index.js'));
  stops.push(installLifecycle(store, core, registry, clock, log, { gcAndNamespaces: !controllers }));
  controllers?.installControllers(ctx);
  streams?.installStreams(ctx);

  const requestLog: RequestLogEntry[] = [];
  const discovery = new Discovery(registry, () => plugins.flatMap((p) => p.discovery ?? []));
  const rest = new RestHandler(store, core, registry, opts.watchBookmarkMs);
  rest.reviews = { rbac, tokenUser: (t) => (t === token ? ADMIN_USER : t === viewerToken ? VIEWER_USER : undefined) };
  const server = createSimServer({
    certPem: tls.certPem, keyPem: tls.keyPem, token, discovery,
    viewerToken, authorize: (user, req, u) => authorizeRequest(registry, user, req, u, rbac),
    impersonate: (user, req) => impersonate(rbac, user, req),
    rest, plugins: () => plugins, requestLog, log, versionInfo: versionInfo(opts.version),
  });
  const sockets = new Set<{ destroy(): void }>();
  // Upgraded sockets (exec, port-forward) are not closed by server.close(): track every socket.
  server.on('connection', (s: import('node:net').Socket) => {
    s.setNoDelay(true);
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const scenario = opts.scenario ?? 'empty';
  if (scenarios) await scenarios.loadScenario(ctx, scenario, { pods: opts.pods, nodes: opts.nodes, kubeletVersion: opts.version });
  else if (opts.pods) addBulkPods(store, core, registry, opts.pods);

  let stopped: Promise<void> | undefined;
  return {
    url, token, viewerToken, caPem: tls.caPem, tls, ctx, requestLog,
    dropWatches: () => {
      for (const close of [...rest.activeWatches]) close();
    },
    kubeconfigYaml: (contextName = 'kai-demo') => kubeconfigYaml(url, tls.caPem, token, contextName),
    writeKubeconfig(path, contextName = 'kai-demo') {
      writeKubeconfigFile(path, kubeconfigYaml(url, tls.caPem, token, contextName));
    },
    viewerKubeconfigYaml: (contextName = 'kai-demo-viewer') => kubeconfigYaml(url, tls.caPem, viewerToken, contextName),
    writeViewerKubeconfig(path, contextName = 'kai-demo-viewer') {
      writeKubeconfigFile(path, kubeconfigYaml(url, tls.caPem, viewerToken, contextName));
    },
    stop() {
      stopped ??= (async () => {
        for (const fn of stops.reverse()) {
          try {
            await fn();
          } catch (e) {
            log(`sim stop: ${(e as Error).message}`);
          }
        }
        clock.stopAll();
        for (const close of [...rest.activeWatches]) close();
        const closed = new Promise<void>((r) => server.close(() => r()));
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
        await closed;
      })();
      return stopped;
    },
  };
}
