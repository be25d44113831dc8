/**
 * The table's columns against kubectl's on the same objects: the demo cluster is listed with
 * `kubectl get KIND -A` (its table) and `-o json` (the objects), and every cell the two have in
 * common must match — except the clocks (AGE, "(2m ago)"), which move between the two calls.
 */
import test from 'ava';
import type { KubeObject } from '../../src/kube/types.js';
import { viewFor } from '../../src/ui/columns/index.js';
import { crdPrinterColumns, customHealth, printerColumnsView } from '../../src/ui/columns/printer-columns.js';
import { startTestSim } from '../support/sim.js';

const KINDS: Array<{ name: string; resource: string; group: string; wide?: boolean }> = [
  { name: 'pods', resource: 'pods', group: '', wide: true },
  { name: 'deployments', resource: 'deployments', group: 'apps' },
  { name: 'replicasets', resource: 'replicasets', group: 'apps' },
  { name: 'statefulsets', resource: 'statefulsets', group: 'apps' },
  { name: 'daemonsets', resource: 'daemonsets', group: 'apps' },
  { name: 'jobs', resource: 'jobs', group: 'batch' },
  { name: 'cronjobs', resource: 'cronjobs', group: 'batch' },
  { name: 'services', resource: 'services', group: '' },
  { name: 'configmaps', resource: 'configmaps', group: '' },
  { name: 'secrets', resource: 'secrets', group: '' },
  { name: 'namespaces', resource: 'namespaces', group: '' },
  { name: 'nodes', resource: 'nodes', group: '' },
  { name: 'persistentvolumeclaims', resource: 'persistentvolumeclaims', group: '' },
  { name: 'horizontalpodautoscalers', resource: 'horizontalpodautoscalers', group: 'autoscaling' },
  { name: 'poddisruptionbudgets', resource: 'poddisruptionbudgets', group: 'policy' },
  { name: 'ingresses', resource: 'ingresses', group: 'networking.k8s.io' },
  { name: 'endpoints', resource: 'endpoints', group: '' },
  { name: 'serviceaccounts', resource: 'serviceaccounts', group: '' },
];
/**
 * Where the embedded cluster's table printer differs from real kubectl, kai-tui follows real
 * kubectl; list such cells here as they are found (none known now).
 */
const SIM_DIFFERENCES: Array<{ kind: string; column: string; sim: string; kubectl: string }> = [];
/** Cells that depend on when they were printed. */
const CLOCKS = new Set(['AGE', 'LAST SCHEDULE', 'DURATION', 'LAST SEEN']);

/** kubectl's table → rows of {column: cell}, cut at the header's column starts. */
function parseTable(text: string): Array<Record<string, string>> {
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length === 0) return [];
  const header = lines[0]!;
  const names = header.split(/\s{2,}/).map((n) => n.trim()).filter(Boolean);
  let from = 0;
  const starts = names.map((n) => {
    const at = header.indexOf(n, from);
    from = at + n.length;
    return at;
  });
  return lines.slice(1).map((l) => Object.fromEntries(names.map((n, i) => [n, l.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()])));
}

test('each kind\'s rows match kubectl get on the same cluster', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  await new Promise((r) => setTimeout(r, 4000)); // let the demo settle (pulls, schedules, first crashes)
  let compared = 0;
  for (const k of KINDS) {
    // Objects change while the demo runs (crash loops): retry a kind until two reads agree.
    let mismatches: string[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const table = await c.kubectl(['get', k.name, '-A', ...(k.wide ? ['-o', 'wide'] : [])]);
      const json = await c.kubectl(['get', k.name, '-A', '-o', 'json']);
      t.is(json.code, 0, json.stderr);
      const objects = (JSON.parse(json.stdout) as { items: KubeObject[] }).items;
      const view = viewFor({ resource: k.resource, group: k.group }, true);
      const ours = new Map(objects.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, Object.fromEntries(view.columns.map((col) => [col.name, col.value(o, { now: Date.now() })]))]));
      mismatches = [];
      const theirs = parseTable(table.stdout);
      for (const row of theirs) {
        const key = `${row.NAMESPACE ?? ''}/${row.NAME}`;
        const mine = ours.get(key);
        if (!mine) {
          mismatches.push(`${k.name} ${key}: not in -o json`);
          continue;
        }
        for (const [col, value] of Object.entries(row)) {
          if (!(col in mine) || CLOCKS.has(col)) continue;
          const a = col === 'RESTARTS' ? mine[col]!.replace(/ \(.*\)$/, '') : mine[col]!;
          let b = col === 'RESTARTS' ? value.replace(/ \(.*\)$/, '') : value;
          b = SIM_DIFFERENCES.find((d) => d.kind === k.name && d.column === col && d.sim === b)?.kubectl ?? b;
          if (a !== b) mismatches.push(`${k.name} ${key} ${col}: kubectl "${b}", kai-tui "${a}"`);
          else compared++;
        }
      }
      if (theirs.length === 0 && objects.length > 0) mismatches.push(`${k.name}: kubectl printed no rows`);
      if (mismatches.length === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    t.deepEqual(mismatches, [], k.name);
  }
  t.true(compared > 200, `compared ${compared} cells`);
});

test('custom resources get their CRD\'s printer columns, cell for cell as kubectl get prints them', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  await new Promise((r) => setTimeout(r, 3000));
  let compared = 0;
  for (const crdName of ['applications.argoproj.io', 'scaledobjects.keda.sh', 'schedules.velero.io', 'backups.velero.io']) {
    const crdJson = await c.kubectl(['get', 'crd', crdName, '-o', 'json']);
    t.is(crdJson.code, 0, crdJson.stderr);
    const crd = JSON.parse(crdJson.stdout) as KubeObject;
    const version = (crd.spec!.versions as Array<{ name: string; served: boolean }>).find((v) => v.served)!.name;
    const view = printerColumnsView(crdPrinterColumns(crd, version));
    t.true(view.columns.length > 2, `${crdName} has printer columns`);
    const table = await c.kubectl(['get', crdName, '-A']);
    const objects = (JSON.parse((await c.kubectl(['get', crdName, '-A', '-o', 'json'])).stdout) as { items: KubeObject[] }).items;
    const ours = new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, Object.fromEntries(view.columns.map((col) => [col.name, col.value(o, { now: Date.now() })]))]));
    for (const row of parseTable(table.stdout)) {
      const mine = ours.get(`${row.NAMESPACE}/${row.NAME}`);
      t.truthy(mine, `${crdName} ${row.NAME}`);
      for (const [col, value] of Object.entries(row)) {
        if (!mine || !(col in mine) || CLOCKS.has(col) || col === 'NAME') continue;
        t.is(mine[col], value, `${crdName} ${row.NAME} ${col}`);
        compared++;
      }
    }
  }
  t.true(compared >= 6, `compared ${compared} cells`);
  // The demo's jokes app is Degraded: its health is an error, as the status bar counts it.
  const apps = (JSON.parse((await c.kubectl(['get', 'applications.argoproj.io', '-A', '-o', 'json'])).stdout) as { items: KubeObject[] }).items;
  const jokes = apps.find((a) => a.metadata.name === 'jokes');
  t.is(customHealth(jokes!), 'error');
});
