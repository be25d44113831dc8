/**
 * The model's only way to change anything: `propose_plan`. Its commands are written in the
 * palette's command language and parsed by ops/commands into one Plan, which is dry-run on
 * the server and handed to the person for confirmation — never executed here. `dry_run`
 * does the same without proposing, so the model can validate an idea first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPlan, type Step } from '../../ops/plan.js';
import { renderPreview } from '../../ops/render.js';
import { headLines } from '../budget.js';
import { ToolInputError, type Proposal, type Tool, type ToolContext } from './types.js';

/** "apply -f -\n<manifest>" → the manifest in a private temp file, so the palette parser reads it. */
function withManifest<T>(command: string, fn: (text: string) => Promise<T>): Promise<T> {
  const m = /^\s*((?:apply|create)\b[^\n]*?-f\s+)-(\s[^\n]*)?\n([\s\S]+)$/.exec(command);
  if (!m) return fn(command.trim());
  const dir = mkdtempSync(join(tmpdir(), 'kai-ai-'));
  const file = join(dir, 'manifest.yaml');
  writeFileSync(file, m[3]!, { mode: 0o600 });
  return fn(`${m[1]}${file}${m[2] ?? ''}`).finally(() => rmSync(dir, { recursive: true, force: true }));
}

type Raise = { index: number; to: 'mutating' | 'destructive'; reason: string };

/** The model's risk ratings: [{ step, risk: low|medium|high, reason }] → class raises (high = destructive). */
function raisesOf(v: unknown): Raise[] {
  if (!Array.isArray(v)) return [];
  const out: Raise[] = [];
  for (const r of v) {
    const step = Number((r as { step?: unknown })?.step);
    const risk = String((r as { risk?: unknown })?.risk ?? '');
    if (!Number.isInteger(step) || step < 1) continue;
    if (risk === 'high') out.push({ index: step - 1, to: 'destructive', reason: `rated high risk by the assistant: ${String((r as { reason?: unknown }).reason ?? '')}` });
    else if (risk === 'medium') out.push({ index: step - 1, to: 'mutating', reason: `rated medium risk by the assistant: ${String((r as { reason?: unknown }).reason ?? '')}` });
  }
  return out;
}

export async function draft(ctx: ToolContext, rationale: string, commands: string[], risks?: unknown): Promise<Proposal> {
  if (!ctx.drafter) throw new ToolInputError('plans cannot be drafted here (no operations pipeline)');
  const steps: Step[] = [];
  const errors: string[] = [];
  for (const c of commands) {
    try {
      const intent = await withManifest(c, (t) => ctx.drafter!.parse(t));
      if (intent.type !== 'plan') errors.push(`${c.split('\n')[0]}: is read-only (${intent.type}); use the read tools for it`);
      else steps.push(...intent.plan.steps);
    } catch (e) {
      errors.push(`${c.split('\n')[0]}: ${(e as Error).message}`);
    }
  }
  const p: Proposal = { rationale, commands, errors };
  if (steps.length) {
    p.plan = newPlan(commands.map((c) => c.split('\n')[0]).join(' ; '), steps);
    const raises = raisesOf(risks).filter((r) => r.index < steps.length);
    p.preview = await ctx.drafter.preview(p.plan, raises.length ? raises : undefined);
  }
  return p;
}

function report(p: Proposal): string {
  const out: string[] = [];
  if (p.preview) out.push(renderPreview(p.preview, false));
  for (const e of p.errors) out.push(`error: ${e}`);
  return out.join('\n');
}

function commandsArg(args: Record<string, unknown>): string[] {
  const c = args.commands;
  const list = Array.isArray(c) ? c.map(String) : typeof c === 'string' ? [c] : [];
  if (list.length === 0) throw new ToolInputError("'commands' must be a non-empty list of palette commands");
  if (list.length > 50) throw new ToolInputError('at most 50 commands in one plan');
  return list;
}

const commandsSchema = { type: 'array', items: { type: 'string' }, description: 'Palette commands, e.g. "scale deploy/api --replicas 3 -n shop", "set image deploy/web app=nginx:1.27 -n shop", or "apply -f -" followed by a newline and a YAML manifest' };

export const dryRun: Tool = {
  modifies: false, timeoutMs: 30_000,
  spec: { name: 'dry_run', description: 'Validate changes with a server-side dry run (nothing is changed) and see the diff they would make.', parameters: { type: 'object', properties: { commands: commandsSchema }, required: ['commands'] } },
  async run(args, ctx) {
    const p = await draft(ctx, '', commandsArg(args));
    return headLines(ctx.redactor.text(report(p)), 8000);
  },
};

export const proposePlan: Tool = {
  modifies: false, timeoutMs: 30_000,
  spec: {
    name: 'propose_plan',
    description: 'Propose a change to the person. It is dry-run and shown in a preview; only the person can confirm and execute it. Use it for every change you suggest.',
    parameters: {
      type: 'object',
      properties: {
        rationale: { type: 'string', description: 'Why, in one or two sentences' },
        commands: commandsSchema,
        risks: { type: 'array', description: 'Your risk rating of each step (1-based): it can raise the safety class, never lower it', items: { type: 'object', properties: { step: { type: 'integer' }, risk: { type: 'string', enum: ['low', 'medium', 'high'] }, reason: { type: 'string' } }, required: ['step', 'risk', 'reason'] } },
      },
      required: ['rationale', 'commands'],
    },
  },
  async run(args, ctx) {
    const p = await draft(ctx, String(args.rationale ?? ''), commandsArg(args), args.risks);
    ctx.proposals.push(p);
    const state = p.plan ? (p.preview?.acceptable ? 'is shown to the person for confirmation (not executed)' : 'cannot be accepted as is (see the refusals); revise it') : 'has no valid step; revise the commands';
    return headLines(ctx.redactor.text(`The plan ${state}.\n${report(p)}`), 8000);
  },
};
