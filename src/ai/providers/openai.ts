/** Any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, LM Studio, vLLM, llama.cpp server…) through the `openai` package. */
import OpenAI from 'openai';
import { AiError, classify, unreachable } from './errors.js';
import { estimateTokens, type ChatEvent, type ChatMessage, type ChatRequest, type LlmProvider, type ModelInfo, type ToolCall } from './types.js';

export interface OpenAiOptions { baseURL: string; apiKey: string; timeoutMs?: number }

export class OpenAiProvider implements LlmProvider {
  readonly kind = 'openai' as const;
  readonly endpoint: string;
  private readonly client: OpenAI;

  constructor(private readonly opts: OpenAiOptions) {
    this.endpoint = opts.baseURL.replace(/\/+$/, '');
    // Retries are ours (../retry.ts) so both providers back off alike and honour Retry-After.
    this.client = new OpenAI({ baseURL: this.endpoint, apiKey: opts.apiKey || 'none', maxRetries: 0, timeout: opts.timeoutMs ?? 120_000 });
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const out: ModelInfo[] = [];
      for await (const m of this.client.models.list({ signal })) out.push({ provider: 'openai', name: m.id, details: m.owned_by ? `owned by ${m.owned_by}` : undefined });
      return out.sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      throw this.toAiError(e, '');
    }
  }

  async *chat(req: ChatRequest): AsyncIterable<ChatEvent> {
    let stream;
    try {
      stream = await this.client.chat.completions.create({
        model: req.model,
        messages: req.messages.map(toOpenAi),
        ...(req.tools?.length ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
        temperature: req.temperature,
        stream: true,
        stream_options: { include_usage: true },
      }, { signal: req.signal });
    } catch (e) {
      throw this.toAiError(e, req.model);
    }
    const calls = new Map<number, { id: string; name: string; args: string }>();
    let usage: { input: number; output: number } | undefined;
    let finish = 'stop';
    let outText = '';
    try {
      for await (const chunk of stream) {
        if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const d = choice.delta;
        if (d?.content) { outText += d.content; yield { type: 'text', text: d.content }; }
        for (const tc of d?.tool_calls ?? []) {
          const cur = calls.get(tc.index) ?? { id: tc.id ?? `call_${tc.index}`, name: '', args: '' };
          if (tc.id) cur.id = tc.id;
          if (tc.function?.name) cur.name += tc.function.name;
          if (tc.function?.arguments) cur.args += tc.function.arguments;
          calls.set(tc.index, cur);
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    } catch (e) {
      throw cutOff(this.toAiError(e, req.model), this.endpoint);
    }
    // The SDK ends a stream quietly when it is aborted: that is a cancel, not an answer.
    if (req.signal?.aborted) throw new AiError('cancelled', 'cancelled', 'ask again when ready');
    if (calls.size) {
      const list: ToolCall[] = [...calls.values()].map((c) => ({ id: c.id, name: c.name, arguments: parseArgs(c.args) }));
      outText += JSON.stringify(list);
      yield { type: 'tool_calls', calls: list };
    }
    yield {
      type: 'done', finish,
      usage: usage ? { ...usage, estimated: false } : { input: estimateTokens(JSON.stringify(req.messages)), output: estimateTokens(outText), estimated: true },
    };
  }

  private toAiError(e: unknown, model: string): AiError {
    if (e instanceof AiError) return e;
    if (e instanceof OpenAI.APIUserAbortError) return new AiError('cancelled', 'cancelled', 'ask again when ready');
    if (e instanceof OpenAI.APIConnectionTimeoutError) return new AiError('timeout', `openai at ${this.endpoint} did not answer in time`, 'try again, or raise llm.timeoutMs');
    if (e instanceof OpenAI.APIConnectionError) return unreachable('openai', this.endpoint, (e as { cause?: unknown }).cause ?? e);
    if (e instanceof OpenAI.APIError) {
      const body = e.error as { message?: string; code?: string } | undefined;
      return classify({ provider: 'openai', endpoint: this.endpoint, model, status: e.status, message: body?.message ?? e.message, code: body?.code ?? (e.code as string | undefined), retryAfter: e.headers?.get?.('retry-after'), keyEnv: 'OPENAI_API_KEY' });
    }
    return new AiError('bad-response', `openai at ${this.endpoint}: ${(e as Error).message}`, 'check llm.providers.openai.baseURL');
  }
}

/** A connection lost in the middle of an answer is a cut stream (worth a retry), not an unreachable endpoint. */
export function cutOff(e: AiError, endpoint: string): AiError {
  return e.kind === 'unreachable' ? new AiError('bad-response', `the answer from ${endpoint} was cut off (connection closed)`, 'try again') : e;
}

function parseArgs(s: string): Record<string, unknown> {
  if (!s.trim()) return {};
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : { value: v };
  } catch {
    return { _unparsed: s };
  }
}

function toOpenAi(m: ChatMessage): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
  if (m.role === 'assistant') {
    return {
      role: 'assistant', content: m.content || null,
      ...(m.toolCalls?.length ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) } : {}),
    };
  }
  return { role: m.role, content: m.content };
}
