/**
 * Where kai-tui keeps its files. `KAI_TUI_CONFIG_DIR` overrides the platform default (tests
 * give every run its own temp dir through it).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAI_TUI_CONFIG_DIR) return env.KAI_TUI_CONFIG_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'kai-tui');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'kai-tui', 'Config');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'kai-tui');
}

/** Every file kai-tui reads or writes, by role (printed by `kai-tui config path`). */
export function paths(env: NodeJS.ProcessEnv = process.env) {
  const dir = configDir(env);
  return {
    configDir: dir,
    settings: join(dir, 'config.json'),
    /** API keys and other secrets: owner-only (0600). */
    secrets: join(dir, 'secrets.json'),
    keymaps: join(dir, 'keymaps'),
    themes: join(dir, 'themes'),
    policies: join(dir, 'policies'),
    journal: join(dir, 'journal.sqlite'),
    history: join(dir, 'palette-history.json'),
    demoKubeconfig: join(dir, 'demo-kubeconfig.yaml'),
    /** Port-forwards remembered per context (and which cockpit runs them now). */
    forwards: join(dir, 'forwards.json'),
    /** PR descriptions of GitOps fixes, one Markdown file per fix branch. */
    gitopsPrs: join(dir, 'gitops-prs'),
    /** Load-check results per forward target, the last runs of each. */
    loadChecks: join(dir, 'load-checks'),
  };
}
