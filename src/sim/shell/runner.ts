/**
 * The emulated shell as the kubelet's CommandRunner: containers' command/args and exec probes
 * run here. Each container instance gets a fresh world (a restarted container starts from its
 * image again); exec sessions join the world of the instance that is running.
 */
import type { SimContext } from '../context.js';
import type { CommandIO, CommandRunner, CommandSpec, RunningCommand } from '../runtime/types.js';
import type { KObj } from '../types.js';
import { COMMANDS } from './commands/index.js';
import { simSleep } from './commands/builtins.js';
import { Shell } from './interp.js';
import { ExitSignal, Interrupted, EMPTY_INPUT, type Io, type ShellWorld } from './types.js';
import { buildWorld } from './world.js';
import { StreamInput, startSession } from './session.js';

/** Server programs an image may start as PID 1: they log a start line and run until killed. */
const DAEMONS: Record<string, (argv: string[]) => string[]> = {
  nginx: () => ['/docker-entrypoint.sh: Configuration complete; ready for start up', `${new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')} [notice] 1#1: start worker processes`],
  'redis-server': () => ['1:M * Ready to accept connections tcp'],
  postgres: () => ['LOG:  database system is ready to accept connections'],
  httpd: () => ['AH00094: Command line: \'httpd -D FOREGROUND\''],
  node: (a) => [`Server listening on port ${a.find((x) => /^\d+$/.test(x)) ?? 3000}`],
  python: () => [' * Serving Flask app \'app\''],
  python3: () => [' * Serving Flask app \'app\''],
  java: () => ['Started Application in 4.213 seconds (process running for 4.9)'],
  gunicorn: () => ['[INFO] Listening at: http://0.0.0.0:8000 (1)'],
  uvicorn: () => ['INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)'],
  '/app/server': () => ['{"level":"info","msg":"listening","addr":":8080"}'],
  '/docker-entrypoint.sh': () => ['/docker-entrypoint.sh: Configuration complete; ready for start up'],
  pause: () => [],
};

/** PID 1's terminal, for `kubectl attach` / `kubectl run -it`: its stdin and its output. */
export interface AttachHub {
  stdin?: StreamInput;
  tty: boolean;
  listeners: Set<(text: string, stream: 'stdout' | 'stderr') => void>;
  exit: Promise<number>;
  resize(cols: number, rows: number): void;
}

const SHELL_NAMES = new Set(['sh', 'bash', 'ash', 'dash']);

const ckey = (pod: KObj, container: string) => `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid ?? ''}/${container}`;

export class ShellRunner implements CommandRunner {
  /** The world of each running container instance (for exec and probes). */
  private readonly current = new Map<string, { world: ShellWorld; main: boolean }>();
  private readonly hubs = new Map<string, AttachHub>();

  constructor(private readonly ctx: SimContext) {}

  /** The world exec sessions enter: the running instance's, or a fresh one for image entrypoints. */
  worldFor(pod: KObj, container: string): ShellWorld {
    const k = ckey(pod, container);
    let w = this.current.get(k);
    if (!w) {
      w = { world: buildWorld(this.ctx, pod, container), main: false };
      this.current.set(k, w);
    }
    return w.world;
  }

  /** The terminal of the container's running command, when it runs in the emulated shell. */
  hubFor(pod: KObj, container: string): AttachHub | undefined {
    return this.hubs.get(ckey(pod, container));
  }

  /** Forgets worlds of pods that no longer exist. */
  forget(pod: KObj): void {
    const prefix = `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid ?? ''}/`;
    for (const k of [...this.current.keys()]) if (k.startsWith(prefix)) this.current.delete(k);
  }

  run(spec: CommandSpec, io: CommandIO): RunningCommand {
    const argv = spec.argv;
    const exe = argv[0] ?? '';
    const base = exe.replace(/^.*\//, '');
    const daemon = DAEMONS[exe] ?? DAEMONS[base];
    if (!argv.length || (!COMMANDS.has(base) && !daemon)) {
      throw Object.assign(new Error(`exec: "${exe}": executable file not found in $PATH`), { code: 'ENOENT' });
    }
    const name = spec.container.name as string;
    const k = ckey(spec.pod, name);
    const ac = new AbortController();
    let signal = 'SIGTERM' as 'SIGTERM' | 'SIGKILL';
    // The kubelet runs the container's own command/args as PID 1; anything else is a probe.
    const own = [...(spec.container.command ?? []), ...(spec.container.args ?? [])] as string[];
    const isProbe = own.length !== argv.length || own.some((a, i) => a !== argv[i]);
    // A probe (or a second command in a running container) shares the running instance's world.
    let world: ShellWorld;
    if (isProbe) world = this.worldFor(spec.pod, name);
    else {
      world = buildWorld(this.ctx, spec.pod, name, {
        mainArgv: argv,
        killMain: (sig) => {
          signal = sig === 'KILL' || sig === '9' ? 'SIGKILL' : 'SIGTERM';
          ac.abort();
          return true;
        },
      });
      this.current.set(k, { world, main: true });
    }
    for (const [key, v] of Object.entries(spec.env)) world.env[key] ??= v;
    const c = spec.container;
    const hub: AttachHub | undefined = isProbe ? undefined : {
      stdin: c.stdin ? new StreamInput() : undefined, tty: !!c.tty, listeners: new Set(), exit: Promise.resolve(0), resize: () => {},
    };
    const fan = (stream: 'stdout' | 'stderr') => (text: string) => {
      (stream === 'stdout' ? io.stdout : io.stderr)(text);
      for (const l of hub?.listeners ?? []) l(text, stream);
    };
    const out = fan('stdout');
    const err = fan('stderr');
    const shIo: Io = { stdin: hub?.stdin ?? EMPTY_INPUT, out, err, signal: ac.signal };
    const sh = new Shell(world, 'sh');
    const exit = (async () => {
      try {
        if (daemon && !COMMANDS.has(base)) {
          for (const l of daemon(argv)) out(`${l}\n`);
          await simSleep(sh, shIo, Infinity);
          return 0;
        }
        if (hub?.stdin && hub.tty && SHELL_NAMES.has(base) && argv.length === 1) {
          // `kubectl run -it … -- sh`: PID 1 is an interactive shell on a terminal.
          const session = startSession({ world, argv, tty: true, stdin: hub.stdin, out, err, signal: ac.signal });
          hub.resize = session.resize;
          const code = await session.exit;
          return ac.signal.aborted ? (signal === 'SIGKILL' ? 137 : 143) : code;
        }
        const code = await sh.runCommand(argv, shIo);
        // Killed: the shell saw an interrupt, the runtime reports the signal.
        return ac.signal.aborted ? (signal === 'SIGKILL' ? 137 : 143) : code;
      } catch (e) {
        if (e instanceof ExitSignal) return e.code;
        if (e instanceof Interrupted) return signal === 'SIGKILL' ? 137 : 143;
        err(`${(e as Error).message}\n`);
        return 1;
      } finally {
        if (!isProbe && this.current.get(k)?.world === world) this.current.delete(k);
        if (hub && this.hubs.get(k) === hub) this.hubs.delete(k);
      }
    })();
    if (hub) {
      hub.exit = exit;
      this.hubs.set(k, hub);
    }
    return {
      exit,
      kill: (sig = 'SIGTERM') => {
        signal = sig;
        ac.abort();
      },
    };
  }
}
