/**
 * GitOps-aware fixes end to end, on the demo cluster (its jokes objects carry Argo CD's instance label and
 * the Application "jokes" exists) and a real local bare repository + checkout holding the demo's jokes
 * manifests: the fix of the OOM-killed jokes-cache becomes a branch + commit + PR description, pushed to the
 * bare repository, with nothing applied live; the healing guard stops the third fix (maxFixes 2); a --live
 * preview of a managed object warns that Argo CD will revert it.
 */
import test from 'ava';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { runCli } from '../support/cli.js';
import { demoGitopsRepo, GIT_IDENTITY } from '../support/gitops-repo.js';

const run = runCli;

test('a fix to an Argo CD-managed object becomes a branch, a commit and a PR description; nothing live; the guard stops after N', async (t) => {
  t.timeout(180_000);
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  const home = join(c.dir, 'home');
  const env = { KAI_TUI_CONFIG_DIR: join(c.dir, 'config'), HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...GIT_IDENTITY };
  const { bare, checkout, head, git } = demoGitopsRepo(c.dir, env);

  // A webhook receiver on loopback: each GitOps commit is posted as a fix.
  const posted: Array<Record<string, unknown>> = [];
  const server = createServer((req, res) => { let b = ''; req.on('data', (d: Buffer) => (b += d.toString())); req.on('end', () => { posted.push(JSON.parse(b)); res.end('ok'); }); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  for (const [k, v] of [['triage.notify.webhook', `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`], ['triage.notify.minSeverity', 'critical'], ['gitops.repos', JSON.stringify([{ match: 'jokes', path: checkout }])], ['gitops.push', 'true'], ['triage.healing.maxFixes', '2']]) {
    const r = await run(['config', 'set', k!, v!], env);
    t.is(r.code, 0, r.stderr);
  }
  const bad = await run(['config', 'set', 'gitops.repos', '[{"mach":"jokes","path":"/x"}]'], env);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /gitops\.repos\[0\]: unknown field 'mach'; did you mean 'match'\?/);

  // The OOM-killed cache is found first (its finding is the PR's root cause).
  const diagnose = async () => JSON.parse((await run(['diagnose', '-n', 'jokes', '--json', '--kubeconfig', c.kubeconfig], env)).stdout || '{"findings":[]}').findings as Array<{ category: string; object: { name: string }; guard: { status: string; fixes: number } }>;
  let found = await diagnose();
  for (let i = 0; i < 60 && !found.some((f) => f.category === 'oom' && f.object.name === 'jokes-cache'); i++) { await new Promise((r) => setTimeout(r, 1000)); found = await diagnose(); }
  t.truthy(found.find((f) => f.category === 'oom' && f.object.name === 'jokes-cache'), JSON.stringify(found.map((f) => [f.category, f.object.name])));
  const liveBefore = JSON.parse((await c.kubectl(['get', 'deploy', 'jokes-cache', '-n', 'jokes', '-o', 'json'])).stdout);

  const fix = ['explain', 'deploy/jokes-cache', '-n', 'jokes', '--kubeconfig', c.kubeconfig, '--fix', 'set resources deploy/jokes-cache -c app --limits=memory=512Mi', '--yes', '--json'];
  // --dry-run, as a person reads it: the file diff, nothing committed.
  const dry = await run([...fix.filter((a) => a !== '--yes' && a !== '--json'), '--dry-run'], env);
  t.is(dry.code, 0, dry.stderr);
  t.regex(dry.stdout, /GitOps fix for Deployment\/jokes-cache -n jokes: managed by Argo CD Application argocd\/jokes \(label app\.kubernetes\.io\/instance=jokes/);
  t.regex(dry.stdout, /Checkout \S+, file apps\/jokes\/jokes-cache\.yaml, at [0-9a-f]{12} \(main\)/);
  t.regex(dry.stdout, /^\+            memory: 512Mi # sized for the old cache$/m);
  t.is(git(bare, 'for-each-ref', 'refs/heads/kai-tui/').trim(), '', 'a dry run commits nothing');

  const first = await run(fix, env);
  t.is(first.code, 0, first.stderr + first.stdout);
  const r1 = JSON.parse(first.stdout);
  t.true(r1.committed);
  t.false(r1.applied);
  t.is(r1.gitops.manager.tool, 'argocd');
  t.is(r1.gitops.manager.app, 'jokes');
  t.is(r1.gitops.manager.path, 'apps/jokes');
  t.is(r1.gitops.file, 'apps/jokes/jokes-cache.yaml');
  t.regex(r1.gitops.branch, /^kai-tui\/fix-deployment-jokes-cache-\d{8}-\d{6}$/);
  t.true(r1.gitops.pushed);

  // The branch is in the bare repository, one file changed by exactly one line, the comment kept.
  t.is(git(bare, 'rev-parse', `refs/heads/${r1.gitops.branch}`).trim(), r1.gitops.commit);
  t.is(git(bare, 'rev-parse', `${r1.gitops.commit}^`).trim(), head);
  t.is(git(bare, 'diff', '--name-only', head, r1.gitops.commit).trim(), 'apps/jokes/jokes-cache.yaml');
  const diff = git(bare, 'diff', '-U0', head, r1.gitops.commit);
  t.deepEqual(diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l)), ['-            memory: 256Mi # sized for the old cache', '+            memory: 512Mi # sized for the old cache']);
  const message = git(bare, 'log', '-1', '--format=%B', r1.gitops.commit);
  t.regex(message, /^fix\(jokes\/jokes-cache\): oom — set resources deploy\/jokes-cache/);
  t.regex(message, /Kai-Tui-Object: Deployment\/jokes\/jokes-cache/);
  t.regex(message, /Kai-Tui-Finding: oom/);
  t.regex(message, /Managed by: Argo CD Application argocd\/jokes/);

  // The checkout itself is untouched: same branch, same HEAD, clean.
  t.is(git(checkout, 'rev-parse', 'HEAD').trim(), head);
  t.is(git(checkout, 'symbolic-ref', '--short', 'HEAD').trim(), 'main');
  t.is(git(checkout, 'status', '--porcelain').trim(), '');

  // The PR description: root cause, the diff, the evidence.
  t.true(existsSync(r1.gitops.prFile));
  const pr = readFileSync(r1.gitops.prFile, 'utf8');
  t.regex(pr, /^# Fix Deployment jokes\/jokes-cache: oom/);
  t.regex(pr, /## Root cause\n\n.*OOM/i);
  t.regex(pr, /```diff\n[\s\S]*\+            memory: 512Mi[\s\S]*```/);
  t.regex(pr, /## Evidence\n\n- /);
  t.regex(pr, new RegExp(`Branch \`${r1.gitops.branch}\`, commit ${r1.gitops.commit.slice(0, 12)}`));

  const fixEvents = posted.filter((p) => p.event === 'fix');
  t.is(fixEvents.length, 1, JSON.stringify(posted));
  t.regex(String(fixEvents[0]!.plan), /set resources deploy\/jokes-cache .*\(GitOps: kai-tui\/fix-deployment-jokes-cache-/);
  t.regex(String(fixEvents[0]!.outcome), /not applied live/);
  t.true(fixEvents[0]!.ok);

  // Nothing was applied live: same limit, same generation.
  const liveAfter = JSON.parse((await c.kubectl(['get', 'deploy', 'jokes-cache', '-n', 'jokes', '-o', 'json'])).stdout);
  t.is(liveAfter.spec.template.spec.containers[0].resources.limits.memory, '256Mi');
  t.is(liveAfter.metadata.generation, liveBefore.metadata.generation);

  // A second fix is allowed (maxFixes 2), a third is refused: it needs a human.
  const second = await run(fix, env);
  t.is(second.code, 0, second.stderr);
  t.not(JSON.parse(second.stdout).gitops.branch, r1.gitops.branch);
  const third = await run(fix, env);
  t.is(third.code, 1);
  t.is(JSON.parse(third.stdout).refused, 'needs-human');
  t.regex(third.stderr, /was fixed 2 times in the last 60 min \(triage\.healing\.maxFixes = 2\): it needs a human/);
  t.is(git(bare, 'for-each-ref', '--format=%(refname)', 'refs/heads/kai-tui/').trim().split('\n').length, 2, 'no third branch');
  const g = (await diagnose()).find((f) => f.category === 'oom' && f.object.name === 'jokes-cache')!;
  t.is(g.guard.status, 'needs-human');

  // The timeline (explain --json): finding → plan → execution → verdict, twice, all GitOps.
  const ex = JSON.parse((await run(['explain', 'deploy/jokes-cache', '-n', 'jokes', '--json', '--kubeconfig', c.kubeconfig], env)).stdout);
  t.deepEqual(ex.timeline.map((x: { stage: string }) => x.stage), ['finding', 'plan', 'finding', 'plan', 'execution', 'verdict', 'finding', 'plan', 'execution', 'verdict']);
  t.regex(ex.timeline[3].detail, /^gitops: set resources deploy\/jokes-cache -c app --limits=memory=512Mi → apps\/jokes\/jokes-cache\.yaml \(\+1 -1\)$/);
  t.regex(ex.timeline[4].detail, /^gitops: committed kai-tui\/fix-deployment-jokes-cache-/);
  t.regex(ex.timeline[5].detail, /not applied live; Argo CD Application argocd\/jokes applies it once/);

  // A live fix stays possible, but its preview says Argo CD will revert it.
  const live = await run(['explain', 'deploy/jokes-api', '-n', 'jokes', '--kubeconfig', c.kubeconfig, '--fix', 'scale deploy/jokes-api --replicas=2', '--live', '--dry-run', '--json'], env);
  t.is(live.code, 0, live.stderr);
  const lp = JSON.parse(live.stdout);
  t.true(lp.preview.warnings.some((w: string) => /deployments\/jokes-api is managed by Argo CD Application argocd\/jokes \(label app\.kubernetes\.io\/instance=jokes .*reverted at its next sync/.test(w)), JSON.stringify(lp.preview.warnings));
});
