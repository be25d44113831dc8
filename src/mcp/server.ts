/**
 * The MCP server (official TypeScript SDK, low-level Server: tools are plain JSON Schema, so
 * tools defined elsewhere — the AI core's read-only tools — register the same way). tools/list
 * shows them; tools/call runs one with a timeout, its errors as a tool error (isError), never
 * a crash. Nothing here can execute a plan.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { version } from '../version.js';
import type { McpTool } from './tools.js';

export interface McpServerOptions {
  tools: McpTool[];
  /** Per call (default 60 s). */
  timeoutMs?: number;
  instructions?: string;
}

export function createMcpServer(o: McpServerOptions): Server {
  const server = new Server({ name: 'kai-tui', version: version() }, { capabilities: { tools: {} }, instructions: o.instructions });
  const byName = new Map(o.tools.map((t) => [t.name, t]));
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: o.tools.map((t) => ({
      name: t.name, description: t.description, inputSchema: t.inputSchema,
      annotations: { readOnlyHint: t.readOnly, destructiveHint: false, openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const tool = byName.get(req.params.name);
    if (!tool) return { isError: true, content: [{ type: 'text' as const, text: `no tool "${req.params.name}" (tools: ${o.tools.map((t) => t.name).join(', ')}); plans are executed only by a person (kai-tui do --plan ID)` }] };
    const ctl = new AbortController();
    const abort = () => ctl.abort();
    extra.signal.addEventListener('abort', abort, { once: true });
    const timer = setTimeout(abort, o.timeoutMs ?? 60_000);
    try {
      const client = server.getClientVersion()?.name ?? 'an MCP client';
      const text = await Promise.race([
        tool.run(req.params.arguments ?? {}, { client, signal: ctl.signal }),
        new Promise<never>((_, reject) => ctl.signal.addEventListener('abort', () => reject(new Error('cancelled or timed out')), { once: true })),
      ]);
      return { content: [{ type: 'text' as const, text }] };
    } catch (err) {
      return { isError: true, content: [{ type: 'text' as const, text: `${tool.name}: ${(err as Error).message}` }] };
    } finally {
      clearTimeout(timer);
      extra.signal.removeEventListener('abort', abort);
    }
  });
  return server;
}

export async function serve(server: Server, transport: Transport): Promise<void> {
  await server.connect(transport);
}
