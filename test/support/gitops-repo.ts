/**
 * A local Git setup for GitOps tests: a bare repository (the "remote") and a checkout holding the demo's
 * jokes manifests (test/fixtures/gitops-demo), committed and pushed, with a fixed identity so commits work
 * whatever the machine's git config says.
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';

export const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'Kai Test', GIT_AUTHOR_EMAIL: 'kai@example.com', GIT_COMMITTER_NAME: 'Kai Test', GIT_COMMITTER_EMAIL: 'kai@example.com', GIT_CONFIG_NOSYSTEM: '1' };

export interface DemoRepo { bare: string; checkout: string; head: string; git(cwd: string, ...args: string[]): string }

export function demoGitopsRepo(dir: string, env: NodeJS.ProcessEnv = {}): DemoRepo {
  const e = { ...process.env, ...GIT_IDENTITY, ...env };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: e });
  const bare = join(dir, 'deploy.git');
  const checkout = join(dir, 'deploy');
  git(dir, 'init', '-q', '--bare', '-b', 'main', bare);
  git(dir, 'init', '-q', '-b', 'main', checkout);
  cpSync(join(process.cwd(), 'test', 'fixtures', 'gitops-demo', 'apps'), join(checkout, 'apps'), { recursive: true });
  git(checkout, 'add', '.');
  git(checkout, 'commit', '-qm', 'jokes: initial manifests');
  git(checkout, 'remote', 'add', 'origin', bare);
  git(checkout, 'push', '-q', 'origin', 'main');
  return { bare, checkout, head: git(checkout, 'rev-parse', 'HEAD').trim(), git };
}
