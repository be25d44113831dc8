/**
 * A GitOps fix in the object's intervention timeline (and so in the healing guard's count): the plan with
 * its file, the commit, and the verdict — "not applied live", or the failed push. Shared by `explain --fix`
 * and the pulse pane, so both leave the same trail.
 */
import type { Journal } from '../journal.js';
import { managerText } from './detect.js';
import type { CommittedFix, GitopsChange } from './fix.js';

/** The mark the healing guard counts GitOps commits by (src/triage/guard.ts GITOPS_MARK). */
const MARK = 'gitops:';

export function objectKeyOf(c: GitopsChange): string {
  return `${c.object.kind}/${c.object.namespace ?? ''}/${c.object.name}`;
}

export function recordGitopsPlan(j: Journal, c: GitopsChange, context?: string): void {
  const n = c.diff.split('\n').reduce((x, l) => ({ add: x.add + (/^\+(?!\+\+)/.test(l) ? 1 : 0), del: x.del + (/^-(?!--)/.test(l) ? 1 : 0) }), { add: 0, del: 0 });
  j.recordIntervention(objectKeyOf(c), 'plan', `${MARK} ${c.source.split('\n')[0]} → ${c.file} (+${n.add} -${n.del})`, context);
}

/** Records the commit and its verdict; returns the verdict line. */
export function recordGitopsCommit(j: Journal, c: GitopsChange, d: CommittedFix, remote: string, context?: string): string {
  j.recordIntervention(objectKeyOf(c), 'execution', `${MARK} committed ${d.branch} ${d.commit.slice(0, 12)} (${c.file})${d.pushed ? `, pushed to ${remote}` : ''}`, context);
  const verdict = d.pushError
    ? `push to ${remote} failed: ${d.pushError.split('\n')[0]} (the branch is committed locally)`
    : `not applied live; ${managerText(c.manager)} applies it once ${d.branch} is merged`;
  j.recordIntervention(objectKeyOf(c), 'verdict', `${MARK} ${verdict}`, context);
  return verdict;
}
