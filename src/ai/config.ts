/**
 * Which model answers: llm.* settings first; with none set, the ecosystem's own conventions
 * ($OPENAI_API_KEY / $OPENAI_BASE_URL → an OpenAI-compatible endpoint, $OLLAMA_HOST → Ollama);
 * otherwise a local Ollama at its default address. `--provider` / `--model` override one run.
 */
import type { Settings } from '../config/settings.js';
import { OllamaProvider } from './providers/ollama.js';
import { OpenAiProvider } from './providers/openai.js';
import type { LlmProvider, ProviderKind } from './providers/types.js';

export interface ModelRef { provider: LlmProvider; model: string }

export interface AiConfig {
  /** The model first, then the fallback chain. */
  chain: ModelRef[];
  /** Every configured provider (for `kai-tui models`). */
  providers: LlmProvider[];
  /** How the provider was chosen, for messages ("llm.provider", "$OPENAI_API_KEY", …). */
  source: string;
  temperature: number;
  maxRetries: number;
  timeoutMs: number;
  maxRounds: number;
  tokenBudget: number;
  cacheTtlSec: number;
  callsPerMinute: number;
  tokensPerDay: number;
  redact: boolean;
}

export interface AiFlags { provider?: string; model?: string }

const DEFAULT_MODEL: Record<ProviderKind, string> = { ollama: 'llama3.2', openai: 'gpt-4o-mini' };
const DEFAULT_OLLAMA = 'http://127.0.0.1:11434';

/** OLLAMA_HOST may be "host:port" or "0.0.0.0" without a scheme, as the ollama CLI accepts. */
export function normaliseOllamaHost(v: string): string {
  let h = v.trim();
  if (!/^https?:\/\//.test(h)) h = `http://${h}`;
  const u = new URL(h);
  if (u.hostname === '0.0.0.0') u.hostname = '127.0.0.1';
  if (!u.port && !v.includes(':443')) u.port = u.protocol === 'https:' ? '' : '11434';
  return u.toString().replace(/\/+$/, '');
}

export function resolveAiConfig(settings: Settings, env: NodeJS.ProcessEnv = process.env, flags: AiFlags = {}): AiConfig {
  const get = <T>(k: string) => settings.get(k) as T;
  const configured = new Set(settings.entries().filter((e) => !e.isDefault && e.def.key.startsWith('llm.')).map((e) => e.def.key));
  const explicit = ['llm.provider', 'llm.model', 'llm.providers.ollama.host', 'llm.providers.openai.baseURL', 'llm.providers.openai.apiKey'].some((k) => configured.has(k));

  let kind: ProviderKind;
  let source: string;
  if (flags.provider) {
    if (flags.provider !== 'ollama' && flags.provider !== 'openai') throw new Error(`--provider must be ollama or openai, got '${flags.provider}'`);
    kind = flags.provider; source = '--provider';
  } else if (explicit) {
    kind = configured.has('llm.provider') ? get<ProviderKind>('llm.provider')
      : configured.has('llm.providers.openai.baseURL') || configured.has('llm.providers.openai.apiKey') ? 'openai' : get<ProviderKind>('llm.provider');
    source = 'llm.provider';
  } else if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) {
    kind = 'openai'; source = env.OPENAI_BASE_URL ? '$OPENAI_BASE_URL' : '$OPENAI_API_KEY';
  } else if (env.OLLAMA_HOST) {
    kind = 'ollama'; source = '$OLLAMA_HOST';
  } else {
    kind = 'ollama'; source = 'default local Ollama';
  }

  const ollamaHost = configured.has('llm.providers.ollama.host') ? get<string>('llm.providers.ollama.host')
    : env.OLLAMA_HOST ? normaliseOllamaHost(env.OLLAMA_HOST) : DEFAULT_OLLAMA;
  const openaiBase = configured.has('llm.providers.openai.baseURL') ? get<string>('llm.providers.openai.baseURL')
    : env.OPENAI_BASE_URL || get<string>('llm.providers.openai.baseURL');
  const apiKey = get<string>('llm.providers.openai.apiKey') || env.OPENAI_API_KEY || '';
  const timeoutMs = get<number>('llm.timeoutMs');

  const made = new Map<ProviderKind, LlmProvider>();
  const provider = (k: ProviderKind): LlmProvider => {
    let p = made.get(k);
    if (!p) {
      p = k === 'ollama' ? new OllamaProvider(ollamaHost) : new OpenAiProvider({ baseURL: openaiBase, apiKey, timeoutMs });
      made.set(k, p);
    }
    return p;
  };

  const model = flags.model ?? (configured.has('llm.model') ? get<string>('llm.model') : DEFAULT_MODEL[kind]);
  const chain: ModelRef[] = [{ provider: provider(kind), model }];
  if (!flags.model) {
    for (const f of get<string[]>('llm.fallback')) {
      const m = /^(ollama|openai):(.+)$/.exec(f);
      chain.push(m ? { provider: provider(m[1] as ProviderKind), model: m[2]! } : { provider: provider(kind), model: f });
    }
  }
  return {
    chain, providers: [...made.values()], source,
    temperature: get<number>('llm.temperature'), maxRetries: get<number>('llm.maxRetries'), timeoutMs,
    maxRounds: get<number>('llm.maxRounds'), tokenBudget: get<number>('llm.tokenBudget'), cacheTtlSec: get<number>('llm.cacheTtlSec'),
    callsPerMinute: get<number>('llm.callsPerMinute'), tokensPerDay: get<number>('llm.tokensPerDay'), redact: get<boolean>('llm.redact'),
  };
}
