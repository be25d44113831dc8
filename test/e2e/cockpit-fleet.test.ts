import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimFleet } from '../../src/sim/fleet.js';
import { command, filter, launchCockpit } from './cockpit-helpers.js';

const PODS = { group: '', resource: 'pods' };
const podsTotal = (line: string | undefined) => Number(/\s(\d+) \(\d+ ok/.exec(line ?? '')?.[1] ?? NaN);

test('fleet view: three clusters with their health; a stopped one shows unreachable while the others keep updating; pods across clusters; an operation names its context', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  const fleet = await startSimFleet(3);
  t.teardown(async () => {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const kc = join(dir, 'kubeconfig');
  fleet.writeKubeconfig(kc);
  const { tm } = await launchCockpit(t, ['--kubeconfig', kc, '--all-contexts'], { width: 160, height: 40 });

  // One row per context, each with its own version and node count, live.
  let screen = await tm.waitFor((s) => /kai-prod-eu\s+ok\s+\d+ms\s+v1\.32\.0\s+3\/3/.test(s) && /kai-staging\s+ok\s+\d+ms\s+v1\.31\.4\s+2\/2/.test(s) && /kai-dev\s+ok\s+\d+ms\s+v1\.30\.8\s+1\/1/.test(s), 40_000);
  t.regex(screen, /fleet: 3 contexts, 3 ok/);
  t.regex(screen, /CONTEXT\s+STATE\s+LATENCY\s+VERSION\s+NODES\s+PODS\s+CPU\s+MEM\s+FINDINGS/);
  // The triage analyzers name the dev cluster's fault from its own pods.
  screen = await tm.waitFor((s) => /kai-dev .*image-pull replicaset\/apps\/search-/.test(s), 30_000);

  // Staging stops: its row says unreachable; the others stay ok.
  await fleet.members[1]!.sim.stop();
  screen = await tm.waitFor((s) => /kai-staging\s+unreachable: cannot reach https:\/\/127\.0/.test(s), 30_000);
  t.regex(screen, /fleet: 3 contexts, 2 ok, 1 unreachable/);
  t.regex(tm.line(screen, 'kai-prod-eu') ?? '', /kai-prod-eu\s+ok/);
  // …and the others keep updating: a new pod in kai-dev shows in its count.
  const before = podsTotal(tm.line(await tm.waitFor((s) => podsTotal(tm.line(s, 'kai-dev')) >= 8), 'kai-dev'));
  fleet.members[2]!.sim.ctx.api.create(PODS, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late-arrival', namespace: 'apps' },
    spec: { nodeSelector: { disk: 'none-such' }, containers: [{ name: 'app', image: 'busybox' }] },
  });
  await tm.waitFor((s) => podsTotal(tm.line(s, 'kai-dev')) === before + 1, 20_000);

  // Pods of every context, with a CONTEXT column; `/` searches across clusters.
  await command(tm, 'pods');
  screen = await tm.waitFor(/CONTEXT\s+NAMESPACE\s+NAME\s+READY\s+STATUS/);
  await filter(tm, 'web-');
  screen = await tm.waitFor((s) => /kai-prod-eu\s+jokes\s+jokes-web-/.test(s) && /kai-dev\s+apps\s+web-/.test(s));
  t.notRegex(screen, /kai-staging\s+apps/, 'the stopped cluster has no rows');
  t.notRegex(screen, /\s(api|coredns)-/);

  // An operation on a kai-dev pod previews in kai-dev, naming it on every step.
  const devRow = screen.split('\n').findIndex((l) => /kai-dev\s+apps\s+web-/.test(l));
  const firstRow = screen.split('\n').findIndex((l) => /kai-prod-eu\s+jokes\s+jokes-web-/.test(l));
  for (let i = 0; i < devRow - firstRow; i++) tm.keys('Down');
  tm.keys('C-d');
  screen = await tm.waitFor(/Plan in context kai-dev: delete pods web-\S+ -n apps/, 20_000);
  t.regex(screen, /1\. \[destructive\] kai-dev: delete pods\/web-\S+ in apps/);
  t.regex(screen, /dry-run: OK/);
  tm.keys('n');
  // Rejected: back in the fleet's pod table, nothing deleted.
  await tm.waitFor(/fleet: pods in 3 contexts/, 20_000);

  // Enter on a pod goes into that cluster's own view.
  await filter(tm, 'search-');
  await tm.waitFor(/kai-dev\s+apps\s+search-/);
  tm.keys('Enter');
  screen = await tm.waitFor((s) => /ctx kai-dev/.test(s) && /pods\(apps\)/.test(s) && /search-\S+\s+0\/1\s+(ImagePullBackOff|ErrImagePull)/.test(s), 20_000);
  t.notRegex(screen, /\s(web|api)-\S+\s+1\/1/, 'only that pod, in its own cluster view');
});

test('kai-tui --demo --clusters 2: two built-in clusters, opened in the fleet view; enter goes into one', async (t) => {
  const { tm } = await launchCockpit(t, ['--demo', '--clusters', '2'], { width: 160, height: 40 });
  const screen = await tm.waitFor((s) => /kai-prod-eu\s+ok\s+\d+ms\s+v1\.32\.0\s+3\/3/.test(s) && /kai-staging\s+ok\s+\d+ms\s+v1\.31\.4\s+2\/2/.test(s), 60_000);
  t.regex(screen, /fleet: 2 contexts, 2 ok/);
  t.notRegex(screen, /kai-dev/);
  // Any kind across the clusters: deployments, watched only while shown.
  await command(tm, 'deploy');
  await tm.waitFor((s) => /deployments in 2 contexts/.test(s) && /kai-prod-eu\s+shop\s+frontend\s/.test(s) && /kai-staging\s+apps\s+checkout\s/.test(s), 30_000);
  await filter(tm, 'web');
  await tm.waitFor((s) => /kai-staging\s+apps\s+web\s/.test(s) && /kai-prod-eu\s+jokes\s+jokes-web\s/.test(s) && !/checkout/.test(s));
  await command(tm, 'fleet');
  await tm.waitFor(/fleet: 2 contexts, 2 ok/);
  tm.keys('Down');
  tm.keys('Enter');
  await tm.waitFor((s) => /ctx kai-staging/.test(s) && /checkout-\S+|web-\S+/.test(s), 30_000);
});

test('--context a --context b: the cockpit opens on the first, the fleet view shows those, in that order', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  const fleet = await startSimFleet(3);
  t.teardown(async () => {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const kc = join(dir, 'kubeconfig');
  fleet.writeKubeconfig(kc);
  const { tm } = await launchCockpit(t, ['--kubeconfig', kc, '--context', 'kai-dev', '--context', 'kai-prod-eu'], { width: 160, height: 40 });
  const screen = await tm.waitFor((s) => /fleet: 2 contexts, 2 ok/.test(s) && /kai-dev\s+ok/.test(s) && /kai-prod-eu\s+ok/.test(s), 40_000);
  t.notRegex(screen, /kai-staging/);
  const lines = screen.split('\n');
  t.true(lines.findIndex((l) => /kai-dev\s+ok/.test(l)) < lines.findIndex((l) => /kai-prod-eu\s+ok/.test(l)), 'in the order given');
  tm.keys('Escape');
  await tm.waitFor(/ctx kai-dev\s/, 20_000);
});
