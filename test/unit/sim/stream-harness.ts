/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * A tiny stand-alone HTTPS API for testing the streaming plugins in isolation: /version, GET
 * pods, and the plugins installed by installStreams. The full embedded cluster is exercised by
 * test/e2e/kubectl-streams*.test.ts; this keeps protocol tests fast and independent of it.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { createClock } from '../../../src/sim/clock.js';
import type { InternalApi, SimContext } from '../../../src/sim/context.js';
import { ApiError } from '../../../src/sim/errors.js';
import type { SimPlugin } from '../../../src/sim/plugin.js';
import type { CommandRunner, ContainerKey, ContainerRuntime, LogEntry, Usage } from '../../../src/sim/runtime/types.js';
import { ObjectStore } from '../../../src/sim/storage.js';
import { installStreams } from '../../../src/sim/stream/index.js';
import { generateTls } from '../../../src/sim/tls.js';
import type { GroupResource, KObj } from '../../../src/sim/types.js';

const k = (c: ContainerKey) => `${c.namespace}/${c.pod}/${c.container}`;

/** Keeps logs and ports in memory; the real one is the kubelet's (src/sim/runtime). */
export class HarnessRuntime implements ContainerRuntime {
  readonly current = new Map<string, LogEntry[]>();
  readonly previous = new Map<string, LogEntry[]>();
  readonly ports = new Map<string, number>();
  readonly load = new Map<string, number>();
  readonly followers = new Map<string, Set<(e: LogEntry | null) => void>>();
  runner?: CommandRunner;
  logs(key: ContainerKey, previous: boolean) { return (previous ? this.previous : this.current).get(k(key)); }
  follow(key: ContainerKey, cb: (e: LogEntry | null) => void) {
    const s = this.followers.get(k(key)) ?? new Set();
    this.followers.set(k(key), s);
    s.add(cb);
    return () => s.delete(cb);
  }
  appendLog(key: ContainerKey, line: string) {
    const e = { time: new Date(), line };
    const l = this.current.get(k(key)) ?? [];
    l.push(e);
    this.current.set(k(key), l);
    for (const f of this.followers.get(k(key)) ?? []) f(e);
  }
  terminate(key: ContainerKey) { for (const f of this.followers.get(k(key)) ?? []) f(null); }
  usage(key: ContainerKey): Usage | undefined { return { cpuMilli: 10 + (this.load.get(k(key)) ?? 0), memoryBytes: 32 << 20 }; }
  addLoad(key: ContainerKey, ms: number) { this.load.set(k(key), (this.load.get(k(key)) ?? 0) + ms); }
  portFor(ns: string, pod: string, port: number) { return this.ports.get(`${ns}/${pod}/${port}`); }
  setCommandRunner(r: CommandRunner) { this.runner = r; }
}

export interface Harness {
  ctx: SimContext;
  store: ObjectStore;
  runtime: HarnessRuntime;
  url: string;
  kubeconfig: string;
  dir: string;
  logs: string[];
  addPod(name: string, spec?: Partial<KObj>, ns?: string): KObj;
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number; env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }>;
}

const PODS: GroupResource = { group: '', resource: 'pods' };

export function runningPod(name: string, ns = 'default', containers: Array<Record<string, any>> = [{ name: 'app', image: 'busybox' }]): KObj {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, uid: `uid-${name}`, labels: { app: name } },
    spec: { nodeName: 'node-1', containers },
    status: {
      phase: 'Running', podIP: '10.244.0.7',
      containerStatuses: containers.map((c) => ({ name: c.name, ready: true, restartCount: 0, image: c.image, state: { running: { startedAt: new Date().toISOString() } } })),
    },
  };
}

/** A context without any server: for shell and world tests. */
export function makeCtx(timeScale = 50): { ctx: SimContext; store: ObjectStore; runtime: HarnessRuntime; plugins: SimPlugin[]; logs: string[]; stop(): void } {
  const store = new ObjectStore();
  const runtime = new HarnessRuntime();
  const plugins: SimPlugin[] = [];
  const logs: string[] = [];
  const clock = createClock(timeScale);
  const api: InternalApi = {
    get: (gr, ns, name) => { const o = store.peek(gr, ns, name); return o && structuredClone(o); },
    list: (gr, ns) => store.list(gr, ns).items.map((o) => structuredClone(o)),
    create: (gr, o) => store.create(gr, o),
    update: (gr, o) => store.update(gr, o),
    updateStatus: (gr, o) => store.update(gr, o),
    delete: (gr, ns, name) => { store.delete(gr, ns, name); },
    recordEvent: () => {},
  };
  const ctx: SimContext = { store, api, clock, runtime, use: (p) => plugins.push(p), onStop: () => {}, log: (m) => logs.push(m) };
  return { ctx, store, runtime, plugins, logs, stop: () => clock.stopAll() };
}

export async function startHarness(t: ExecutionContext, timeScale = 50): Promise<Harness> {
  const store = new ObjectStore();
  const runtime = new HarnessRuntime();
  const plugins: SimPlugin[] = [];
  const logs: string[] = [];
  const clock = createClock(timeScale);
  const api: InternalApi = {
    get: (gr, ns, name) => { const o = store.peek(gr, ns, name); return o && structuredClone(o); },
    list: (gr, ns) => store.list(gr, ns).items.map((o) => structuredClone(o)),
    create: (gr, o) => store.create(gr, o),
    update: (gr, o) => store.update(gr, o),
    updateStatus: (gr, o) => store.update(gr, o),
    delete: (gr, ns, name) => { store.delete(gr, ns, name); },
    recordEvent: () => {},
  };
  const stops: Array<() => void | Promise<void>> = [];
  const ctx: SimContext = { store, api, clock, runtime, use: (p) => plugins.push(p), onStop: (f) => stops.push(f), log: (m) => logs.push(m) };
  installStreams(ctx);
  const tls = await generateTls();
  const json = (res: import('node:http').ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, async (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (url.pathname === '/version') return json(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.2', platform: 'linux/amd64' });
    for (const p of plugins) if (p.http && (await p.http(req, res, url))) return;
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const pod = store.peek(PODS, m[1], m[2]!);
      if (pod) return json(res, 200, pod);
      return json(res, 404, new ApiError(404, 'NotFound', `pods "${m[2]}" not found`, { name: m[2], kind: 'pods' }).toStatus());
    }
    if (url.pathname === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/api/v1') {
      return json(res, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [
        { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
        { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
        { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
        { name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['get', 'list'], shortNames: ['no'] },
      ] });
    }
    for (const d of plugins.flatMap((p) => p.discovery ?? [])) {
      if (url.pathname === `/apis/${d.group}/${d.version}`) return json(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${d.group}/${d.version}`, resources: d.resources });
    }
    if (url.pathname === '/apis') {
      return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: plugins.flatMap((p) => p.discovery ?? []).map((d) => ({ name: d.group, versions: [{ groupVersion: `${d.group}/${d.version}`, version: d.version }], preferredVersion: { groupVersion: `${d.group}/${d.version}`, version: d.version } })) });
    }
    json(res, 404, new ApiError(404, 'NotFound', 'the server could not find the requested resource').toStatus());
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    for (const p of plugins) if (p.upgrade?.(req, socket, head, url)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'kai-'));
  const kubeconfig = join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: sim',
    'clusters:', '- name: sim', '  cluster:', `    server: ${url}`, `    certificate-authority-data: ${Buffer.from(tls.caPem).toString('base64')}`,
    'users:', '- name: sim', '  user:', '    token: harness-token',
    'contexts:', '- name: sim', '  context:', '    cluster: sim', '    user: sim', '    namespace: default', '',
  ].join('\n'));
  t.teardown(async () => {
    for (const s of stops) await s();
    clock.stopAll();
    server.closeAllConnections();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    ctx, store, runtime, url, kubeconfig, dir, logs,
    addPod(name, extra = {}, ns = 'default') {
      const pod = runningPod(name, ns, extra.spec?.containers);
      if (extra.spec) pod.spec = { ...pod.spec, ...extra.spec };
      if (extra.status) pod.status = { ...pod.status, ...extra.status };
      if (extra.metadata) pod.metadata = { ...pod.metadata, ...extra.metadata };
      return store.create(PODS, pod);
    },
    kubectl(args, opts = {}) {
      return new Promise((resolve) => {
        const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], {
          env: { ...process.env, KUBECACHEDIR: join(dir, 'cache'), HOME: dir, ...opts.env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? -1, stdout, stderr });
        });
        if (opts.input !== undefined) child.stdin.end(opts.input);
        else child.stdin.end();
      });
    },
  };
}

export { execFile };
