/**
 * One model call as the rest of src/ai sees it: limits checked, the cache asked, then the
 * fallback chain — each model retried with back-off on 429/5xx/timeouts (Retry-After
 * honoured) as long as nothing was streamed yet — with an idle timeout between tokens,
 * cancellation at once, and a ledger line for every attempt that reached a model.
 */
import type { AiConfig } from './config.js';
import type { ResponseCache } from './cache.js';
import { AiError } from './providers/errors.js';
import type { ChatEvent, ChatMessage, ToolCall, ToolSpec, Usage } from './providers/types.js';
import type { UsageLedger } from './usage.js';

export interface CallResult {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  provider: string;
  model: string;
  cached: boolean;
  /** Models that failed before this one answered, with why. */
  fellBack: string[];
}

export interface CallOptions {
  promptId: string;
  signal?: AbortSignal;
  onText?: (text: string) => void;
  /** Told before each retry / fallback (the UI shows it). */
  onRetry?: (why: string) => void;
  ledger?: UsageLedger;
  cache?: ResponseCache;
  /** Back-off base in ms (tests shorten it). */
  backoffMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) return reject(new AiError('cancelled', 'cancelled', 'ask again when ready'));
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(t); reject(new AiError('cancelled', 'cancelled', 'ask again when ready')); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

/** The next event, or a timeout error when the model is silent for too long. */
async function nextWithin<T>(it: AsyncIterator<T>, ms: number, what: string): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AiError('timeout', `${what} sent nothing for ${Math.round(ms / 1000)} s`, 'try again, or raise llm.timeoutMs')), ms);
  });
  try {
    return await Promise.race([it.next(), silent]);
  } finally {
    clearTimeout(timer);
  }
}

export async function callModel(cfg: AiConfig, messages: ChatMessage[], tools: ToolSpec[] | undefined, o: CallOptions): Promise<CallResult> {
  o.ledger?.checkLimits(cfg);
  const fellBack: string[] = [];
  let last: AiError | undefined;
  for (const ref of cfg.chain) {
    const { provider, model } = ref;
    const cacheKey = o.cache?.key(provider.endpoint, model, messages, tools);
    const hit = cacheKey ? o.cache!.get(cacheKey) : undefined;
    if (hit) {
      if (hit.text) o.onText?.(hit.text);
      o.ledger?.record({ ts: new Date().toISOString(), provider: provider.kind, model, promptId: o.promptId, input: hit.usage.input, output: hit.usage.output, estimated: hit.usage.estimated, latencyMs: 0, costUsd: 0, cached: true });
      return { ...hit, provider: provider.kind, model, cached: true, fellBack };
    }
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      let ttft: number | undefined;
      let text = '';
      let toolCalls: ToolCall[] = [];
      let usage: Usage | undefined;
      // Per attempt: abandoning a silent stream must close its socket, and the caller's Esc must too.
      const attemptAbort = new AbortController();
      const onAbort = () => attemptAbort.abort();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        if (o.signal?.aborted) throw new AiError('cancelled', 'cancelled', 'ask again when ready');
        const it = provider.chat({ model, messages, tools, temperature: cfg.temperature, signal: attemptAbort.signal })[Symbol.asyncIterator]();
        for (;;) {
          const r = await nextWithin<ChatEvent>(it, cfg.timeoutMs, `${provider.kind} model '${model}'`);
          if (r.done) break;
          const ev = r.value;
          if (ev.type === 'text') { ttft ??= Date.now() - started; text += ev.text; o.onText?.(ev.text); }
          else if (ev.type === 'tool_calls') { ttft ??= Date.now() - started; toolCalls = ev.calls; }
          else usage = ev.usage;
        }
        if (o.signal?.aborted) throw new AiError('cancelled', 'cancelled', 'ask again when ready');
        if (!usage) throw new AiError('bad-response', `${provider.kind} model '${model}' ended the answer early`, 'try again');
        const cost = o.ledger?.cost(provider.kind, model, usage.input, usage.output) ?? 0;
        o.ledger?.record({ ts: new Date().toISOString(), provider: provider.kind, model, promptId: o.promptId, input: usage.input, output: usage.output, estimated: usage.estimated, latencyMs: Date.now() - started, ttftMs: ttft, costUsd: cost, cached: false });
        if (cacheKey) o.cache!.put(cacheKey, { text, toolCalls, usage });
        return { text, toolCalls, usage, provider: provider.kind, model, cached: false, fellBack };
      } catch (e) {
        attemptAbort.abort();
        const err = o.signal?.aborted ? new AiError('cancelled', 'cancelled', 'ask again when ready') : e instanceof AiError ? e : new AiError('bad-response', (e as Error).message, 'try again');
        if (err.kind === 'cancelled' || err.kind === 'limit') throw err;
        o.ledger?.record({ ts: new Date().toISOString(), provider: provider.kind, model, promptId: o.promptId, input: 0, output: 0, estimated: true, latencyMs: Date.now() - started, costUsd: 0, cached: false, error: err.kind });
        last = err;
        // Text already shown cannot be taken back: a retry would print it twice.
        const canRetry = err.retryable && text === '' && attempt < cfg.maxRetries;
        if (canRetry) {
          const wait = err.retryAfterMs ?? Math.min(30_000, (o.backoffMs ?? 500) * 2 ** attempt);
          o.onRetry?.(`${err.message}; retrying in ${(wait / 1000).toFixed(1)} s`);
          await sleep(wait, o.signal);
          continue;
        }
        if (text !== '' || !err.fallbackable) throw err;
        fellBack.push(`${provider.kind}:${model}: ${err.message}`);
        break;
      } finally {
        o.signal?.removeEventListener('abort', onAbort);
      }
    }
    if (ref !== cfg.chain[cfg.chain.length - 1]) o.onRetry?.(`${last?.message}; trying the next model`);
  }
  throw last ?? new AiError('no-provider', 'no model is configured', 'run `kai-tui config set llm.model NAME` (see docs/ai.md)');
}
