/** The fleet summary as a text table (`kai-tui fleet`): one row per context, one line each. */
import { oneLine } from '../ops/render.js';
import { formatCpu, formatMemory } from '../kube/metrics.js';
import { findingsText, type ContextSummary } from './summary.js';

export const FLEET_COLUMNS = ['CONTEXT', 'STATE', 'LATENCY', 'VERSION', 'NODES', 'PODS', 'CPU', 'MEM', 'FINDINGS'] as const;

/** The cells of a row, as plain text (callers sanitize for the screen). */
export function fleetCells(s: ContextSummary): string[] {
  const pods = s.pods ? `${s.pods.total} (${s.pods.healthy} ok${s.pods.warning ? `, ${s.pods.warning} warn` : ''}${s.pods.failing ? `, ${s.pods.failing} failing` : ''})` : '';
  const state = s.state === 'ok' ? 'ok' : s.message ? `${s.state}: ${oneLine(s.message)}` : s.state;
  return [
    s.context,
    state,
    s.latencyMs !== undefined ? `${s.latencyMs}ms` : '',
    s.version ?? '',
    s.nodes ? `${s.nodes.ready}/${s.nodes.total}` : '',
    pods,
    s.usage ? `${s.usage.cpuPct}% (${formatCpu(s.usage.cpuMilli)})` : '',
    s.usage ? `${s.usage.memPct}% (${formatMemory(s.usage.memBytes)})` : '',
    oneLine(findingsText(s.findings)),
  ];
}

export function renderFleetTable(rows: ContextSummary[]): string {
  const cells = [FLEET_COLUMNS.slice() as string[], ...rows.map(fleetCells)];
  // STATE and FINDINGS can be long: the others are padded, those two are kept as they are.
  const widths = FLEET_COLUMNS.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const stateWidth = Math.min(widths[1]!, 14);
  return cells.map((r) => r.map((c, i) => (i === FLEET_COLUMNS.length - 1 ? c : i === 1 ? (c.length > stateWidth ? c : c.padEnd(stateWidth)) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
