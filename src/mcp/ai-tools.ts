/**
 * The AI core's read-only cluster tools (src/ai/tools: list, get, describe, events, logs,
 * api-resources, CRD schema, top) served over MCP with the same redaction (one Redactor for
 * the MCP session: a Secret value seen once is withheld everywhere after) and the same output
 * budgets. Each gets an optional `context` argument; its GET-only reader and kinds are built
 * per context on first use.
 */
import { KubeRequester } from '../kube/request.js';
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import { kindIndexFor } from '../ops/kinds.js';
import { readerOf } from '../ai/assistant.js';
import type { Redactor } from '../ai/redact.js';
import { READ_TOOLS, runTool, type ToolContext } from '../ai/tools/index.js';
import type { JsonSchema, McpTool } from './tools.js';

/** What needs the cockpit (its shell transcript, its forwards) has no meaning here. */
const COCKPIT_ONLY = new Set(['cockpit_state']);

export function aiReadTools(contexts: LoadedKubeConfig[], redactor: Redactor): McpTool[] {
  const ctxs = new Map<string, Promise<ToolContext>>();
  const ctxFor = (name: string | undefined): Promise<ToolContext> => {
    const loaded = name ? contexts.find((c) => c.context === name) : contexts[0];
    if (!loaded) return Promise.reject(new Error(`no context "${name}" (have: ${contexts.map((c) => c.context).join(', ')})`));
    let p = ctxs.get(loaded.context);
    if (!p) {
      const client = new KubeRequester(loaded);
      p = kindIndexFor(client).then((kinds) => ({
        cluster: readerOf(client), kinds, namespace: loaded.namespace, context: loaded.context, redactor, proposals: [],
      }));
      p.catch(() => ctxs.delete(loaded.context));
      ctxs.set(loaded.context, p);
    }
    return p;
  };
  return READ_TOOLS.filter((t) => !COCKPIT_ONLY.has(t.spec.name)).map((t): McpTool => {
    const params = t.spec.parameters as unknown as JsonSchema;
    return {
      name: t.spec.name,
      description: `${t.spec.description} (read-only; secret values are withheld)`,
      inputSchema: { ...params, type: 'object', properties: { ...(params.properties ?? {}), context: { type: 'string', description: 'kubeconfig context (default: the first of list_contexts)' } } },
      readOnly: true,
      run: async (args, { signal }) => {
        const { context, ...rest } = args;
        const ctx = await ctxFor(typeof context === 'string' && context ? context : undefined);
        const r = await runTool([t], t.spec.name, rest, { ...ctx, signal });
        if (!r.ok) throw new Error(r.result.replace(/^error:\s*/, ''));
        return r.result;
      },
    };
  });
}
