/**
 * GitOps fixes in the cockpit (tmux): in the pulse pane, the OOM-killed jokes-cache (an Argo CD-managed
 * object in the demo) → f → a typed fix → the manifest's file diff in the evidence view → c → a branch and
 * commit in the checkout's repository, nothing applied live; the timeline shows the GitOps stages.
 */
import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { demoGitopsRepo, GIT_IDENTITY } from '../support/gitops-repo.js';
import { filter, launchCockpit } from './cockpit-helpers.js';

test('pulse: a fix for an Argo CD-managed object is shown as a file diff and committed to a new branch', async (t) => {
  t.timeout(180_000);
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const repo = demoGitopsRepo(c.dir);
  const config = join(c.dir, 'config');
  mkdirSync(config, { recursive: true });
  writeFileSync(join(config, 'config.json'), JSON.stringify({ gitops: { repos: [{ match: 'https://github.com/acme/deploy.git', path: repo.checkout }] } }));
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { width: 200, height: 60, env: { KAI_TUI_CONFIG_DIR: config, OPENAI_API_KEY: undefined, OLLAMA_HOST: undefined, ...GIT_IDENTITY } });
  await tm.waitFor(/pulse [1-9]\d*/, 60_000);
  tm.keys('p');
  await tm.waitFor(/pulse — \d+ findings/, 30_000);
  await filter(tm, 'jokes-cache');
  await tm.waitFor(/oom\s+jokes\s+Deployment\/jokes-cache/, 60_000);
  tm.keys('Enter');
  await tm.waitFor((x) => /pulse › Deployment\/jokes-cache/.test(x) && /f:type a fix/.test(x), 20_000);
  tm.keys('f');
  await tm.waitFor(/fix>  deployment\/jokes-cache -n jokes/, 5_000);
  tm.keys('Home');
  tm.type('set resources');
  tm.keys('End');
  tm.type(' -c app --limits=memory=512Mi');
  await tm.waitFor(/fix> set resources deployment\/jokes-cache -n jokes -c app --limits=memory=512Mi/, 5_000);
  tm.keys('Enter');
  // The evidence grows as the cache restarts: the fix is at the end of the view.
  let s = '';
  for (let i = 0; i < 60 && !/c:commit to Git/.test(s); i++) { await new Promise((r) => setTimeout(r, 500)); s = tm.capture(); }
  for (let i = 0; i < 10 && !/\+\s+memory: 512Mi/.test(s); i++) { tm.keys('j', 'j', 'j', 'j', 'j', 'j'); await new Promise((r) => setTimeout(r, 150)); s = tm.capture(); }
  t.regex(s, /GitOps: managed by Argo CD Application argocd\/jokes/);
  t.regex(s, /apps\/jokes\/jokes-cache\.yaml at [0-9a-f]{12} \(main\) → new branch kai-tui\/fix-deployment-jokes-cache-/);
  t.regex(s, /-\s+memory: 256Mi # sized for the old cache/);
  t.regex(s, /\+\s+memory: 512Mi # sized for the old cache/);
  tm.keys('c');
  const committed = /committed [0-9a-f]{12} on kai-tui\/fix-deployment-jokes-cache-\S+ \(not pushed: gitops\.push is off\)/;
  const prDescription = /PR description: \S+gitops-prs\/kai-tui_fix-deployment-jokes-cache-\S+\.md/;
  // The commit line and the PR description line come from one result, but may show in different frames (or the
  // second below the fold): keep scrolling until both are on screen.
  for (let i = 0; i < 60 && !(committed.test(s) && prDescription.test(s)); i++) { tm.keys('j', 'j', 'j', 'j', 'j', 'j'); await new Promise((r) => setTimeout(r, 250)); s = tm.capture(); }
  t.regex(s, committed);
  t.regex(s, prDescription);
  const branches = repo.git(repo.checkout, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/kai-tui/').trim().split('\n');
  t.is(branches.length, 1);
  t.is(repo.git(repo.checkout, 'show', `${branches[0]}:apps/jokes/jokes-cache.yaml`).includes('memory: 512Mi # sized for the old cache'), true);
  t.is(repo.git(repo.checkout, 'rev-parse', 'HEAD').trim(), repo.head, 'the checkout did not move');
  const live = await c.kubectl(['get', 'deploy', 'jokes-cache', '-n', 'jokes', '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}']);
  t.is(live.stdout, '256Mi', 'nothing applied live');
  // Back and in again: the timeline has the GitOps plan, commit and verdict.
  tm.keys('Escape');
  await tm.waitFor(/pulse — \d+ findings/, 10_000);
  tm.keys('Enter');
  s = '';
  for (let i = 0; i < 40 && !/verdict\s+gitops: not applied live/.test(s); i++) { tm.keys('j', 'j', 'j', 'j', 'j', 'j'); await new Promise((r) => setTimeout(r, 150)); s = tm.capture(); }
  t.regex(s, /plan\s+gitops: set resources deployment\/jokes-cache .* → apps\/jokes\/jokes-cache\.yaml \(\+1 -1\)/);
  t.regex(s, /execution\s+gitops: committed kai-tui\/fix-deployment-jokes-cache-/);
  t.regex(s, /verdict\s+gitops: not applied live; Argo CD Application argocd\/jokes applies it once/);
});
