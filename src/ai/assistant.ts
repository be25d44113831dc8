/**
 * One assistant over one cluster context: the model chain, the ledger and cache, a session
 * redactor, the tool context (GET-only reads, and the operations pipeline for previews), and
 * `ask()`, which composes the prompts and runs the agent. Used by `kai-tui ask`, the chat pane,
 * triage diagnosis and the MCP server.
 */
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import { KubeRequester } from '../kube/request.js';
import type { KindIndex } from '../ops/kinds.js';
import type { Settings } from '../config/settings.js';
import { runAgent, type AgentEvent, type AgentResult } from './agent.js';
import { ResponseCache } from './cache.js';
import { resolveAiConfig, type AiConfig, type AiFlags } from './config.js';
import { fill, loadPrompt, promptDirs, type PromptDirs } from './prompts.js';
import type { ChatMessage } from './providers/types.js';
import { Redactor } from './redact.js';
import { defaultTools, type ClusterReader, type PlanDrafter, type Proposal, type Tool, type ToolContext } from './tools/index.js';
import { UsageLedger } from './usage.js';

/** GET-only view of a requester: the AI cannot send anything but reads. */
export function readerOf(client: KubeRequester): ClusterReader {
  return {
    async get(path, query) {
      const res = await client.request({ method: 'GET', path, query });
      return { status: res.status, json: res.json, text: res.text };
    },
  };
}

export interface AssistantOptions {
  settings: Settings;
  env?: NodeJS.ProcessEnv;
  flags?: AiFlags;
  loaded: LoadedKubeConfig;
  kinds: KindIndex;
  namespace: string;
  /** parse + preview of the operations pipeline (an OpsSession); without it plans can't be drafted. */
  drafter?: PlanDrafter;
  shellTranscript?: () => string | undefined;
  forwards?: () => unknown;
  promptDirs?: PromptDirs;
  /** Read-only tools only (no propose_plan / dry_run). */
  readOnly?: boolean;
  backoffMs?: number;
}

export interface AskOptions {
  /** One line about what is selected in the cockpit. */
  selection?: string;
  memory?: string;
  signal?: AbortSignal;
  onEvent?: (e: AgentEvent) => void;
  /** Earlier turns of this conversation. */
  history?: ChatMessage[];
  /** The ledger's prompt id (defaults to the task, else 'system'). */
  promptId?: string;
  /** A prompt appended to the system prompt for this task ('intent', 'check', …). */
  task?: string;
  /** More context for the user message (capabilities, patterns…), redacted like the rest. */
  extraContext?: string;
  /** Tools to offer instead of the assistant's own. */
  tools?: Tool[];
}

export class Assistant {
  readonly cfg: AiConfig;
  readonly ledger: UsageLedger;
  readonly cache: ResponseCache;
  readonly redactor: Redactor;
  readonly ctx: ToolContext;
  readonly tools: Tool[];

  constructor(readonly o: AssistantOptions) {
    const env = o.env ?? process.env;
    this.cfg = resolveAiConfig(o.settings, env, o.flags);
    this.ledger = UsageLedger.open(env);
    this.cache = ResponseCache.open(this.cfg.cacheTtlSec, env);
    this.redactor = new Redactor(this.cfg.redact);
    this.tools = defaultTools({ plans: !o.readOnly && !!o.drafter });
    this.ctx = {
      cluster: readerOf(new KubeRequester(o.loaded)), kinds: o.kinds, namespace: o.namespace, context: o.loaded.context,
      redactor: this.redactor, drafter: o.drafter, shellTranscript: o.shellTranscript, forwards: o.forwards, proposals: [],
      prime: () => (this.primed ??= this.learnSecrets()),
    };
  }

  private primed?: Promise<void>;

  /**
   * Reads the Secrets this user may read (all namespaces, else the current one) so their
   * values are withheld wherever they show up later — in logs, events or specs, in any
   * encoding. They are read locally and never sent.
   */
  private async learnSecrets(): Promise<void> {
    if (!this.cfg.redact) return;
    for (const path of ['/api/v1/secrets', `/api/v1/namespaces/${encodeURIComponent(this.ctx.namespace)}/secrets`]) {
      const res = await this.ctx.cluster.get(path, [['limit', '2000']]).catch(() => undefined);
      if (res && res.status < 300) {
        for (const s of res.json?.items ?? []) this.redactor.learnSecret(s);
        return;
      }
    }
  }

  get provider(): string { return this.cfg.chain[0]!.provider.kind; }

  systemPrompt(task?: string): string {
    const dirs = this.o.promptDirs ?? promptDirs(this.o.env);
    const base = loadPrompt('system', this.provider, dirs).text;
    return task ? `${base}\n\n${loadPrompt(task, this.provider, dirs).text}` : base;
  }

  /** The user message: the context template filled, everything from the cluster redacted. */
  userMessage(question: string, a: AskOptions = {}): string {
    const tpl = loadPrompt('context', this.provider, this.o.promptDirs ?? promptDirs(this.o.env)).text;
    return fill(tpl, {
      context: this.o.loaded.context, namespace: this.ctx.namespace,
      selection: this.redactor.text(a.selection ?? ''), memory: this.redactor.text(a.memory ?? ''), question: this.redactor.text(question),
    });
  }

  async ask(question: string, a: AskOptions = {}): Promise<AgentResult> {
    const extra = a.extraContext ? `\n\n${this.redactor.text(a.extraContext)}` : '';
    const messages: ChatMessage[] = [...(a.history ?? []), { role: 'user', content: this.userMessage(question, a) + extra }];
    return runAgent({
      cfg: this.cfg, system: this.systemPrompt(a.task), messages, tools: a.tools ?? this.tools, ctx: this.ctx, promptId: a.promptId ?? a.task ?? 'system',
      signal: a.signal, onEvent: a.onEvent, ledger: this.ledger, cache: this.cache, backoffMs: this.o.backoffMs,
    });
  }

  get proposals(): Proposal[] { return this.ctx.proposals; }
}
