/**
 * The tool loop. The model answers or asks for tools; tool calls returned together run in
 * parallel; results go back and the model continues — for at most llm.maxRounds rounds and
 * llm.tokenBudget tokens, cancelled at once by the signal. The loop talks to its caller only
 * through events (text, tool start/end, retry, proposal), so the chat pane, `ask`, triage
 * and MCP all drive the same code.
 */
import { callModel } from './call.js';
import type { AiConfig } from './config.js';
import type { ResponseCache } from './cache.js';
import type { UsageLedger } from './usage.js';
import type { ChatMessage } from './providers/types.js';
import { runTool, type Proposal, type Tool, type ToolContext } from './tools/index.js';

export type AgentEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_start'; id: string; name: string; arguments: Record<string, unknown> }
  | { type: 'tool_end'; id: string; name: string; ok: boolean; durationMs: number; chars: number; result: string }
  | { type: 'retry'; message: string }
  | { type: 'proposal'; proposal: Proposal };

export interface ToolCallRecord { name: string; arguments: Record<string, unknown>; durationMs: number; ok: boolean; chars: number }

export interface AgentResult {
  answer: string;
  toolCalls: ToolCallRecord[];
  usage: { input: number; output: number; calls: number; cached: number; estimated: boolean; models: string[] };
  proposals: Proposal[];
  /** Values withheld by redaction in this conversation so far. */
  redacted: number;
  /** Set when the loop stopped early. */
  stopped?: 'rounds' | 'budget';
  /** The conversation including this question's turns (for sessions). */
  messages: ChatMessage[];
}

export interface AgentRun {
  cfg: AiConfig;
  system: string;
  /** Earlier turns (without the system message) — the new user message last. */
  messages: ChatMessage[];
  tools: Tool[];
  ctx: ToolContext;
  promptId: string;
  signal?: AbortSignal;
  onEvent?: (e: AgentEvent) => void;
  ledger?: UsageLedger;
  cache?: ResponseCache;
  backoffMs?: number;
}

export async function runAgent(r: AgentRun): Promise<AgentResult> {
  const emit = (e: AgentEvent) => r.onEvent?.(e);
  const messages: ChatMessage[] = [...r.messages];
  const usage = { input: 0, output: 0, calls: 0, cached: 0, estimated: false, models: [] as string[] };
  const toolCalls: ToolCallRecord[] = [];
  const proposalsBefore = r.ctx.proposals.length;
  let answer = '';
  let stopped: AgentResult['stopped'];
  const specs = r.tools.map((t) => t.spec);
  for (let round = 0; ; round++) {
    const last = round >= r.cfg.maxRounds - 1 || usage.input + usage.output >= r.cfg.tokenBudget * 0.8;
    const res = await callModel(r.cfg, [{ role: 'system', content: r.system }, ...messages], last ? undefined : specs, {
      promptId: r.promptId, signal: r.signal, ledger: r.ledger, cache: r.cache, backoffMs: r.backoffMs,
      onText: (t) => emit({ type: 'text', text: t }),
      onRetry: (m) => emit({ type: 'retry', message: m }),
    });
    usage.calls++; usage.input += res.usage.input; usage.output += res.usage.output;
    if (res.cached) usage.cached++;
    if (res.usage.estimated) usage.estimated = true;
    const label = `${res.provider}:${res.model}`;
    if (!usage.models.includes(label)) usage.models.push(label);
    answer += res.text;
    messages.push({ role: 'assistant', content: res.text, ...(res.toolCalls.length ? { toolCalls: res.toolCalls } : {}) });
    if (res.toolCalls.length === 0) break;
    if (last) { stopped = round >= r.cfg.maxRounds - 1 ? 'rounds' : 'budget'; break; }
    // Independent calls of one round run together.
    const results = await Promise.all(res.toolCalls.map(async (c) => {
      emit({ type: 'tool_start', id: c.id, name: c.name, arguments: c.arguments });
      const started = Date.now();
      const before = r.ctx.proposals.length;
      const out = await runTool(r.tools, c.name, c.arguments, { ...r.ctx, signal: r.signal });
      const durationMs = Date.now() - started;
      const result = r.ctx.redactor.text(out.result);
      emit({ type: 'tool_end', id: c.id, name: c.name, ok: out.ok, durationMs, chars: result.length, result });
      for (const p of r.ctx.proposals.slice(before)) emit({ type: 'proposal', proposal: p });
      toolCalls.push({ name: c.name, arguments: c.arguments, durationMs, ok: out.ok, chars: result.length });
      return { c, result };
    }));
    for (const { c, result } of results) messages.push({ role: 'tool', toolCallId: c.id, name: c.name, content: result });
    if (r.signal?.aborted) break;
  }
  if (stopped && !answer.trim()) {
    answer = stopped === 'rounds' ? `(stopped after ${r.cfg.maxRounds} rounds of tool calls without an answer; ask a narrower question or raise llm.maxRounds)` : `(stopped: the token budget of ${r.cfg.tokenBudget} for one question was spent; raise llm.tokenBudget)`;
    emit({ type: 'text', text: answer });
  }
  return { answer, toolCalls, usage, proposals: r.ctx.proposals.slice(proposalsBefore), redacted: r.ctx.redactor.count, stopped, messages };
}
