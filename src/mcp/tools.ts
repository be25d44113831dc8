/**
 * What `kai-tui mcp` offers: read-only tools, and propose_plan (plan → server dry-run preview
 * → stored with an id for a person to confirm). No tool executes anything: there is none.
 * Every answer is bounded (OUTPUT_BUDGET) and a Secret's values never leave in a preview.
 */
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import { OpsSession, defaultPolicyDirs } from '../ops/session.js';
import { renderPreview } from '../ops/render.js';
import type { PlanPreview } from '../ops/preview.js';
import { FleetMonitor } from '../fleet/monitor.js';
import type { PlanStore } from './plans.js';

/** JSON Schema of a tool's arguments (what tools/list shows). */
export interface JsonSchema { type: 'object'; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean }

export interface McpTool {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  /** True for every tool that reads; false only for propose_plan (it writes a proposal, never to a cluster). */
  readOnly: boolean;
  run(args: Record<string, unknown>, ctx: { client: string; signal: AbortSignal }): Promise<string>;
}

/** Characters of one answer; the tail is cut with a note (a model's context is not a log sink). */
export const OUTPUT_BUDGET = 24_000;

export function budget(text: string, max = OUTPUT_BUDGET): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… [cut: ${text.length - max} more characters; ask for less]`;
}

export interface ToolEnv {
  /** One loaded kubeconfig per context, the default (current) first. */
  contexts: LoadedKubeConfig[];
  store: PlanStore;
  readonly: boolean;
  /** The session's redactor (src/ai/redact.ts): every answer passes through it as a last net. */
  redact?: (text: string) => string;
}

const str = (v: unknown, name: string, required = false): string | undefined => {
  if (v === undefined || v === null || v === '') {
    if (required) throw new Error(`'${name}' is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new Error(`'${name}' must be a string`);
  return v;
};

function contextOf(env: ToolEnv, name: string | undefined): LoadedKubeConfig {
  if (!name) return env.contexts[0]!;
  const l = env.contexts.find((c) => c.context === name);
  if (!l) throw new Error(`no context "${name}" (have: ${env.contexts.map((c) => c.context).join(', ')})`);
  return l;
}

/** The preview as text, with a Secret's request body and diff withheld (its values stay on this machine). */
export function previewText(p: PlanPreview): string {
  const safe: PlanPreview = {
    ...p,
    steps: p.steps.map((s) => s.step.target.kind === 'Secret'
      ? { ...s, step: { ...s.step, request: { ...s.step.request, ...(s.step.request.body !== undefined ? { body: '(a Secret\'s body: withheld over MCP)' } : {}) } }, diff: [], before: undefined, after: undefined, dryRun: { ...s.dryRun, body: undefined },
        warnings: [...s.warnings, 'the diff of a Secret is not shown over MCP (review it in the cockpit or with kai-tui do --plan)'] }
      : s),
  };
  return renderPreview(safe, false);
}

export function fleetTools(env: ToolEnv): McpTool[] {
  const tools: McpTool[] = [
    {
      name: 'list_contexts',
      description: 'The kubeconfig contexts this server can read, with their cluster and default namespace; the first is the default for every tool.',
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      readOnly: true,
      run: async () => JSON.stringify(env.contexts.map((c, i) => ({ context: c.context, cluster: c.cluster, namespace: c.namespace, default: i === 0 })), null, 2),
    },
    {
      name: 'fleet_summary',
      description: 'Health of each context: reachability and API latency, server version, nodes ready/total, pods by health, CPU/memory use, top problems. Read-only.',
      inputSchema: { type: 'object', properties: { contexts: { type: 'array', items: { type: 'string' }, description: 'contexts to include (default: all)' } }, additionalProperties: false },
      readOnly: true,
      run: async (args) => {
        const names = Array.isArray(args.contexts) ? args.contexts.map((x) => String(x)) : undefined;
        const chosen = names?.length ? names.map((n) => contextOf(env, n)) : env.contexts;
        const m = new FleetMonitor(chosen, { connect: { discoveryTimeoutMs: 8000 } });
        try {
          m.start();
          await m.settled(10_000);
          await Promise.all(m.members.map((x) => x.metricsOnce()));
          return budget(JSON.stringify({ contexts: m.summaries() }, null, 2));
        } finally {
          await m.close();
        }
      },
    },
  ];
  if (!env.readonly) tools.push({
    name: 'plan_status',
    description: 'Whether a plan you proposed is still waiting for a person (proposed) or was executed. A person who declines it leaves it waiting.',
    inputSchema: { type: 'object', properties: { id: { type: 'string', description: 'the plan id propose_plan returned' } }, required: ['id'], additionalProperties: false },
    readOnly: true,
    run: async (args) => {
      const rec = env.store.load(str(args.id, 'id', true)!);
      return JSON.stringify({ id: rec.id, status: rec.status, context: rec.context, command: rec.command, class: rec.class, proposedAt: rec.createdAt }, null, 2);
    },
  }, {
    name: 'propose_plan',
    description: 'Turns a kubectl-like command (scale, rollout restart/undo, set image, label, annotate, patch, delete, cordon, drain, …) into a plan of exact API requests, dry-runs every step on the server and returns the preview and a plan id. It does NOT execute: a person runs `kai-tui do --plan ID` on a terminal (or `:plan ID` in the cockpit), sees the preview again and confirms. You cannot execute plans.',
    inputSchema: {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'e.g. "scale deployment/web -n shop --replicas=3"' },
        context: { type: 'string', description: 'kubeconfig context (default: the first of list_contexts)' },
      },
      required: ['command'],
      additionalProperties: false,
    },
    readOnly: false,
    run: async (args, ctx) => {
      const command = str(args.command, 'command', true)!;
      const loaded = contextOf(env, str(args.context, 'context'));
      const session = await OpsSession.open({ loaded, namespace: loaded.namespace, policyDirs: defaultPolicyDirs(process.env.KAI_TUI_POLICIES), mode: 'manual' });
      try {
        const intent = await session.parse(command);
        if (intent.type === 'show') throw new Error(`"${intent.verb}" only reads; use the read tools instead of a plan`);
        if (intent.type === 'undo') throw new Error('undo is for the person at the cockpit (kai-tui undo), not for a proposal');
        const preview = await session.preview(intent.plan);
        const rec = env.store.save({ by: ctx.client, context: loaded.context, kubeconfig: loaded.files, namespace: loaded.namespace, command, plan: intent.plan, class: preview.class });
        return budget((env.redact ?? ((x: string) => x))([
          `plan id: ${rec.id}`,
          `context: ${loaded.context}`,
          `status: proposed — not executed. A person confirms it with \`kai-tui do --plan ${rec.id}\` on a terminal, or \`:plan ${rec.id}\` in the kai-tui cockpit.`,
          preview.acceptable ? '' : 'note: as previewed it cannot be accepted (see "refused" below)',
          '',
          previewText(preview),
        ].filter((l, i) => l !== '' || i > 3).join('\n')));
      } finally {
        session.close();
      }
    },
  });
  return tools;
}
