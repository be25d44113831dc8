/**
 * Every user setting, as a JSON Schema (draft 2020-12) with defaults and descriptions. The
 * schema is the single source: the flat key table, validation, `kai-tui config list` and
 * docs/config.md all follow from it. Secrets carry `x-secret` and live in their own file.
 */

export interface LeafSchema {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'array';
  description: string;
  default: unknown;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  /** For strings: a regular expression the value must match (when not empty). */
  pattern?: string;
  format?: 'uri';
  /** Lists of names, or lists of small records whose fields are all text (gitops.repos). */
  items?: { type: 'string' } | RecordItems;
  /** Stored in the owner-only secrets file and masked when printed. */
  'x-secret'?: boolean;
  /** Names from this folder of the config dir (user themes, keymaps) are allowed besides `enum`. */
  'x-user-files'?: 'themes' | 'keymaps';
}

export interface RecordItems {
  type: 'object';
  properties: Record<string, { type: 'string'; description: string }>;
  required: string[];
  additionalProperties: false;
}

export interface GroupSchema {
  type: 'object';
  description?: string;
  properties: Record<string, GroupSchema | LeafSchema>;
  additionalProperties: false;
}

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

export const SETTINGS_SCHEMA: GroupSchema & { $schema: string; title: string } = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'kai-tui settings',
  type: 'object',
  additionalProperties: false,
  properties: {
    ui: {
      type: 'object',
      description: 'The cockpit screen',
      additionalProperties: false,
      properties: {
        theme: { type: 'string', enum: ['dark', 'light', 'high-contrast'], default: 'dark', 'x-user-files': 'themes', description: 'Colour theme: a built-in one or a file <name>.yaml in the themes folder' },
        keymap: { type: 'string', enum: ['default', 'vim'], default: 'default', 'x-user-files': 'keymaps', description: 'Key bindings: a built-in keymap or a file <name>.yaml in the keymaps folder' },
        refreshMs: { type: 'integer', minimum: 16, maximum: 1000, default: 50, description: 'Frame interval in milliseconds: watch events are coalesced into one redraw per frame' },
        layout: { type: 'string', enum: ['browse', 'triage'], default: 'browse', description: 'Pane layout at start' },
        mouse: { type: 'boolean', default: true, description: 'Mouse clicks focus and select, the wheel scrolls' },
        allNamespaces: { type: 'boolean', default: false, description: 'Start with all namespaces instead of the context namespace' },
      },
    },
    kube: {
      type: 'object',
      description: 'Talking to clusters',
      additionalProperties: false,
      properties: {
        defaultNamespace: { type: 'string', pattern: DNS_LABEL, default: '', description: "Namespace to start in when the kubeconfig context names none ('' = default)" },
        requestTimeoutMs: { type: 'integer', minimum: 1000, maximum: 300_000, default: 30_000, description: 'Timeout of one API request (watches excepted)' },
        watchPageSize: { type: 'integer', minimum: 10, maximum: 5000, default: 500, description: 'Objects per page when listing a collection' },
      },
    },
    ops: {
      type: 'object',
      description: 'The operations pipeline (plan → preview → confirm → execute → verify)',
      additionalProperties: false,
      properties: {
        mode: { type: 'string', enum: ['manual', 'semiauto', 'auto'], default: 'manual', description: 'manual: confirm every plan; semiauto: confirm each step; auto: no confirmation (never for destructive steps unless chosen here)' },
        failFast: { type: 'boolean', default: false, description: 'Stop a plan at the first failed step instead of continuing with the rest' },
        readonly: { type: 'boolean', default: false, description: 'Hide and refuse every mutation (like --readonly)' },
        verifyTimeoutSec: { type: 'integer', minimum: 1, maximum: 3600, default: 120, description: 'How long verification waits for the outcome (rollout, readiness)' },
        maxApplyBytes: { type: 'integer', minimum: 1024, maximum: 1_073_741_824, default: 10_485_760, description: 'apply -f reads at most this many bytes in all (bigger input is refused before it is read)' },
        maxApplyDocs: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 10_000, description: 'apply -f takes at most this many documents' },
      },
    },
    llm: {
      type: 'object',
      description: 'The AI assistant',
      additionalProperties: false,
      properties: {
        provider: { type: 'string', enum: ['ollama', 'openai'], default: 'ollama', description: "Which provider answers: 'ollama' or 'openai' (any OpenAI-compatible endpoint)" },
        model: { type: 'string', default: 'llama3.2', description: 'Model name as the provider knows it' },
        fallback: { type: 'array', items: { type: 'string' }, default: [], description: "Models tried in order when the first one fails ('model' or 'provider:model'; comma-separated on the command line)" },
        timeoutMs: { type: 'integer', minimum: 1000, maximum: 600_000, default: 60_000, description: 'How long a model may stay silent (no token) before the call is abandoned and retried' },
        maxRounds: { type: 'integer', minimum: 1, maximum: 50, default: 8, description: 'Tool-call rounds the model may take for one question' },
        tokenBudget: { type: 'integer', minimum: 1000, maximum: 2_000_000, default: 60_000, description: 'Tokens (in + out) one question may spend across its rounds' },
        cacheTtlSec: { type: 'integer', minimum: 0, maximum: 604_800, default: 600, description: 'Identical requests (same model, prompt and redacted context) within this time are answered from the cache (0 = off)' },
        callsPerMinute: { type: 'integer', minimum: 0, maximum: 10_000, default: 0, description: 'At most this many model calls a minute (0 = no limit)' },
        tokensPerDay: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0, description: 'At most this many tokens a day across all calls (0 = no limit)' },
        temperature: { type: 'number', minimum: 0, maximum: 2, default: 0.2, description: 'Sampling temperature' },
        maxRetries: { type: 'integer', minimum: 0, maximum: 10, default: 3, description: 'Retries with back-off on overloaded or rate-limited answers' },
        redact: { type: 'boolean', default: true, description: 'Mask secrets, tokens and keys before anything is sent to a model' },
        providers: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ollama: {
              type: 'object',
              additionalProperties: false,
              properties: {
                host: { type: 'string', format: 'uri', default: 'http://127.0.0.1:11434', description: 'Ollama server address' },
              },
            },
            openai: {
              type: 'object',
              additionalProperties: false,
              properties: {
                baseURL: { type: 'string', format: 'uri', default: 'https://api.openai.com/v1', description: 'OpenAI-compatible endpoint (Azure OpenAI, LM Studio, vLLM, …)' },
                apiKey: { type: 'string', default: '', 'x-secret': true, description: 'API key (stored owner-only; $OPENAI_API_KEY is used when empty)' },
              },
            },
          },
        },
      },
    },
    triage: {
      type: 'object',
      description: 'Finding faults and fixing them',
      additionalProperties: false,
      properties: {
        healing: {
          type: 'object',
          description: 'The healing guard: an object is not "fixed" again and again',
          additionalProperties: false,
          properties: {
            maxFixes: { type: 'integer', minimum: 1, maximum: 100, default: 3, description: 'Fixes of one object within the window before kai-tui says it needs a human and stops proposing' },
            windowMin: { type: 'integer', minimum: 1, maximum: 10_080, default: 60, description: 'The window (minutes) the healing guard counts fixes in' },
          },
        },
        notify: {
          type: 'object',
          description: 'Posting findings and executed fixes to a chat webhook',
          additionalProperties: false,
          properties: {
            webhook: { type: 'string', format: 'uri', default: '', description: "Webhook URL ('' = off): Slack (hooks.slack.com) and Discord (discord.com/api/webhooks) payloads by the URL, else generic JSON" },
            minSeverity: { type: 'string', enum: ['critical', 'high', 'medium', 'low'], default: 'high', description: 'New findings at this severity or worse are posted' },
            fixes: { type: 'boolean', default: true, description: 'Post fixes executed from the pulse pane, with their outcome' },
          },
        },
      },
    },
    gitops: {
      type: 'object',
      description: 'Fixes to the Git source of objects Argo CD or Flux manage (docs/triage.md)',
      additionalProperties: false,
      properties: {
        repos: {
          type: 'array', default: [],
          items: { type: 'object', additionalProperties: false, required: ['match', 'path'], properties: {
            match: { type: 'string', description: 'Argo CD Application or Flux Kustomization name, or the repository URL' },
            path: { type: 'string', description: 'Local checkout of that repository' },
          } },
          description: 'Where the Git sources are checked out: a JSON list of {"match": app name or repo URL, "path": local checkout}',
        },
        push: { type: 'boolean', default: false, description: "Push the fix branch with the user's own git (and credentials); off: the branch stays local" },
        remote: { type: 'string', default: 'origin', description: 'The remote the fix branch is pushed to' },
      },
    },
  },
};

export interface SettingDef extends LeafSchema {
  key: string;
}

/** Every leaf as "a.b.c" → its schema, in schema order. */
export function settingDefs(schema: GroupSchema = SETTINGS_SCHEMA): SettingDef[] {
  const out: SettingDef[] = [];
  const walk = (g: GroupSchema, prefix: string) => {
    for (const [name, s] of Object.entries(g.properties)) {
      const key = prefix ? `${prefix}.${name}` : name;
      if (s.type === 'object') walk(s as GroupSchema, key);
      else out.push({ key, ...(s as LeafSchema) });
    }
  };
  walk(schema, '');
  return out;
}

export const SETTING_DEFS = settingDefs();
export const SETTING_KEYS = SETTING_DEFS.map((d) => d.key);

/** The typed shape of all settings (defaults filled in). */
export interface SettingsValues {
  ui: { theme: string; keymap: string; refreshMs: number; layout: 'browse' | 'triage'; mouse: boolean; allNamespaces: boolean };
  kube: { defaultNamespace: string; requestTimeoutMs: number; watchPageSize: number };
  ops: { mode: 'manual' | 'semiauto' | 'auto'; failFast: boolean; readonly: boolean; verifyTimeoutSec: number; maxApplyBytes: number; maxApplyDocs: number };
  triage: { healing: { maxFixes: number; windowMin: number }; notify: { webhook: string; minSeverity: 'critical' | 'high' | 'medium' | 'low'; fixes: boolean } };
  gitops: { repos: Array<{ match: string; path: string }>; push: boolean; remote: string };
  llm: {
    provider: 'ollama' | 'openai';
    model: string;
    fallback: string[];
    timeoutMs: number;
    maxRounds: number;
    tokenBudget: number;
    cacheTtlSec: number;
    callsPerMinute: number;
    tokensPerDay: number;
    temperature: number;
    maxRetries: number;
    redact: boolean;
    providers: { ollama: { host: string }; openai: { baseURL: string; apiKey: string } };
  };
}
