/**
 * argv → one command. Each command lives in src/commands/<name>.ts and exports
 * `run(argv): Promise<number>` (the exit code); they are imported lazily so that
 * `kai-tui --version` does not load the UI or the cluster emulator.
 */
import { UsageError } from './commands/args.js';
import { version } from './version.js';

const COMMANDS: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  cockpit: () => import('./commands/cockpit.js'),
  config: () => import('./commands/config.js'),
  do: () => import('./commands/do.js'),
  undo: () => import('./commands/undo.js'),
  sim: () => import('./commands/sim.js'),
  history: () => import('./commands/history.js'),
  fleet: () => import('./commands/fleet.js'),
  diagnose: () => import('./commands/diagnose.js'),
  explain: () => import('./commands/explain.js'),
  mcp: () => import('./commands/mcp.js'),
  ask: () => import('./commands/ask.js'),
  models: () => import('./commands/models.js'),
  check: () => import('./commands/check.js'),
  usage: () => import('./commands/usage.js'),
  sessions: () => import('./commands/sessions.js'),
  prompts: () => import('./commands/prompts.js'),
  forwards: () => import('./commands/forwards.js'),
};

export const HELP = `kai-tui — a keyboard-driven terminal cockpit for Kubernetes, with AI built in

Usage:
  kai-tui [options]                 open the cockpit on the current kubeconfig context
                                    (on the built-in demo cluster when there is no kubeconfig)
  kai-tui sim serve --kubeconfig FILE [--port N] [--scenario demo|empty] [--pods N]
                                    run the embedded demo cluster on its own
  kai-tui sim serve --clusters N --kubeconfig FILE
                                    N demo clusters, one kubeconfig with a context each
  kai-tui config list|get|set|unset|path   settings (see docs/config.md)
  kai-tui do "<command or plain language>" [--dry-run] [--yes] [--json] [--fail-fast] [--mode M] [--policies DIR]
            [--allow-destructive] [--no-verify] [--timeout S] [--plan ID] [--fix] [--write-fixes]
                                    plan, preview (server dry-run), confirm, execute, verify
  kai-tui undo [--id N] [--yes]     undo the last (or chosen) operation, with preview
  kai-tui history [--json] [--id N] past operations from the journal
  kai-tui fleet [--json] [--context NAME]… [--all-contexts]
                                    one health line per context; exit 1 if one is unreachable
  kai-tui diagnose [-n NS | -A] [--json] [--ai]
                                    triage rules over the cluster: findings, root cause first; exit 1 if any
  kai-tui explain KIND/NAME [-n NS] [--json]
                                    evidence and the rule's explanation for one object
  kai-tui forwards [--json] [--context NAME]
                                    port-forwards remembered per context, which a cockpit runs now
  kai-tui mcp [--readonly]          serve MCP over stdio (read tools, propose_plan; see docs/mcp.md)

  kai-tui ask "<question>" [--json] [-n NS] [--context NAME] [--model M]
                                    ask the AI assistant (read-only tools; plans are previewed only)
  kai-tui models [--json]           the models the configured AI provider offers
  kai-tui check "<predicate>" [--json]
                                    is it true? exit 0 true, 1 false, 2 undetermined, 3 error
  kai-tui usage [--json]            AI calls, tokens and cost from the local ledger
  kai-tui sessions list|show|export|import   saved chat sessions (Markdown/JSON)
  kai-tui prompts list|show ID      prompts as files, and the final composed prompt

Options:
  --demo                 use the built-in demo cluster even when a kubeconfig exists
  --kubeconfig FILE      kubeconfig file(s) to use (default: $KUBECONFIG or ~/.kube/config)
  --context NAME         kubeconfig context to use; give it twice or more for the fleet view
  --all-contexts         the fleet view of every context (:fleet in the cockpit)
  --clusters N           with --demo: N built-in demo clusters, opened in the fleet view
  -n, --namespace NS     namespace to start in
  -A, --all-namespaces   start with all namespaces
  --readonly             hide and refuse every mutation
  --mode MODE            how operations are confirmed: manual, semiauto, auto
  --theme NAME           colour theme (dark, light, high-contrast, or yours)
  --keymap NAME          key bindings (default, vim, or yours)
  --layout NAME          browse or triage
  -h, --help             show this help
  -V, --version          print the version

Docs: docs/README.md`;

const DOCS: Record<string, string> = {
  cockpit: 'cockpit.md', config: 'config.md', do: 'operations.md', undo: 'operations.md', history: 'operations.md',
  sim: 'demo-cluster.md', fleet: 'fleet.md', diagnose: 'triage.md', explain: 'triage.md', mcp: 'mcp.md', forwards: 'port-forward.md',
  ask: 'ai.md', models: 'ai.md', check: 'ai.md', usage: 'ai.md', sessions: 'ai.md', prompts: 'ai.md',
};

/** `kai-tui CMD --help`: that command's lines of the usage above, and where its page is. */
export function commandHelp(cmd: string): string {
  const lines = HELP.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith(`  kai-tui ${cmd} `) && lines[i] !== `  kai-tui ${cmd}`) continue;
    out.push(lines[i]!);
    // Continuation lines are indented past the command column.
    while (i + 1 < lines.length && /^ {6,}\S/.test(lines[i + 1]!)) out.push(lines[++i]!);
  }
  if (cmd === 'cockpit' || out.length === 0) return HELP;
  return `Usage:\n${out.join('\n')}\n\nDocs: docs/${DOCS[cmd] ?? 'README.md'}`;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === '--help' || first === '-h' || first === 'help') {
      console.log(HELP);
      return 0;
    }
    if (first === '--version' || first === '-V') {
      console.log(version());
      return 0;
    }
    if (first !== undefined && !first.startsWith('-')) {
      const load = COMMANDS[first];
      if (!load) throw new UsageError(`unknown command '${first}' (see kai-tui --help)`);
      const ask = rest.indexOf('--');
      if ((ask < 0 ? rest : rest.slice(0, ask)).some((a) => a === '--help' || a === '-h')) {
        // A command's own usage text is the richer one when it has it; the docs page is named either way.
        const mod = (await load()) as { USAGE?: string };
        console.log(mod.USAGE ? `${mod.USAGE}\n\nDocs: docs/${DOCS[first] ?? 'README.md'}` : commandHelp(first));
        return 0;
      }
      return await (await load()).run(rest);
    }
    const cockpit = (COMMANDS.cockpit ?? (() => Promise.reject(new Error('the cockpit is not built yet'))));
    return await (await cockpit()).run(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`kai-tui: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
