/**
 * `kai-tui sim serve --kubeconfig FILE [--port N] [--scenario demo|empty] [--pods N] [--time-scale X] [--viewer-kubeconfig FILE]`:
 * runs the embedded cluster on its own, writes a kubeconfig once listening, prints `ready <url>`.
 * With `--clusters N`: N clusters (src/sim/fleet.ts), one kubeconfig with a context each, and a
 * `ready <context> <url>` line per cluster.
 */
import { resolve } from 'node:path';
import { UsageError, intFlag, parseFlags } from './args.js';

const USAGE = 'usage: kai-tui sim serve --kubeconfig FILE [--port N] [--scenario demo|empty] [--pods N] [--time-scale X] [--viewer-kubeconfig FILE] [--clusters N]';

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (sub !== 'serve') throw new UsageError(sub ? `unknown sim command '${sub}' (${USAGE})` : USAGE);
  const { values, positionals } = parseFlags(rest, {
    kubeconfig: { type: 'string' },
    'viewer-kubeconfig': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    scenario: { type: 'string' },
    pods: { type: 'string' },
    'time-scale': { type: 'string' },
    clusters: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  void positionals;
  if (!values.kubeconfig) throw new UsageError(`--kubeconfig FILE is required (${USAGE})`);
  const port = intFlag(values.port, 'port', 0);
  if (port !== undefined && port > 65535) throw new UsageError(`--port must be at most 65535, got '${values.port}'`);
  const pods = intFlag(values.pods, 'pods', 0);
  const scenario = values.scenario ?? 'demo';
  if (scenario !== 'demo' && scenario !== 'empty') throw new UsageError(`--scenario must be demo or empty, got '${scenario}'`);
  let timeScale: number | undefined;
  if (values['time-scale'] !== undefined) {
    timeScale = Number(values['time-scale']);
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new UsageError(`--time-scale expects a positive number, got '${values['time-scale']}'`);
  }
  const host = values.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host)) throw new UsageError(`--host must be a loopback address, got '${host}'`);

  const clusters = intFlag(values.clusters, 'clusters', 1);
  if (clusters !== undefined) {
    if (values.port || values.scenario || values['viewer-kubeconfig']) throw new UsageError('--clusters cannot be combined with --port, --scenario or --viewer-kubeconfig (each cluster takes a free port and its own scenario)');
    return serveFleet(clusters, resolve(values.kubeconfig), { host: host === 'localhost' ? '127.0.0.1' : host, pods, timeScale });
  }

  const { startSim } = await import('../sim/index.js');
  let sim;
  try {
    sim = await startSim({ port, host: host === 'localhost' ? '127.0.0.1' : host, scenario, pods, timeScale });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    console.error(`kai-tui: cannot start the demo cluster: ${err.code === 'EADDRINUSE' ? `port ${port} is already in use` : err.message}`);
    return 1;
  }
  const file = resolve(values.kubeconfig);
  const viewerFile = values['viewer-kubeconfig'] ? resolve(values['viewer-kubeconfig']) : undefined;
  let writing = file;
  try {
    sim.writeKubeconfig(file);
    // The read-only user (403 on writes and Secrets), for showing "forbidden".
    if (viewerFile) sim.writeViewerKubeconfig((writing = viewerFile));
  } catch (e) {
    console.error(`kai-tui: cannot write the kubeconfig ${writing}: ${(e as Error).message}`);
    await sim.stop();
    return 1;
  }
  process.stdout.write(`ready ${sim.url}\n`);
  return untilSignal(() => sim.stop());
}

async function serveFleet(n: number, file: string, opts: { host: string; pods?: number; timeScale?: number }): Promise<number> {
  const { startSimFleet } = await import('../sim/fleet.js');
  let fleet;
  try {
    fleet = await startSimFleet(n, opts);
  } catch (e) {
    console.error(`kai-tui: cannot start the demo clusters: ${(e as Error).message}`);
    return 1;
  }
  try {
    fleet.writeKubeconfig(file);
  } catch (e) {
    console.error(`kai-tui: cannot write the kubeconfig ${file}: ${(e as Error).message}`);
    await fleet.stop();
    return 1;
  }
  for (const m of fleet.members) process.stdout.write(`ready ${m.profile.name} ${m.sim.url}\n`);
  return untilSignal(() => fleet.stop());
}

/** Serves until SIGINT/SIGTERM, then stops. */
function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise<number>((done) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void stop().then(() => done(0), () => done(1));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
