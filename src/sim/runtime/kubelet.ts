/**
 * The simulated kubelet (one for every node of the cluster) and the ContainerRuntime it
 * implements. It moves bound pods through their phases and container states with the real
 * reasons, events and back-off (see docs/workload-behaviours.md), keeps per-container logs,
 * usage curves, and serves each serving container port on a real loopback HTTP server.
 * Delegates: probes (kubelet-probes.ts), the status it writes (pod-status.ts), the references a pod
 * needs before it runs (pod-references.ts); the per-pod state it tracks is in kubelet-types.ts.
 */
import type { SimContext } from '../context.js';
import type { GroupResource, KObj } from '../types.js';
import { clusterIndex } from '../controllers/cache.js';
import { nodeDown } from '../controllers/node-lifecycle.js';
import { GR, nowIso, parseMemory } from '../controllers/util.js';
import { behaviourOf, type Behaviour } from './behaviour.js';
import { pullMessage, pullProblem, type PullProblem } from './image-rule.js';
import { probedPorts } from './probes.js';
import { ContainerProbes } from './kubelet-probes.js';
import type { CRun, PRun, Terminated } from './kubelet-types.js';
import { podStatus } from './pod-status.js';
import { configError, missingVolume, pullSecretHosts } from './pod-references.js';
import { EVICTION_EVERY_MS, evictionMessage, nextVictim, pressureOf } from './eviction.js';
import { startPodServer, type Served } from './http-server.js';
import { startRedisServer } from './redis-server.js';
import { imageId, imageSize, newContainerId, normaliseImage } from './images.js';
import { ckey, LogStore } from './log-buffer.js';
import { goDuration } from '../api/humanize.js';
import { accessLine, crashLines, jobLines, oomLine, periodicLine, startupLines } from './log-lines.js';
import type { CommandRunner, ContainerKey, ContainerRuntime, LogEntry, Usage } from './types.js';

const SANDBOX_MS = 800;
const BACKOFF_START = 10_000;
const BACKOFF_MAX = 300_000;
const BACKOFF_RESET = 600_000;
const DEFAULT_OOM_LIMIT = 512 * 2 ** 20;

export class Kubelet implements ContainerRuntime {
  private readonly pods = new Map<string, PRun>();
  private readonly logsStore = new LogStore();
  private readonly images = new Map<string, Set<string>>();
  private readonly nextIp = new Map<string, number>();
  private runner?: CommandRunner;
  private stopped = false;
  private readonly dirty = new Set<PRun>();
  private flushScheduled = false;

  /** The sim clock, with callbacks that log instead of throwing (a timer must never crash the server). */
  private readonly timer: { setTimeout(fn: () => void, ms: number): () => void; setInterval(fn: () => void, ms: number): () => void };

  private readonly probes = new ContainerProbes({
    timer: { setTimeout: (fn, ms) => this.timer.setTimeout(fn, ms), setInterval: (fn, ms) => this.timer.setInterval(fn, ms) },
    runner: () => this.runner,
    stopped: () => this.stopped,
    event: (run, c, type, reason, message) => this.event(run, c, type, reason, message),
    markDirty: (run) => this.markDirty(run),
    later: (run, c, fn, ms) => this.later(run, c, fn, ms),
    exited: (run, c, code, reason, message) => this.exited(run, c, code, reason, message),
  });

  private readonly peek = (gr: GroupResource, ns: string | undefined, name: string) => this.ctx.store.peek(gr, ns, name);

  constructor(private readonly ctx: SimContext) {
    const guard = (fn: () => void) => () => {
      try {
        fn();
      } catch (e) {
        ctx.log(`kubelet: ${(e as Error).stack ?? (e as Error).message}`);
      }
    };
    this.timer = {
      setTimeout: (fn, ms) => ctx.clock.setTimeout(guard(fn), ms),
      setInterval: (fn, ms) => ctx.clock.setInterval(guard(fn), ms),
    };
  }

  start(): void {
    const index = clusterIndex(this.ctx);
    for (const p of index.list(GR.pods)) this.onPod('ADDED', p);
    const unsub = index.onEvent((ev) => {
      if (ev.key === '/pods') this.onPod(ev.type, ev.object);
      else if (ev.key === '/nodes' && ev.type === 'MODIFIED' && !nodeDown(ev.object)) this.nodeBack(ev.object.metadata.name!);
    });
    const evictions = this.timer.setInterval(() => this.evictUnderPressure(), EVICTION_EVERY_MS);
    this.ctx.onStop(() => {
      evictions();
      unsub();
      this.stopped = true;
      for (const p of this.pods.values()) this.teardown(p);
      this.pods.clear();
    });
  }

  // ---- ContainerRuntime ----
  logs(key: ContainerKey, previous: boolean): LogEntry[] | undefined {
    const run = this.pods.get(`${key.namespace}/${key.pod}`);
    if (run?.static && !previous && !this.logsStore.get(ckey(key), false)) this.seedStaticLogs(run, key);
    return this.logsStore.get(ckey(key), previous);
  }

  follow(key: ContainerKey, cb: (e: LogEntry | null) => void): () => void {
    return this.logsStore.follow(ckey(key), cb);
  }

  appendLog(key: ContainerKey, line: string): void {
    this.logsStore.append(ckey(key), line);
  }

  usage(key: ContainerKey): Usage | undefined {
    const run = this.pods.get(`${key.namespace}/${key.pod}`);
    if (!run || run.terminal) return undefined;
    const c = run.apps.find((x) => x.name === key.container) ?? run.inits.find((x) => x.name === key.container);
    if (!c || !c.state.running) return undefined;
    const now = Date.now();
    const simSec = ((now - c.startedWall) * this.ctx.clock.timeScale) / 1000;
    const phase = (run.uid.charCodeAt(0) + c.name.length) % 17;
    const wave = 0.5 + 0.5 * Math.sin(simSec / 60 + phase);
    c.load = c.load.filter((l) => (now - l.at) * this.ctx.clock.timeScale < 10_000);
    const extra = c.load.reduce((s, l) => s + l.milli, 0) / 10;
    const cpuMilli = Math.round(c.b.cpuMin + (c.b.cpuMax - c.b.cpuMin) * wave + extra);
    let memoryBytes = Math.round(c.b.memoryBase * (1 + 0.04 * Math.sin(simSec / 90 + phase)));
    if (c.b.kind === 'oom') memoryBytes = Math.round(c.b.memoryBase + c.b.memoryGrowth * simSec);
    return { cpuMilli, memoryBytes };
  }

  addLoad(key: ContainerKey, cpuMilliSeconds: number): void {
    const run = this.pods.get(`${key.namespace}/${key.pod}`);
    const c = run?.apps.find((x) => x.name === key.container);
    c?.load.push({ at: Date.now(), milli: cpuMilliSeconds });
  }

  portFor(namespace: string, pod: string, containerPort: number): number | undefined {
    const run = this.pods.get(`${namespace}/${pod}`);
    for (const c of run?.apps ?? []) {
      const s = c.servers.get(containerPort);
      if (s) return s.port;
    }
    return undefined;
  }

  setCommandRunner(runner: CommandRunner): void {
    this.runner = runner;
  }

  // ---- pod lifecycle ----
  private onPod(type: string, pod: KObj): void {
    if (this.stopped) return;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const run = this.pods.get(key);
    if (type === 'DELETED') {
      if (run && run.uid === pod.metadata.uid) {
        this.teardown(run);
        this.pods.delete(key);
        this.logsStore.dropPod(run.ns, run.name);
      }
      return;
    }
    if (run && run.uid !== pod.metadata.uid) {
      // Same name, new pod (StatefulSet replacement): forget the old one.
      this.teardown(run);
      this.pods.delete(key);
      this.logsStore.dropPod(run.ns, run.name);
      return this.onPod(type, pod);
    }
    if (run) {
      run.pod = pod;
      if (pod.metadata.deletionTimestamp && !run.deleting) this.kill(run);
      else if (!run.deleting && !run.terminal && !run.static) this.specChanged(run, pod);
      return;
    }
    const node = pod.spec?.nodeName as string | undefined;
    if (!node) return;
    const nodeObj = this.ctx.store.peek(GR.nodes, undefined, node);
    if (!nodeObj) return;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const newRun = this.track(pod, node, nodeObj);
    this.pods.set(key, newRun);
    if (pod.metadata.deletionTimestamp) {
      this.kill(newRun);
      return;
    }
    if (newRun.static) return this.adoptStatic(newRun);
    this.markDirty(newRun);
    if (newRun.apps.some((c) => c.b.kind === 'pending')) return;
    this.mountVolumes(newRun, 500);
  }

  /**
   * Volumes first: a pod that mounts a ConfigMap or Secret that does not exist stays
   * ContainerCreating with FailedMount events, retried with kubelet's back-off (0.5 s doubling
   * to 2m2s), and starts once the object appears.
   */
  private mountVolumes(run: PRun, retryMs: number): void {
    if (run.deleting || run.terminal || this.stopped) return;
    const missing = missingVolume(this.peek, run.pod);
    if (missing) {
      this.event(run, undefined, 'Warning', 'FailedMount', missing);
      run.timers.push(this.timer.setTimeout(() => this.mountVolumes(run, Math.min(retryMs * 2, 122_000)), retryMs));
      return;
    }
    run.timers.push(this.timer.setTimeout(() => {
      run.sandboxReady = true;
      this.markDirty(run);
      this.nextInit(run);
    }, SANDBOX_MS));
  }

  private track(pod: KObj, node: string, nodeObj: KObj): PRun {
    const isStatic = pod.metadata.annotations?.['sim.kai-tui.dev/behaviour'] === 'static';
    const mk = (spec: KObj, init: boolean): CRun => ({
      name: spec.name, spec, init, b: isStatic ? this.staticBehaviour(pod, spec) : behaviourOf(pod, spec, init),
      state: { waiting: { reason: init ? 'PodInitializing' : pod.spec?.initContainers?.length ? 'PodInitializing' : 'ContainerCreating' } },
      lastState: {}, restartCount: 0, ready: false, started: false, imageID: '', everStarted: false,
      backoff: 0, pullBackoff: 0, startedWall: 0, timers: [], servers: new Map(), load: [], done: false,
    });
    const hostIP = ((nodeObj.status?.addresses ?? []) as KObj[]).find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.10';
    return {
      uid: pod.metadata.uid!, ns: pod.metadata.namespace!, name: pod.metadata.name!, node, pod,
      inits: ((pod.spec?.initContainers ?? []) as KObj[]).map((c) => mk(c, true)),
      apps: ((pod.spec?.containers ?? []) as KObj[]).map((c) => mk(c, false)),
      initDone: !(pod.spec?.initContainers?.length), sandboxReady: false,
      podIP: pod.status?.podIP ?? (pod.spec?.hostNetwork ? hostIP : this.allocIp(nodeObj)),
      hostIP, startTime: pod.status?.startTime ?? nowIso(), deleting: false, timers: [], dirty: false, static: isStatic,
    };
  }

  private readonly staticBehaviours = new Map<string, Behaviour>();
  /** Bulk pods share one parsed behaviour per image and container name (20,000 pods load fast). */
  private staticBehaviour(pod: KObj, spec: KObj): Behaviour {
    const k = `${spec.image}|${spec.name}`;
    let b = this.staticBehaviours.get(k);
    if (!b) this.staticBehaviours.set(k, (b = behaviourOf(pod, spec, false)));
    return b;
  }

  private allocIp(node: KObj): string {
    const name = node.metadata.name!;
    const cidr = (node.spec?.podCIDR as string | undefined) ?? '10.244.0.0/24';
    const base = cidr.split('/')[0]!.split('.').map(Number);
    const n = (this.nextIp.get(name) ?? 1) + 1;
    this.nextIp.set(name, n);
    const host = base[3]! + n;
    return `${base[0]}.${base[1]}.${base[2]! + Math.floor(host / 254)}.${(host % 254) + 1}`;
  }

  /** Bulk pods (behaviour static) are created Running; the kubelet only tracks them, without timers. */
  private adoptStatic(run: PRun): void {
    for (const c of run.apps) {
      const cs = ((run.pod.status?.containerStatuses ?? []) as KObj[]).find((x) => x.name === c.name);
      c.state = cs?.state ?? { running: { startedAt: run.startTime } };
      c.ready = cs?.ready ?? true;
      c.started = true;
      c.everStarted = true;
      c.containerID = cs?.containerID;
      c.imageID = cs?.imageID ?? imageId(c.spec.image ?? '');
      c.startedWall = Date.parse(run.startTime) || Date.now();
    }
    run.sandboxReady = true;
    if (run.pod.status?.phase !== 'Running') this.markDirty(run);
  }

  private seedStaticLogs(run: PRun, key: ContainerKey): void {
    const c = run.apps.find((x) => x.name === key.container);
    if (!c) return;
    const k = ckey(key);
    this.logsStore.startInstance(k);
    const ports = ((c.spec.ports ?? []) as KObj[]).map((p) => p.containerPort as number);
    for (const l of startupLines(c.b.flavour, appName(c.spec), ports)) this.logsStore.append(k, l, new Date(c.startedWall));
    for (let i = 0; i < 5; i++) this.logsStore.append(k, periodicLine(c.b, appName(c.spec), probePath(c.spec)));
  }

  private nextInit(run: PRun): void {
    if (run.deleting || run.terminal) return;
    const next = run.inits.find((c) => !c.done);
    if (next) return this.startContainer(run, next);
    run.initDone = true;
    for (const c of run.apps) {
      if (c.state.waiting && (c.state.waiting as KObj).reason === 'PodInitializing') c.state = { waiting: { reason: 'ContainerCreating' } };
    }
    this.markDirty(run);
    for (const c of run.apps) this.startContainer(run, c);
  }

  private event(run: PRun, c: CRun | undefined, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const fieldPath = c ? `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}` : undefined;
    try {
      this.ctx.api.recordEvent(run.pod, type, reason, message, { component: 'kubelet', host: run.node, ...(fieldPath ? { fieldPath } : {}) });
    } catch (e) {
      this.ctx.log(`kubelet event: ${(e as Error).message}`);
    }
  }

  private startContainer(run: PRun, c: CRun): void {
    if (run.deleting || run.terminal) return;
    const image = String(c.spec.image ?? '');
    const nodeImages = this.images.get(run.node) ?? new Set<string>();
    this.images.set(run.node, nodeImages);
    const policy = c.spec.imagePullPolicy ?? (image.endsWith(':latest') || !image.includes(':') ? 'Always' : 'IfNotPresent');
    const problem: PullProblem | undefined = c.b.kind === 'image-pull-error' ? 'not-found' : pullProblem(image, pullSecretHosts(this.peek, run.pod));
    const unpullable = problem !== undefined;
    if (!unpullable && nodeImages.has(image) && policy !== 'Always') {
      this.event(run, c, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return this.createAndStart(run, c);
    }
    if (policy === 'Never') {
      c.state = { waiting: { reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` } };
      this.event(run, c, 'Warning', 'ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
      this.event(run, c, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      return this.markDirty(run);
    }
    this.event(run, c, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const t0 = Date.now();
    this.later(run, c, () => {
      if (problem) return this.pullFailed(run, c, image, problem);
      const pulled = (Date.now() - t0) * this.ctx.clock.timeScale;
      nodeImages.add(image);
      c.pullBackoff = 0;
      // kubelet truncates both to milliseconds and prints them as Go durations; waiting includes a little queueing.
      this.event(run, c, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${goDuration(pulled)} (${goDuration(pulled + 3 + (pulled % 17))} including waiting). Image size: ${imageSize(image)} bytes.`);
      this.createAndStart(run, c);
    }, c.b.pullMs);
  }

  private pullFailed(run: PRun, c: CRun, image: string, problem: PullProblem): void {
    const msg = `Failed to pull image "${image}": ${pullMessage(image, problem)}`;
    this.event(run, c, 'Warning', 'Failed', msg);
    this.event(run, c, 'Warning', 'Failed', 'Error: ErrImagePull');
    c.state = { waiting: { reason: 'ErrImagePull', message: msg.replace(/^Failed to pull image "[^"]*": /, '') } };
    this.markDirty(run);
    c.pullBackoff = c.pullBackoff ? Math.min(c.pullBackoff * 2, BACKOFF_MAX) : BACKOFF_START;
    this.later(run, c, () => {
      c.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
      this.event(run, c, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      this.event(run, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      this.markDirty(run);
      this.later(run, c, () => this.startContainer(run, c), c.pullBackoff);
    }, 1_000);
  }

  private createAndStart(run: PRun, c: CRun): void {
    if (run.deleting || run.terminal) return;
    const key = ckey({ namespace: run.ns, pod: run.name, container: c.name });
    const badConfig = configError(this.peek, run.ns, c.spec);
    if (badConfig) {
      c.state = { waiting: { reason: 'CreateContainerConfigError', message: badConfig } };
      this.event(run, c, 'Warning', 'Failed', `Error: ${badConfig}`);
      this.markDirty(run);
      const image = String(c.spec.image ?? '');
      this.later(run, c, () => {
        this.event(run, c, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        this.createAndStart(run, c);
      }, 10_000);
      return;
    }
    if (c.everStarted) c.restartCount++;
    c.containerID = newContainerId();
    c.imageID = imageId(String(c.spec.image ?? ''));
    this.event(run, c, 'Normal', 'Created', `Created container: ${c.name}`);
    this.logsStore.startInstance(key);
    c.startedWall = Date.now();
    c.state = { running: { startedAt: nowIso() } };
    c.everStarted = true;
    c.started = true;
    c.ready = false;
    this.event(run, c, 'Normal', 'Started', `Started container ${c.name}`);
    this.markDirty(run);
    this.runBehaviour(run, c, key);
  }

  private runBehaviour(run: PRun, c: CRun, key: string): void {
    const b = c.b;
    const declared = ((c.spec.ports ?? []) as KObj[]).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort as number);
    // The app listens on its declared ports; declaring none, on the ports its probes aim at.
    const ports = declared.length ? declared : probedPorts(c.spec);
    // Images whose default command is a shell (busybox, alpine, …) run their args as the command.
    const shellImage = /(^|\/)(busybox|alpine|ubuntu|debian)([:@]|$)/.test(String(c.spec.image ?? ''));
    const useCommand = !b.explicit && (c.spec.command?.length || (c.spec.args?.length && (b.kind === 'complete' || shellImage)));
    if (useCommand && this.runner) return this.runCommand(run, c, key);
    if (useCommand && b.kind !== 'complete') {
      // No emulated shell installed yet: a command container simply keeps running, silently.
      this.probes.start(run, c);
      return;
    }
    for (const l of startupLines(b.flavour, appName(c.spec), ports)) this.logsStore.append(key, l);
    if (!c.init && b.kind !== 'complete' && b.kind !== 'crash') this.serve(run, c, key, ports);
    const tick = () => {
      if (b.kind === 'complete') this.logsStore.append(key, jobLines(appName(c.spec)).progress);
      else if (b.kind !== 'oom') this.logsStore.append(key, periodicLine(b, appName(c.spec), probePath(c.spec)));
    };
    c.timers.push(this.timer.setInterval(tick, b.logEveryMs));
    switch (b.kind) {
      case 'crash':
        this.later(run, c, () => {
          for (const l of crashLines(b.flavour, appName(c.spec), b.exitCode)) this.logsStore.append(key, l);
          this.exited(run, c, b.exitCode, b.exitCode === 0 ? 'Completed' : 'Error');
        }, b.exitAfterMs);
        break;
      case 'complete':
        this.later(run, c, () => {
          this.logsStore.append(key, jobLines(appName(c.spec)).done);
          this.exited(run, c, b.exitCode, b.exitCode === 0 ? 'Completed' : 'Error');
        }, b.exitAfterMs);
        break;
      case 'oom': {
        const limit = parseMemory(c.spec.resources?.limits?.memory) || DEFAULT_OOM_LIMIT;
        c.timers.push(this.timer.setInterval(() => {
          const u = this.usage({ namespace: run.ns, pod: run.name, container: c.name });
          const used = u?.memoryBytes ?? 0;
          this.logsStore.append(key, oomLine(used, limit));
          if (used >= limit) this.exited(run, c, 137, 'OOMKilled');
        }, 1_000));
        break;
      }
      case 'liveness-fail':
        this.probes.livenessFailure(run, c);
        break;
      default:
        break;
    }
    this.probes.start(run, c);
  }

  private runCommand(run: PRun, c: CRun, key: string): void {
    const argv = [...((c.spec.command ?? []) as string[]), ...((c.spec.args ?? []) as string[])];
    const env: Record<string, string> = {};
    for (const e of (c.spec.env ?? []) as KObj[]) if (typeof e.value === 'string') env[e.name] = e.value;
    try {
      const cmd = this.runner!.run({ pod: run.pod, container: c.spec, argv, env }, {
        stdout: (t) => this.appendText(key, t),
        stderr: (t) => this.appendText(key, t),
      });
      c.cmd = cmd;
      const instance = c.containerID;
      cmd.exit.then((code) => {
        if (c.containerID !== instance || run.deleting) return;
        this.exited(run, c, code, code === 0 ? 'Completed' : code === 137 ? 'Error' : 'Error');
      }, () => this.exited(run, c, 1, 'Error'));
      this.probes.start(run, c);
    } catch (e) {
      const notFound = (e as { code?: string }).code === 'ENOENT';
      const msg = notFound
        ? `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown`
        : (e as Error).message;
      this.event(run, c, 'Warning', 'Failed', `Error: ${msg}`);
      this.exited(run, c, 128, 'StartError', msg);
    }
  }

  private partial = new Map<string, string>();
  private appendText(key: string, text: string): void {
    const buf = (this.partial.get(key) ?? '') + text;
    const lines = buf.split('\n');
    this.partial.set(key, lines.pop()!);
    for (const l of lines) this.logsStore.append(key, l.replace(/\r$/, ''));
  }

  private serve(run: PRun, c: CRun, key: string, ports: number[]): void {
    const instance = c.containerID;
    const pending: Array<Promise<unknown>> = [];
    for (const port of ports) {
      const served = (s: Served) => {
        this.logsStore.append(key, c.b.flavour === 'redis'
          ? `1:M ${new Date().toUTCString().slice(5, 25)}.000 * client 127.0.0.1 ran ${s.method}${s.path ? ` ${s.path}` : ''}`
          : accessLine(c.b.flavour, s.method, s.path, s.status, s.bytes, s.ua, s.ms));
        c.load.push({ at: Date.now(), milli: 20 });
      };
      const started = (c.b.flavour === 'redis' && port === 6379 ? startRedisServer(served) : startPodServer(c.b.flavour, run.name, served));
      pending.push(started.catch(() => undefined));
      started.then((srv) => {
        if (c.containerID !== instance || !c.state.running || run.deleting || this.stopped) return srv.close();
        c.servers.set(port, srv);
      }, (e) => this.ctx.log(`kubelet: cannot serve ${run.ns}/${run.name}:${port}: ${(e as Error).message}`));
    }
    c.listening = Promise.all(pending);
  }

  /** A timer that belongs to the current container instance. */
  private later(run: PRun, c: CRun, fn: () => void, simMs: number): void {
    const instance = c.containerID;
    c.timers.push(this.timer.setTimeout(() => {
      if (c.containerID !== instance || run.deleting || this.stopped) return;
      fn();
    }, simMs));
  }

  private stopInstance(run: PRun, c: CRun): void {
    for (const t of c.timers) t();
    c.timers = [];
    for (const s of c.servers.values()) s.close();
    c.servers.clear();
    if (c.cmd) {
      c.cmd.kill('SIGKILL');
      c.cmd = undefined;
    }
    this.logsStore.endInstance(ckey({ namespace: run.ns, pod: run.name, container: c.name }));
  }

  private exited(run: PRun, c: CRun, exitCode: number, reason: string, message?: string): void {
    if (!c.state.running && reason !== 'StartError') return;
    const startedAt = ((c.state.running as KObj | undefined)?.startedAt as string | undefined) ?? nowIso();
    const ranMs = (Date.now() - c.startedWall) * this.ctx.clock.timeScale;
    this.stopInstance(run, c);
    const term: Terminated = { exitCode, reason, ...(message ? { message } : {}), startedAt, finishedAt: nowIso(), containerID: c.containerID };
    if (reason === 'StartError') term.startedAt = '1970-01-01T00:00:00Z';
    c.state = { terminated: term };
    c.ready = false;
    c.started = false;
    c.exitCode = exitCode;
    const policy = run.pod.spec?.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    if (c.init && exitCode === 0) {
      c.done = true;
      this.markDirty(run);
      return this.nextInit(run);
    }
    if (!restart) {
      c.done = true;
      this.markDirty(run);
      if (c.init) return this.finish(run, 'Failed');
      if (run.apps.every((x) => x.done)) this.finish(run, run.apps.every((x) => x.exitCode === 0) ? 'Succeeded' : 'Failed');
      return;
    }
    this.markDirty(run);
    if (ranMs >= BACKOFF_RESET) c.backoff = 0;
    // As kubelet: the first restart is immediate; later ones wait 10s, 20s, … up to 5 minutes.
    const wait = c.backoff;
    c.backoff = c.backoff ? Math.min(c.backoff * 2, BACKOFF_MAX) : BACKOFF_START;
    const image = String(c.spec.image ?? '');
    this.later(run, c, () => {
      c.lastState = { terminated: term };
      if (wait > 0) {
        const m = `back-off ${formatBackoff(wait)} restarting failed container=${c.name} pod=${run.name}_${run.ns}(${run.uid})`;
        c.state = { waiting: { reason: 'CrashLoopBackOff', message: m } };
        this.event(run, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${run.name}_${run.ns}(${run.uid})`);
        this.markDirty(run);
      }
      this.later(run, c, () => {
        this.event(run, c, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        this.createAndStart(run, c);
      }, wait);
    }, 1_000);
  }

  /** One eviction per node under memory or disk pressure, per round (eviction.ts). */
  private evictUnderPressure(): void {
    const byNode = new Map<string, PRun[]>();
    for (const run of this.pods.values()) {
      if (run.deleting || run.terminal || run.static || !run.node) continue;
      byNode.set(run.node, [...(byNode.get(run.node) ?? []), run]);
    }
    for (const [node, runs] of byNode) {
      const pressure = pressureOf(this.ctx.store.peek(GR.nodes, undefined, node));
      if (!pressure) continue;
      const victim = nextVictim(runs.map((run) => ({
        key: `${run.ns}/${run.name}`, pod: this.ctx.store.peek(GR.pods, run.ns, run.name) ?? run.pod,
        containers: run.apps.map((c) => ({
          name: c.name,
          usageBytes: this.usage({ namespace: run.ns, pod: run.name, container: c.name })?.memoryBytes ?? 0,
          requestBytes: parseMemory(c.spec.resources?.requests?.memory),
        })),
      })));
      const run = victim && this.pods.get(victim.key);
      if (!run || !victim) continue;
      const message = evictionMessage(pressure, victim);
      run.evicted = message;
      this.event(run, undefined, 'Warning', 'Evicted', message);
      for (const c of run.apps) if (c.state.running) this.event(run, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      this.finish(run, 'Failed');
    }
  }

  private finish(run: PRun, phase: 'Succeeded' | 'Failed'): void {
    run.terminal = phase;
    for (const c of [...run.apps, ...run.inits]) if (c.state.running) this.stopInstance(run, c);
    this.markDirty(run);
  }

  /** A container's image was changed in place (`kubectl set image pod/…`): kubelet restarts it with the new one. */
  private specChanged(run: PRun, pod: KObj): void {
    for (const spec of (pod.spec?.containers ?? []) as KObj[]) {
      const c = run.apps.find((x) => x.name === spec.name);
      if (!c || c.spec.image === spec.image) continue;
      c.spec = spec;
      c.b = behaviourOf(pod, spec, false);
      if (!c.state.running) continue;
      this.event(run, c, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
      const startedAt = (c.state.running as KObj).startedAt;
      this.stopInstance(run, c);
      c.lastState = { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: nowIso(), containerID: c.containerID } };
      c.state = { waiting: { reason: 'ContainerCreating' } };
      c.ready = false;
      c.started = false;
      c.containerID = undefined;
      this.markDirty(run);
      this.startContainer(run, c);
    }
  }

  /** Graceful deletion: stop containers (Killing), then remove the pod. */
  private kill(run: PRun): void {
    run.deleting = true;
    for (const t of run.timers) t();
    run.timers = [];
    const grace = (run.pod.metadata.deletionGracePeriodSeconds ?? run.pod.spec?.terminationGracePeriodSeconds ?? 30) as number;
    for (const c of [...run.apps, ...run.inits]) {
      for (const t of c.timers) t();
      c.timers = [];
      if (c.state.running) this.event(run, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
    }
    const finishMs = Math.min(grace * 1000, 1_500);
    this.timer.setTimeout(() => {
      for (const c of [...run.apps, ...run.inits]) {
        if (!c.state.running) continue;
        const startedAt = (c.state.running as KObj).startedAt;
        this.stopInstance(run, c);
        c.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: nowIso(), containerID: c.containerID } };
        c.ready = false;
      }
      this.removePod(run);
    }, finishMs);
  }

  private nodeIsDown(name: string): boolean {
    return nodeDown(this.ctx.store.peek(GR.nodes, undefined, name));
  }

  /** The node reports again: send the statuses it held back and finish deletions. */
  private nodeBack(node: string): void {
    for (const run of this.pods.values()) {
      if (run.node !== node) continue;
      if (run.removeWhenBack) {
        run.removeWhenBack = false;
        this.removePod(run);
      } else this.markDirty(run);
    }
  }

  private removePod(run: PRun): void {
    const cur = this.ctx.store.peek(GR.pods, run.ns, run.name);
    if (!cur || cur.metadata.uid !== run.uid) return;
    // An unreachable node confirms nothing: the pod stays Terminating until the node is back.
    if (this.nodeIsDown(run.node)) {
      run.removeWhenBack = true;
      return;
    }
    try {
      this.ctx.store.delete(GR.pods, run.ns, run.name, { uid: run.uid });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) this.ctx.log(`kubelet: delete ${run.ns}/${run.name}: ${(e as Error).message}`);
    }
  }

  private teardown(run: PRun): void {
    for (const t of run.timers) t();
    for (const c of [...run.apps, ...run.inits]) this.stopInstance(run, c);
    this.dirty.delete(run);
  }

  // ---- status ----
  private markDirty(run: PRun): void {
    this.dirty.add(run);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const runs = [...this.dirty];
      this.dirty.clear();
      for (const r of runs) this.writeStatus(r);
    });
  }

  private writeStatus(run: PRun): void {
    if (this.stopped || this.pods.get(`${run.ns}/${run.name}`) !== run) return;
    if (this.nodeIsDown(run.node)) return; // resent when the node is back
    const cur = this.ctx.store.peek(GR.pods, run.ns, run.name);
    if (!cur || cur.metadata.uid !== run.uid) return;
    const status = podStatus(run, cur);
    if (JSON.stringify(status) === JSON.stringify(cur.status ?? {})) return;
    const o = structuredClone(cur);
    o.status = status;
    try {
      this.ctx.api.updateStatus(GR.pods, o);
    } catch (e) {
      if ((e as { code?: number }).code !== 404) this.ctx.log(`kubelet status ${run.ns}/${run.name}: ${(e as Error).message}`);
    }
  }

}

/** What the app calls itself in its logs: the image's repository name (ghcr.io/acme/jokes-api:2.1 → jokes-api). */
function appName(spec: KObj): string {
  const image = String(spec.image ?? '');
  const repo = image.split('@')[0]!.split('/').pop()!.split(':')[0]!;
  return repo || String(spec.name);
}

/** The HTTP path kube-probe hits, for believable access logs. */
function probePath(spec: KObj): string {
  return spec.readinessProbe?.httpGet?.path ?? spec.livenessProbe?.httpGet?.path ?? '/healthz';
}

function formatBackoff(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const r = s % 60;
  return r ? `${m}m${r}s` : `${m}m0s`;
}
