import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimFleet } from '../../src/sim/fleet.js';
import { runCli } from '../support/cli.js';
import type { ContextSummary } from '../../src/fleet/summary.js';

const runFleet = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['fleet', ...args], env);

test('kai-tui fleet: every context summarised at once; a stopped one is unreachable and the exit code is 1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  const fleet = await startSimFleet(3);
  t.teardown(async () => {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const kc = join(dir, 'kubeconfig');
  fleet.writeKubeconfig(kc);
  // Env: no user settings from the machine running the test.
  const env = { KAI_TUI_CONFIG_DIR: join(dir, 'config') };

  const all = await runFleet(['--kubeconfig', kc, '--json'], env);
  t.is(all.code, 0, all.stderr);
  const rows = JSON.parse(all.stdout).contexts as ContextSummary[];
  t.deepEqual(rows.map((r) => [r.context, r.state, r.version, r.nodes?.total]), [
    ['kai-prod-eu', 'ok', 'v1.32.0', 3], ['kai-staging', 'ok', 'v1.31.4', 2], ['kai-dev', 'ok', 'v1.30.8', 1],
  ]);
  for (const r of rows) {
    t.true(typeof r.latencyMs === 'number', r.context);
    t.true((r.pods?.total ?? 0) > 0, r.context);
    t.true(Array.isArray(r.findings), r.context);
  }
  // The dev cluster's faults are among its findings, from the triage analyzers (the unpullable
  // image once the kubelet has tried; the indexer that fits no node at once).
  const dev = rows.find((r) => r.context === 'kai-dev')!;
  t.true(dev.findings.some((f) => f.source === 'triage' && ((f.title === 'image-pull' && /cannot pull image ghcr\.io\/acme\/search:9\.9\.9-does-not-exist/.test(f.summary ?? ''))
    || (f.title === 'unschedulable' && /indexer-/.test(f.object) && /requests 64Gi memory/.test(f.summary ?? '')))), JSON.stringify(dev.findings));
  t.deepEqual(rows.find((r) => r.context === 'kai-staging')!.findings.filter((f) => /search|indexer/.test(f.object)), [], 'findings are per cluster');

  // Stop staging: it shows unreachable, the others still answer, exit 1.
  await fleet.members[1]!.sim.stop();
  const started = Date.now();
  const down = await runFleet(['--kubeconfig', kc, '--json', '--timeout', '20'], env);
  t.is(down.code, 1, down.stderr);
  const after = JSON.parse(down.stdout).contexts as ContextSummary[];
  t.deepEqual(after.map((r) => [r.context, r.state]), [['kai-prod-eu', 'ok'], ['kai-staging', 'unreachable'], ['kai-dev', 'ok']]);
  t.regex(after[1]!.message ?? '', /127\.0\.0\.1/);
  t.is(after[0]!.nodes?.total, 3);
  // A refused connection is known at once: the dead context does not hold the others to the timeout.
  t.true(Date.now() - started < 20_000);

  // The text table names it too; --context picks contexts in order.
  const text = await runFleet(['--kubeconfig', kc, '--context', 'kai-dev', '--context', 'kai-staging'], env);
  t.is(text.code, 1);
  const lines = text.stdout.trim().split('\n');
  t.regex(lines[0]!, /^CONTEXT\s+STATE\s+LATENCY\s+VERSION\s+NODES\s+PODS\s+CPU\s+MEM\s+FINDINGS$/);
  t.regex(lines[1]!, /^kai-dev\s+ok\s+\d+ms\s+v1\.30\.8\s+1\/1/);
  t.regex(lines[2]!, /^kai-staging\s+unreachable: cannot reach/);

  // Credentials the server refuses: reachable but forbidden (not unreachable: exit 0 for it alone).
  const YAML = (await import('yaml')).default;
  const cfg = YAML.parse(fleet.kubeconfigYaml());
  cfg.users.push({ name: 'intruder', user: { token: 'not-a-valid-token' } });
  cfg.contexts.push({ name: 'kai-dev-intruder', context: { cluster: 'kai-dev', user: 'intruder' } });
  const kc2 = join(dir, 'kubeconfig-intruder');
  writeFileSync(kc2, YAML.stringify(cfg));
  const forb = await runFleet(['--kubeconfig', kc2, '--context', 'kai-dev', '--context', 'kai-dev-intruder', '--json'], env);
  t.is(forb.code, 0, forb.stderr);
  const fr = JSON.parse(forb.stdout).contexts as ContextSummary[];
  t.deepEqual(fr.map((r) => [r.context, r.state]), [['kai-dev', 'ok'], ['kai-dev-intruder', 'forbidden']]);
  t.regex(fr[1]!.message ?? '', /401 Unauthorized/);

  const bad = await runFleet(['--kubeconfig', kc, '--context', 'nope'], env);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /context "nope" not found/);
});
