/**
 * A fix for a GitOps-managed object, as a change to its Git source: the plan (the same one a live fix would
 * run) is checked to touch one managed object, its checkout is found (setting gitops.repos), the manifest
 * document holding the object is found at the checkout's HEAD and patched with the plan's own requests, and
 * the diff is shown. Only `commitGitopsFix` writes: a new branch with one commit (the checkout itself is not
 * touched), a PR description file, and a push when gitops.push is on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeRequester } from '../../kube/request.js';
import type { Plan } from '../plan.js';
import { Redactor } from '../../ai/redact.js';
import { detectManager, managerText, type GitopsManager } from './detect.js';
import { applyStep, findDocuments, ManifestError, rewriteDocument, type ObjectId } from './manifest.js';
import { branchExists, commitOnNewBranch, currentBranch, diffTexts, git, headCommit, isDirty, push, repoRoot, showFile } from './git.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export class NotManaged extends Error {}

export interface RepoSetting { match: string; path: string }

/** What the PR description and the commit message say about why. */
export interface FixContext {
  category?: string;
  severity?: string;
  summary?: string;
  rootCause?: string;
  evidence?: string[];
  symptoms?: string[];
}

export interface GitopsChange {
  object: ObjectId;
  manager: GitopsManager;
  /** Repository root of the checkout. */
  root: string;
  /** Repository-relative path of the manifest. */
  file: string;
  base: string;
  baseBranch?: string;
  before: string;
  after: string;
  diff: string;
  branch: string;
  message: string;
  prBody: string;
  /** The plan text it came from. */
  source: string;
  warnings: string[];
}

export interface CommittedFix { branch: string; commit: string; prFile: string; pushed?: string; pushError?: string }

/** Comparable repository address: host/path without scheme, user, ".git" or trailing slash. */
export function normalizeRepo(url: string): string {
  return url.trim().toLowerCase().replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]+@/, '').replace(/^([^/:]+):(?!\d+\/)/, '$1/').replace(/\.git\/?$/, '').replace(/\/+$/, '');
}

export function findCheckout(repos: RepoSetting[], m: GitopsManager): RepoSetting | undefined {
  return repos.find((r) => r.match === m.app || (m.appNamespace && r.match === `${m.appNamespace}/${m.app}`))
    ?? (m.repoURL ? repos.find((r) => normalizeRepo(r.match) === normalizeRepo(m.repoURL!)) : undefined);
}

/** The one object the plan changes (a Git fix is about one manifest document). */
function planObject(plan: Plan): { id: ObjectId; path: string } {
  const ids = new Map(plan.steps.map((s) => [`${s.target.kind}/${s.target.namespace ?? ''}/${s.target.name}`, s]));
  if (ids.size !== 1) throw new ManifestError(`a Git fix changes one object; this plan changes ${ids.size}: ${[...ids.keys()].join(', ')}`);
  const s = plan.steps[0]!;
  return { id: { kind: s.target.kind, name: s.target.name, ...(s.target.namespace ? { namespace: s.target.namespace } : {}) }, path: s.objectPath };
}

export function branchName(id: ObjectId, now: Date): string {
  const ts = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  const safe = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `kai-tui/fix-${safe(id.kind)}-${safe(id.name)}-${ts}`;
}

/** Who manages the plan's object (undefined: nobody, a live fix is right). */
export async function managerOfPlan(client: KubeRequester, plan: Plan): Promise<{ id: ObjectId; live: Obj; manager?: GitopsManager }> {
  const { id, path } = planObject(plan);
  const r = await client.request({ method: 'GET', path });
  if (r.status !== 200) throw new ManifestError(`${id.kind} ${id.name}: the cluster answered ${r.status} ${r.json?.message ?? ''}`.trim());
  return { id, live: r.json, manager: await detectManager(client, r.json) };
}

export async function prepareGitopsFix(client: KubeRequester, plan: Plan, repos: RepoSetting[], why: FixContext = {}, now = new Date()): Promise<GitopsChange> {
  const { id, manager } = await managerOfPlan(client, plan);
  if (!manager) throw new NotManaged(`${id.kind}/${id.name} is not managed by Argo CD or Flux`);
  const setting = findCheckout(repos, manager);
  if (!setting) {
    throw new ManifestError(`no checkout configured for ${managerText(manager)}${manager.repoURL ? ` (${manager.repoURL})` : ''}: kai-tui config set gitops.repos '[{"match":"${manager.app}","path":"/path/to/checkout"}]'`);
  }
  const root = await repoRoot(setting.path).catch((e: Error) => { throw new ManifestError(`gitops.repos: ${setting.path} is not a Git checkout (${e.message})`); });
  const base = await headCommit(root);
  const located = await locate(root, base, manager, id);
  const patched = plan.steps.reduce((o, s) => applyStep(o, s), located.object);
  const after = rewriteDocument(located.text, located.index, patched);
  if (after === located.text) throw new ManifestError(`the fix changes nothing in ${located.file}: Git already holds it (the live object may have drifted; let ${managerText(manager)} sync)`);
  const warnings: string[] = [];
  if (await isDirty(root, located.file)) warnings.push(`your checkout has uncommitted changes to ${located.file}: the fix is based on the last commit ${base.slice(0, 7)}, not on them`);
  let branch = branchName(id, now);
  for (let i = 2; await branchExists(root, branch); i++) branch = `${branchName(id, now)}-${i}`;
  const diff = await diffTexts(root, located.file, located.text, after);
  const baseBranch = await currentBranch(root);
  const redact = new Redactor();
  const message = redact.text(commitMessage(id, manager, plan.source, located.file, why));
  const prBody = redact.text(prDescription(id, manager, plan.source, located.file, diff, why, baseBranch));
  return { object: id, manager, root, file: located.file, base, baseBranch, before: located.text, after, diff, branch, message, prBody, source: plan.source, warnings };
}

/** The manifest document holding the object, at `base`, under the controller's path when it is known. */
async function locate(root: string, base: string, m: GitopsManager, id: ObjectId): Promise<{ file: string; text: string; index: number; object: Obj }> {
  const under = m.path && (await git(root, ['cat-file', '-e', `${base}:${m.path}`], { ok: [128] })).code === 0 ? m.path : undefined;
  // git grep narrows the search to files naming the object; each candidate is then parsed.
  const g = await git(root, ['grep', '-l', '-F', '-z', '-e', id.name, base, '--', ...(under ? [`${under}/*.yaml`, `${under}/*.yml`, ...(/\.ya?ml$/.test(under) ? [under] : [])] : ['*.yaml', '*.yml'])], { ok: [1] });
  const files = g.stdout.split('\0').filter(Boolean).map((x) => x.slice(base.length + 1));
  const hits: Array<{ file: string; text: string; index: number; object: Obj }> = [];
  for (const file of files) {
    const text = await showFile(root, base, file);
    if (text === undefined) continue;
    for (const d of findDocuments(text, id, m.destinationNamespace)) hits.push({ file, text, ...d });
  }
  const what = `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
  if (!hits.length) throw new ManifestError(`no manifest for ${what} in ${root}${under ? `/${under}` : ''} at ${base.slice(0, 7)} (rendered by Helm or a kustomize generator? change its source by hand)`);
  if (hits.length > 1) throw new ManifestError(`${what} is in ${hits.length} places (${hits.map((h) => h.file).join(', ')}): an overlay? change it by hand`);
  return hits[0]!;
}

function changeLine(source: string): string {
  return source.split('\n')[0]!.slice(0, 72);
}

export function commitMessage(id: ObjectId, m: GitopsManager, source: string, file: string, why: FixContext): string {
  const obj = `${id.kind}/${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
  return [
    `fix(${id.namespace ? `${id.namespace}/` : ''}${id.name}): ${why.category ? `${why.category} — ` : ''}${changeLine(source)}`.slice(0, 100),
    '',
    ...(why.summary ? [`Finding: ${why.summary}`] : []),
    ...(why.rootCause ? [`Root cause: ${why.rootCause}`] : []),
    `Change: ${source.split('\n')[0]}`,
    `File: ${file}`,
    `Managed by: ${managerText(m)}`,
    '',
    `Kai-Tui-Object: ${obj}`,
    ...(why.category ? [`Kai-Tui-Finding: ${why.category}${why.severity ? ` (${why.severity})` : ''}`] : []),
    `Kai-Tui-Plan: ${source.split('\n')[0]}`,
    '',
  ].join('\n');
}

export function prDescription(id: ObjectId, m: GitopsManager, source: string, file: string, diff: string, why: FixContext, baseBranch?: string): string {
  const obj = `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
  return [
    `# Fix ${obj}${why.category ? `: ${why.category}` : ''}`,
    '',
    `Proposed by kai-tui for ${managerText(m)}${m.repoURL ? ` (${m.repoURL}${m.path ? `, path ${m.path}` : ''})` : ''}${baseBranch ? `, against ${baseBranch}` : ''}.`,
    '',
    '## Root cause',
    '',
    why.rootCause ?? why.summary ?? 'Not stated (the fix was given by hand).',
    ...(why.summary && why.rootCause ? ['', `Finding (${why.category ?? 'rule'}${why.severity ? `, ${why.severity}` : ''}): ${why.summary}`] : []),
    '',
    '## Change',
    '',
    `\`${source.split('\n')[0]}\`, written to \`${file}\`:`,
    '',
    '```diff',
    diff.trimEnd(),
    '```',
    '',
    '## Evidence',
    '',
    ...(why.evidence?.length ? why.evidence.map((e) => `- ${e}`) : ['- (none recorded)']),
    ...(why.symptoms?.length ? ['', 'Symptoms of the same fault:', ...why.symptoms.map((s) => `- ${s}`)] : []),
    '',
    '## Rollout',
    '',
    `Nothing was changed on the cluster. Once merged, ${managerText(m)} applies it at its next sync; a live change would have been reverted by it.`,
    '',
  ].join('\n');
}

export async function commitGitopsFix(c: GitopsChange, o: { prDir: string; push?: boolean; remote?: string }): Promise<CommittedFix> {
  const commit = await commitOnNewBranch(c.root, { base: c.base, path: c.file, content: c.after, branch: c.branch, message: c.message });
  mkdirSync(o.prDir, { recursive: true });
  const prFile = join(o.prDir, `${c.branch.replace(/[^A-Za-z0-9._-]+/g, '_')}.md`);
  writeFileSync(prFile, c.prBody.replace(/^# (.*)$/m, `# $1\n\nBranch \`${c.branch}\`, commit ${commit.slice(0, 12)}.`));
  if (!o.push) return { branch: c.branch, commit, prFile };
  try {
    return { branch: c.branch, commit, prFile, pushed: await push(c.root, o.remote ?? 'origin', c.branch) };
  } catch (e) {
    // The commit stands: pushing is the user's own git and credentials, and can be retried by hand.
    return { branch: c.branch, commit, prFile, pushError: (e as Error).message };
  }
}
