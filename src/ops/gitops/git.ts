/**
 * The user's own `git`, run with execFile (never a shell): their config, identity, credentials and hooks.
 * A fix is committed without touching the checkout: the new file content becomes a blob, a temporary index
 * built from the base commit takes it, and `commit-tree` + `branch` make the fix branch — the user's
 * working tree, index and current branch stay exactly as they were.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class GitError extends Error {}

export interface GitResult { code: number; stdout: string; stderr: string }

export function git(cwd: string, args: string[], o: { input?: string; env?: NodeJS.ProcessEnv; ok?: number[] } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env: { ...process.env, ...o.env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : -1) : 0;
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') { reject(new GitError('git is not installed (or not on PATH)')); return; }
      if (code !== 0 && !(o.ok ?? []).includes(code)) { reject(new GitError(`git ${args[0]} failed: ${(stderr || stdout).trim().split('\n').slice(-3).join(' ') || `exit ${code}`}`)); return; }
      resolve({ code, stdout, stderr });
    });
    if (o.input !== undefined) child.stdin?.end(o.input);
  });
}

export async function repoRoot(dir: string): Promise<string> {
  return (await git(dir, ['rev-parse', '--show-toplevel'])).stdout.trim();
}

export async function headCommit(root: string): Promise<string> {
  return (await git(root, ['rev-parse', '--verify', 'HEAD^{commit}'])).stdout.trim();
}

export async function currentBranch(root: string): Promise<string | undefined> {
  const r = await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { ok: [1] });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The file as committed at `rev` (undefined when it does not exist there). */
export async function showFile(root: string, rev: string, path: string): Promise<string | undefined> {
  const r = await git(root, ['cat-file', '-p', `${rev}:${path}`], { ok: [128] });
  return r.code === 0 ? r.stdout : undefined;
}

/** Tracked files under a folder at `rev`, repository-relative. */
export async function trackedFiles(root: string, rev: string, under?: string): Promise<string[]> {
  const r = await git(root, ['ls-tree', '-r', '--name-only', '-z', rev, ...(under ? ['--', under] : [])]);
  return r.stdout.split('\0').filter(Boolean);
}

/** Working-tree changes to the file (staged or not) compared with HEAD. */
export async function isDirty(root: string, path: string): Promise<boolean> {
  return (await git(root, ['status', '--porcelain', '--', path])).stdout.trim() !== '';
}

export async function branchExists(root: string, branch: string): Promise<boolean> {
  return (await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { ok: [1] })).code === 0;
}

export async function writeBlob(root: string, content: string): Promise<string> {
  return (await git(root, ['hash-object', '-w', '--stdin'], { input: content })).stdout.trim();
}

/** Unified diff of two texts as `git diff` prints it, headed with the file's path. */
export async function diffTexts(root: string, path: string, before: string, after: string): Promise<string> {
  const [a, b] = await Promise.all([writeBlob(root, before), writeBlob(root, after)]);
  const r = await git(root, ['diff', '--no-color', '--no-ext-diff', a, b], { ok: [1] });
  return r.stdout.replace(/^diff --git a\/\S+ b\/\S+/m, `diff --git a/${path} b/${path}`).replace(/^--- a\/\S+/m, `--- a/${path}`).replace(/^\+\+\+ b\/\S+/m, `+++ b/${path}`);
}

/** Commits `content` as `path` on top of `base` on a new branch, without touching the checkout. */
export async function commitOnNewBranch(root: string, o: { base: string; path: string; content: string; branch: string; message: string }): Promise<string> {
  if (await branchExists(root, o.branch)) throw new GitError(`branch ${o.branch} already exists`);
  const mode = (await git(root, ['ls-tree', o.base, '--', o.path])).stdout.split(/\s+/)[0] || '100644';
  const blob = await writeBlob(root, o.content);
  const tmp = mkdtempSync(join(tmpdir(), 'kai-tui-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(tmp, 'index') };
    await git(root, ['read-tree', o.base], { env });
    await git(root, ['update-index', '--add', '--cacheinfo', `${mode},${blob},${o.path}`], { env });
    const tree = (await git(root, ['write-tree'], { env })).stdout.trim();
    const commit = (await git(root, ['commit-tree', tree, '-p', o.base, '-F', '-'], { input: o.message })).stdout.trim();
    await git(root, ['branch', o.branch, commit]);
    return commit;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function push(root: string, remote: string, branch: string): Promise<string> {
  const r = await git(root, ['push', '--porcelain', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
  return (r.stdout + r.stderr).trim();
}
