/**
 * kai-tui forwards [--json] [--context NAME]: the port-forwards remembered per context
 * (`<configDir>/forwards.json`), and which of them a running cockpit serves now (the cockpit
 * writes its pid next to each running forward; a pid that is gone means "remembered": `shift-p`
 * then `r` in the cockpit restores it). The last load check of each target is shown too.
 * Reads files only: it never connects to a forward (that would count as traffic in its meters).
 */
import { readFileSync } from 'node:fs';
import { parseFlags, UsageError } from './args.js';
import { paths } from '../config/paths.js';
import { ForwardStore, type RememberedForward } from '../kube/forward-store.js';
import { LoadCheckStore } from '../kube/load-check-store.js';
import { sanitizePlain } from '../ui/sanitize.js';

export interface ForwardRow {
  context: string;
  namespace: string;
  target: string;
  local: string;
  state: 'running' | 'remembered';
  pid?: number;
  since?: string;
  lastLoadCheck?: { at: string; requestsPerSecond: number; p99Ms?: number; errors: number; status5xx: number };
}

/** The process is alive and is a kai-tui (not a recycled pid of something else). */
export function cockpitAlive(pid: number | undefined): boolean {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone; EPERM: another user's process — not our cockpit either way.
    return false;
  }
  try {
    return /kai-tui|cli\.js/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): a live pid is the best evidence there is
  }
}

export function forwardRows(all: RememberedForward[], loadChecks: LoadCheckStore): ForwardRow[] {
  return all.map((f) => {
    const running = cockpitAlive(f.pid);
    const runs = loadChecks.runs({ context: f.context, namespace: f.namespace, kind: f.kind, name: f.name, remotePort: f.remotePort });
    const last = runs[runs.length - 1];
    return {
      context: f.context, namespace: f.namespace, target: `${f.kind === 'service' ? 'svc' : 'pod'}/${f.name}:${f.remotePort}`,
      local: f.localPort ? `127.0.0.1:${f.localPort}` : '127.0.0.1:(any)', state: running ? 'running' : 'remembered',
      pid: running ? f.pid : undefined, since: running ? f.since : undefined,
      lastLoadCheck: last && { at: last.startedAt, requestsPerSecond: last.requestsPerSecond, p99Ms: last.latencyMs?.p99, errors: last.errors, status5xx: last.statusMix['5xx'] },
    };
  });
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, context: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`forwards: unexpected argument '${positionals[0]}'`);
  const p = paths();
  const wanted = values.context as string | undefined;
  const rows = forwardRows(new ForwardStore(p.forwards).load().filter((f) => !wanted || f.context === wanted), new LoadCheckStore(p.loadChecks))
    .sort((a, b) => a.context.localeCompare(b.context) || a.namespace.localeCompare(b.namespace) || a.target.localeCompare(b.target));
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (!rows.length) {
    console.log(`no port-forwards remembered${wanted ? ` for context ${sanitizePlain(wanted)}` : ''} (start one in the cockpit: shift-f, or :pf svc/NAME LOCAL:REMOTE)`);
    return 0;
  }
  const table = [['CONTEXT', 'NAMESPACE', 'TARGET', 'LOCAL', 'STATE', 'LAST LOAD CHECK'], ...rows.map((r) => [
    r.context, r.namespace, r.target, r.local,
    r.state === 'running' ? `running (kai-tui pid ${r.pid}${r.since ? `, since ${r.since.slice(0, 19).replace('T', ' ')}Z` : ''})` : 'remembered (cockpit: shift-p, r)',
    r.lastLoadCheck ? `${r.lastLoadCheck.requestsPerSecond.toFixed(1)} req/s, p99 ${r.lastLoadCheck.p99Ms ?? '-'} ms, ${r.lastLoadCheck.errors} errors, ${r.lastLoadCheck.status5xx} 5xx (${r.lastLoadCheck.at.slice(0, 16).replace('T', ' ')}Z)` : '-',
  ].map((c) => sanitizePlain(String(c))))];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const r of table) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
  return 0;
}
