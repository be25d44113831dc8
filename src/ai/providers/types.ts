/**
 * The one small interface every model provider implements (kubectl-ai's split): list the
 * models it offers, and stream a chat that may ask for tool calls. Providers only talk to
 * the model; the agent loop (../agent.ts) runs tools and decides what happens next.
 */
export interface ToolCall { id: string; name: string; arguments: Record<string, unknown> }

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** On assistant messages: the tool calls it asked for. */
  toolCalls?: ToolCall[];
  /** On tool messages: which call this answers, and the tool's name. */
  toolCallId?: string;
  name?: string;
}

/** A tool as the model sees it: a name, what it does, and a JSON schema of its arguments. */
export interface ToolSpec { name: string; description: string; parameters: Record<string, unknown> }

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  signal?: AbortSignal;
}

export interface Usage {
  input: number;
  output: number;
  /** True when the provider did not report usage and it was estimated from lengths. */
  estimated: boolean;
}

export type ChatEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_calls'; calls: ToolCall[] }
  | { type: 'done'; usage: Usage; finish: string };

export interface ModelInfo {
  provider: string;
  name: string;
  /** Undefined when the provider does not say. */
  supportsTools?: boolean;
  contextLength?: number;
  details?: string;
}

export type ProviderKind = 'ollama' | 'openai';

export interface LlmProvider {
  readonly kind: ProviderKind;
  /** Where it talks to (shown in messages; never contains a key). */
  readonly endpoint: string;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  chat(req: ChatRequest): AsyncIterable<ChatEvent>;
}

/** ~4 characters a token: the estimate used when a provider reports no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
