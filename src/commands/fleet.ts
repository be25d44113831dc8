/**
 * `kai-tui fleet [--json] [--context A]… [--all-contexts] [--kubeconfig FILE] [--timeout S]`:
 * one summary line per context (reachability and API latency, version, nodes, pods by health,
 * CPU/memory, top findings). Every context is asked at once; exit 1 when one is unreachable.
 */
import { parseFlags, UsageError } from './args.js';
import { loadSettings } from '../config/settings.js';
import { connectOptionsFromSettings } from '../kube/cluster.js';
import { FleetMonitor, fleetContexts } from '../fleet/monitor.js';
import { renderFleetTable } from '../fleet/render.js';
import { safeJson } from '../ops/render.js';
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';

const USAGE = 'usage: kai-tui fleet [--json] [--context NAME]… [--all-contexts] [--kubeconfig FILE] [--timeout SECONDS]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    json: { type: 'boolean' },
    context: { type: 'string', multiple: true },
    'all-contexts': { type: 'boolean' },
    kubeconfig: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length) throw new UsageError(`fleet: unexpected argument '${positionals[0]}' (${USAGE})`);
  if (values['all-contexts'] && values.context?.length) throw new UsageError('--all-contexts cannot be combined with --context');
  const timeoutS = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!(timeoutS > 0) || !Number.isFinite(timeoutS)) throw new UsageError(`--timeout expects a positive number of seconds, got '${values.timeout}'`);

  let contexts: LoadedKubeConfig[];
  try {
    contexts = fleetContexts({ kubeconfig: values.kubeconfig }, values.context);
  } catch (err) {
    console.error(`kai-tui: ${(err as Error).message}`);
    return 1;
  }
  const settings = loadSettings();
  const num = (key: string) => (typeof settings.get(key) === 'number' ? (settings.get(key) as number) : undefined);
  const connect = connectOptionsFromSettings({ requestTimeoutMs: num('kube.requestTimeoutMs'), watchPageSize: num('kube.watchPageSize') });
  const fleet = new FleetMonitor(contexts, { connect: { ...connect, discoveryTimeoutMs: Math.min(connect.discoveryTimeoutMs ?? 10_000, timeoutS * 1000) } });
  try {
    fleet.start();
    await fleet.settled(timeoutS * 1000);
    await Promise.all(fleet.members.map((m) => m.metricsOnce()));
    const rows = fleet.summaries().map((s) => (s.state === 'connecting' ? { ...s, state: 'unreachable' as const, message: `no answer within ${timeoutS}s from ${s.server}` } : s));
    console.log(values.json ? safeJson({ contexts: rows }) : renderFleetTable(rows));
    return rows.some((r) => r.state === 'unreachable') ? 1 : 0;
  } finally {
    await fleet.close();
  }
}
