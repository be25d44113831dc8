/**
 * `kai-tui explain KIND/NAME --fix COMMAND`: the fix for an object, headless. The healing guard is asked
 * first (past the cap: no fix, it needs a human). An object Argo CD or Flux manages gets its fix as a Git
 * change — the file diff is shown, then (confirmed, or --yes) committed on a new branch with a PR
 * description, pushed when gitops.push is on; nothing is applied to the cluster. Any other object, or
 * --live, goes through the ordinary pipeline (preview → confirm → execute → verify), whose preview warns
 * when a controller will revert the change. Each stage lands in the object's intervention timeline.
 */
import { createInterface } from 'node:readline/promises';
import { paths } from '../../config/paths.js';
import { openHeadlessSession, runPlan, type HeadlessFlags } from '../headless.js';
import { oneLine, safeJson } from '../render.js';
import { managerText } from './detect.js';
import { commitGitopsFix, managerOfPlan, prepareGitopsFix, type FixContext, type RepoSetting } from './fix.js';
import { healingGuard } from '../../triage/guard.js';
import { recordGitopsCommit, recordGitopsPlan } from './record.js';
import { refKey, type ObjectRef } from '../../triage/types.js';
import type { Journal } from '../journal.js';

export interface FixFlags extends HeadlessFlags { live?: boolean }

export interface FixSettings { repos: RepoSetting[]; push: boolean; remote: string; maxFixes: number; windowMin: number; webhook: string; notifyFixes: boolean }

async function fixSettings(env: NodeJS.ProcessEnv = process.env): Promise<FixSettings> {
  const { loadSettings } = await import('../../config/settings.js');
  const s = loadSettings(env);
  return {
    repos: s.get('gitops.repos') as RepoSetting[], push: s.get('gitops.push') === true, remote: String(s.get('gitops.remote')),
    maxFixes: Number(s.get('triage.healing.maxFixes')), windowMin: Number(s.get('triage.healing.windowMin')),
    webhook: String(s.get('triage.notify.webhook') ?? ''), notifyFixes: s.get('triage.notify.fixes') === true,
  };
}

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

function colorDiff(diff: string, color: boolean): string {
  if (!color) return diff;
  return diff.split('\n').map((l) => (/^\+(?!\+\+)/.test(l) ? `\x1b[32m${l}\x1b[0m` : /^-(?!--)/.test(l) ? `\x1b[31m${l}\x1b[0m` : /^@@/.test(l) ? `\x1b[36m${l}\x1b[0m` : l)).join('\n');
}

/** Runs the fix; returns the exit code (0 done, 1 refused / not done / failed). */
export async function runFix(command: string, why: FixContext & { object: ObjectRef }, f: FixFlags): Promise<number> {
  const cfg = await fixSettings();
  const session = await openHeadlessSession(f);
  const journal: Journal = session.journal;
  const report: Record<string, unknown> = { command };
  const finish = (code: number) => { if (f.json) out(safeJson(report)); return code; };
  try {
    const intent = await session.parse(command);
    if (intent.type !== 'plan') { err(`kai-tui: --fix needs a command that changes something (got '${oneLine(command)}')`); report.refused = 'not a change'; return finish(1); }
    const plan = intent.plan;
    const { id, manager } = await managerOfPlan(session.client, plan);
    const ref: ObjectRef = { kind: id.kind, ...(id.namespace ? { namespace: id.namespace } : {}), name: id.name };
    report.object = ref;
    const context = session.context;
    // The guard first: past the cap nothing is proposed, whichever way it would go.
    for (const r of [ref, ...(refKey(why.object) !== refKey(ref) ? [why.object] : [])]) {
      const g = healingGuard(journal, r, cfg);
      report.guard = { status: g.status, fixes: g.fixes, maxFixes: g.maxFixes, windowMin: g.windowMin };
      if (g.status === 'needs-human') {
        err(`kai-tui: ${g.line}`);
        report.refused = 'needs-human';
        return finish(1);
      }
    }
    if (why.category) journal.recordIntervention(refKey(ref), 'finding', `${why.category}: ${why.summary ?? ''}`, context);
    if (!manager || f.live) {
      journal.recordIntervention(refKey(ref), 'plan', `live: ${plan.source}`, context);
      if (manager && !f.json) err(`kai-tui: --live: ${ref.kind}/${ref.name} is managed by ${managerText(manager)}; the preview says what that means`);
      report.gitops = manager ? { manager, live: true } : undefined;
      // The ordinary pipeline prints its own report (JSON included).
      return await runPlan(session, plan, f);
    }
    const change = await prepareGitopsFix(session.client, plan, cfg.repos, why);
    recordGitopsPlan(journal, change, context);
    report.gitops = { manager: change.manager, root: change.root, file: change.file, base: change.base, baseBranch: change.baseBranch, branch: change.branch, diff: change.diff, message: change.message, warnings: change.warnings };
    report.applied = false;
    if (!f.json) {
      const color = process.stdout.isTTY === true;
      out(`GitOps fix for ${ref.kind}/${ref.name}${ref.namespace ? ` -n ${ref.namespace}` : ''}: managed by ${managerText(change.manager)} (${change.manager.via})`);
      out(`Checkout ${change.root}, file ${change.file}, at ${change.base.slice(0, 12)}${change.baseBranch ? ` (${change.baseBranch})` : ''}`);
      out(`New branch ${change.branch}; nothing is applied to the cluster.`);
      out('');
      out(colorDiff(change.diff.trimEnd(), color));
      for (const w of change.warnings) out(`warning: ${w}`);
    }
    if (f.dryRun) { report.committed = false; return finish(0); }
    if (!f.yes) {
      if (process.stdin.isTTY !== true) { err('kai-tui: not committing without --yes: stdin is not a terminal (nothing was committed)'); report.refused = 'stdin is not a terminal and --yes was not given'; return finish(1); }
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const a = (await rl.question(`Commit this on ${change.branch}${cfg.push ? ` and push it to ${cfg.remote}` : ''}? [y/N] `)).trim().toLowerCase();
      rl.close();
      if (a !== 'y' && a !== 'yes') { err('kai-tui: not confirmed; nothing was committed'); report.refused = 'not confirmed'; return finish(1); }
    }
    const done = await commitGitopsFix(change, { prDir: paths().gitopsPrs, push: cfg.push, remote: cfg.remote });
    const verdict = recordGitopsCommit(journal, change, done, cfg.remote, context);
    report.committed = true;
    Object.assign(report.gitops as object, { commit: done.commit, prFile: done.prFile, pushed: done.pushed !== undefined, ...(done.pushError ? { pushError: done.pushError } : {}) });
    if (cfg.webhook && cfg.notifyFixes) {
      const { postNotification } = await import('../../triage/notify.js');
      const e = await postNotification(cfg.webhook, { type: 'fix', context, plan: `${plan.source} (GitOps: ${done.branch})`, outcome: verdict, ok: !done.pushError });
      if (e && !f.json) err(`kai-tui: notification: ${e}`);
    }
    if (!f.json) {
      out('');
      out(`Committed ${done.commit.slice(0, 12)} on ${done.branch}${done.pushed !== undefined ? `, pushed to ${cfg.remote}` : ' (not pushed: gitops.push is off)'}.`);
      if (done.pushError) err(`kai-tui: push failed: ${oneLine(done.pushError)}`);
      out(`PR description: ${done.prFile}`);
    }
    return finish(done.pushError ? 1 : 0);
  } catch (e) {
    err(`kai-tui: ${oneLine((e as Error).message)}`);
    report.error = (e as Error).message;
    return finish(1);
  } finally {
    session.close();
  }
}
