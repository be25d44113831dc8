/**
 * `kai-tui mcp [--readonly] [--kubeconfig FILE] [--context NAME]…`: the Model Context Protocol
 * over stdio, for other agents and editors. Read-only tools, and propose_plan (a previewed plan
 * stored for a person to confirm) unless --readonly. stdout is the protocol: nothing else is
 * written there; diagnostics go to stderr.
 */
import { join } from 'node:path';
import { parseFlags, UsageError } from './args.js';
import { paths } from '../config/paths.js';
import { loadSettings } from '../config/settings.js';
import { fleetContexts } from '../fleet/monitor.js';
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';

const USAGE = 'usage: kai-tui mcp [--readonly] [--kubeconfig FILE] [--context NAME]…  (MCP over stdio)';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    readonly: { type: 'boolean' },
    kubeconfig: { type: 'string' },
    context: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`mcp: unexpected argument '${positionals[0]}' (${USAGE})`);
  let contexts: LoadedKubeConfig[];
  try {
    // The current context first (the default of every tool), then the others.
    const all = fleetContexts({ kubeconfig: values.kubeconfig }, values.context);
    const current = all[0]!.kc.getCurrentContext();
    contexts = values.context?.length ? all : [...all.filter((c) => c.context === current), ...all.filter((c) => c.context !== current)];
  } catch (err) {
    process.stderr.write(`kai-tui: ${(err as Error).message}\n`);
    return 1;
  }
  const settings = loadSettings();
  const readonly = values.readonly === true || settings.get('ops.readonly') === true;
  const [{ createMcpServer, serve }, { fleetTools }, { aiReadTools }, { Redactor }, { PlanStore }, { StdioServerTransport }] = await Promise.all([
    import('../mcp/server.js'), import('../mcp/tools.js'), import('../mcp/ai-tools.js'), import('../ai/redact.js'), import('../mcp/plans.js'), import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const store = new PlanStore(join(paths().configDir, 'plans'));
  // One redactor for the session, as for a chat: what it learns from one answer protects the next.
  const redactor = new Redactor(settings.get('llm.redact') !== false);
  const [listContexts, ...rest] = fleetTools({ contexts, store, readonly, redact: (t) => redactor.text(t) });
  const server = createMcpServer({
    tools: [listContexts!, ...aiReadTools(contexts, redactor), ...rest],
    instructions: readonly
      ? 'kai-tui, read-only: tools read the Kubernetes contexts of this machine. Nothing can be changed through this server.'
      : 'kai-tui: read tools, and propose_plan, which previews a change and returns a plan id. Only a person executes plans (kai-tui do --plan ID, or the cockpit).',
  });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await serve(server, transport);
  await closed;
  await server.close().catch(() => undefined);
  return 0;
}
