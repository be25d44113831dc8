/**
 * Provider failures sorted into what a user can act on. Each kind carries the one step that
 * fixes it, so "unknown model", "missing or wrong key", "endpoint unreachable" and "context
 * too long" never look alike.
 */
export type AiErrorKind =
  | 'unknown-model' | 'auth' | 'unreachable' | 'context-too-long'
  | 'rate-limited' | 'server' | 'timeout' | 'cancelled' | 'no-provider' | 'limit' | 'bad-response';

export class AiError extends Error {
  constructor(
    readonly kind: AiErrorKind,
    message: string,
    readonly fix: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AiError';
  }

  /** Worth retrying the same model (after back-off). */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'bad-response';
  }

  /** Worth trying the next model of the fallback chain. */
  get fallbackable(): boolean {
    return this.retryable || this.kind === 'unknown-model' || this.kind === 'context-too-long';
  }

  /** One line: what happened — what to do. */
  get line(): string {
    return `${this.message} — ${this.fix}`;
  }
}

/** Retry-After as seconds or an HTTP date → ms (undefined when absent or unreadable). */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface Classify { provider: string; endpoint: string; model: string; status?: number; message: string; code?: string; retryAfter?: string | null; keyEnv?: string }

/** HTTP answers and network failures of any provider → an AiError with its fix. */
export function classify(c: Classify): AiError {
  const m = c.message || `HTTP ${c.status}`;
  const low = `${m} ${c.code ?? ''}`.toLowerCase();
  const where = `${c.provider} at ${c.endpoint}`;
  if (c.status === 401 || c.status === 403 || /invalid_api_key|incorrect api key|unauthori[sz]ed/.test(low)) {
    return new AiError('auth', `${where} refused the API key (HTTP ${c.status ?? '?'}): missing or wrong key`,
      `set it with \`kai-tui config set llm.providers.${c.provider}.apiKey KEY\`${c.keyEnv ? ` or $${c.keyEnv}` : ''}`);
  }
  if (/context[_ ]length|maximum context|context window|too many tokens|input length exceeds/.test(low)) {
    return new AiError('context-too-long', `model '${c.model}' at ${where}: the conversation is longer than its context`,
      'start a new chat (or ask about fewer objects), or choose a model with a longer context (llm.model)');
  }
  if (c.status === 404 || /model_not_found|does not exist|not found, try pulling/.test(low)) {
    const pull = c.provider === 'ollama' ? `\`ollama pull ${c.model}\`, or ` : '';
    return new AiError('unknown-model', `model '${c.model}' is unknown to ${where}`,
      `${pull}pick one of \`kai-tui models\` with \`kai-tui config set llm.model NAME\``);
  }
  if (c.status === 429 || /rate limit|server busy|overloaded/.test(low)) {
    return new AiError('rate-limited', `${where} is rate-limiting or overloaded (HTTP ${c.status ?? 429})`,
      'wait a moment and ask again, or add a fallback model (llm.fallback)', retryAfterMs(c.retryAfter));
  }
  if (c.status !== undefined && c.status >= 500) {
    return new AiError('server', `${where} failed (HTTP ${c.status}): ${m.slice(0, 160)}`, 'try again; if it persists, check the provider', retryAfterMs(c.retryAfter));
  }
  return new AiError('bad-response', `${where} answered HTTP ${c.status ?? '?'}: ${m.slice(0, 160)}`, 'check llm.* settings (`kai-tui config list`)');
}

/** A failure to reach the endpoint at all (refused, DNS, TLS, reset). */
export function unreachable(provider: string, endpoint: string, cause: unknown): AiError {
  const code = (cause as { code?: string; cause?: { code?: string } })?.cause?.code ?? (cause as { code?: string })?.code ?? '';
  // The server was reached but closed the connection: a cut answer, worth a retry.
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return new AiError('bad-response', `${provider} at ${endpoint} closed the connection mid-answer (${code})`, 'try again');
  }
  const settingKey = provider === 'ollama' ? 'llm.providers.ollama.host' : 'llm.providers.openai.baseURL';
  const start = provider === 'ollama' ? 'start Ollama (`ollama serve`) or ' : '';
  return new AiError('unreachable', `cannot reach ${provider} at ${endpoint}${code ? ` (${code})` : ''}`,
    `${start}set the address with \`kai-tui config set ${settingKey} URL\``);
}
