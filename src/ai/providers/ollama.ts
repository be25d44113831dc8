/** Ollama through the `ollama` package: native /api/chat (NDJSON streaming, tool calls), /api/tags, /api/show. */
import { Ollama, type Message } from 'ollama';
import { AiError, classify, unreachable } from './errors.js';
import { cutOff } from './openai.js';
import { estimateTokens, type ChatEvent, type ChatMessage, type ChatRequest, type LlmProvider, type ModelInfo, type ToolCall } from './types.js';

export class OllamaProvider implements LlmProvider {
  readonly kind = 'ollama' as const;
  readonly endpoint: string;

  constructor(host: string) {
    this.endpoint = host.replace(/\/+$/, '');
  }

  /** One client per call: the package's abort() stops every request of a client, we want one. */
  private client(signal?: AbortSignal, seen?: { retryAfter?: string | null }): Ollama {
    const f: typeof fetch = async (input, init) => {
      const res = await fetch(input, { ...init, signal: signal ?? init?.signal });
      if (seen) seen.retryAfter = res.headers.get('retry-after');
      return res;
    };
    return new Ollama({ host: this.endpoint, fetch: f });
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const c = this.client(signal);
    let tags;
    try { tags = await c.list(); } catch (e) { throw this.toAiError(e, ''); }
    const out: ModelInfo[] = [];
    for (const m of tags.models) {
      const info: ModelInfo = { provider: 'ollama', name: m.name, details: [m.details?.parameter_size, m.details?.quantization_level].filter(Boolean).join(' ') || undefined };
      try {
        const show = await c.show({ model: m.name }) as unknown as { capabilities?: string[]; model_info?: Record<string, unknown> };
        if (Array.isArray(show.capabilities)) info.supportsTools = show.capabilities.includes('tools');
        const ctx = Object.entries(show.model_info ?? {}).find(([k]) => k.endsWith('.context_length'));
        if (ctx && typeof ctx[1] === 'number') info.contextLength = ctx[1];
      } catch { /* older servers: capabilities unknown */ }
      out.push(info);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async *chat(req: ChatRequest): AsyncIterable<ChatEvent> {
    const seen: { retryAfter?: string | null } = {};
    const c = this.client(req.signal, seen);
    let stream;
    try {
      stream = await c.chat({
        model: req.model, stream: true,
        messages: req.messages.map(toOllama),
        ...(req.tools?.length ? { tools: req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters as never } })) } : {}),
        options: req.temperature !== undefined ? { temperature: req.temperature } : undefined,
      });
    } catch (e) {
      throw this.toAiError(e, req.model, seen.retryAfter);
    }
    const calls: ToolCall[] = [];
    let outText = '';
    let input: number | undefined;
    let output: number | undefined;
    let finish = 'stop';
    let done = false;
    try {
      for await (const part of stream) {
        if (part.message?.content) { outText += part.message.content; yield { type: 'text', text: part.message.content }; }
        for (const tc of part.message?.tool_calls ?? []) calls.push({ id: `call_${calls.length + 1}`, name: tc.function.name, arguments: (tc.function.arguments ?? {}) as Record<string, unknown> });
        if (part.done) {
          done = true;
          finish = part.done_reason || 'stop';
          if (typeof part.prompt_eval_count === 'number') input = part.prompt_eval_count;
          if (typeof part.eval_count === 'number') output = part.eval_count;
        }
      }
    } catch (e) {
      throw cutOff(this.toAiError(e, req.model), this.endpoint);
    }
    if (req.signal?.aborted) throw new AiError('cancelled', 'cancelled', 'ask again when ready');
    if (!done) throw new AiError('bad-response', `ollama at ${this.endpoint} ended the answer early`, 'try again');
    if (calls.length) { outText += JSON.stringify(calls); yield { type: 'tool_calls', calls }; }
    const estimated = input === undefined || output === undefined;
    yield { type: 'done', finish: calls.length ? 'tool_calls' : finish, usage: { input: input ?? estimateTokens(JSON.stringify(req.messages)), output: output ?? estimateTokens(outText), estimated } };
  }

  private toAiError(e: unknown, model: string, retryAfter?: string | null): AiError {
    if (e instanceof AiError) return e;
    const err = e as { name?: string; status_code?: number; error?: string; message?: string };
    if (err?.name === 'AbortError') return new AiError('cancelled', 'cancelled', 'ask again when ready');
    if (typeof err?.status_code === 'number') {
      return classify({ provider: 'ollama', endpoint: this.endpoint, model, status: err.status_code, message: err.error ?? err.message ?? '', retryAfter });
    }
    if (err?.name === 'TypeError' || /fetch failed|ECONNREFUSED|ENOTFOUND/.test(err?.message ?? '')) return unreachable('ollama', this.endpoint, e);
    return new AiError('bad-response', `ollama at ${this.endpoint}: ${err?.message ?? String(e)}`, 'check llm.providers.ollama.host');
  }
}

function toOllama(m: ChatMessage): Message {
  if (m.role === 'tool') return { role: 'tool', content: m.content, tool_name: m.name };
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })) };
  }
  return { role: m.role, content: m.content };
}
