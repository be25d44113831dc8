/** The tool registry the agent offers, and how one call is run: timeout, cancellation, errors as text. */
import { cockpitState, kubeApiResources, kubeCrdSchema, kubeDescribe, kubeEvents, kubeGet, kubeList, kubeLogs, kubeTop } from './read.js';
import { dryRun, proposePlan } from './plan.js';
import { ToolInputError, type Tool, type ToolContext } from './types.js';

export type { Tool, ToolContext, Proposal, ClusterReader, PlanDrafter } from './types.js';

export const READ_TOOLS: Tool[] = [kubeList, kubeGet, kubeDescribe, kubeEvents, kubeLogs, kubeApiResources, kubeCrdSchema, kubeTop, cockpitState];
export const PLAN_TOOLS: Tool[] = [dryRun, proposePlan];

export function defaultTools(opts: { plans?: boolean } = {}): Tool[] {
  return opts.plans === false ? READ_TOOLS : [...READ_TOOLS, ...PLAN_TOOLS];
}

/** Runs one tool call; failures come back as text the model can read, never as a throw. */
export async function runTool(tools: Tool[], name: string, args: Record<string, unknown>, ctx: ToolContext): Promise<{ ok: boolean; result: string }> {
  const tool = tools.find((t) => t.spec.name === name);
  if (!tool) return { ok: false, result: `error: there is no tool '${name}'; available: ${tools.map((t) => t.spec.name).join(', ')}` };
  await ctx.prime?.().catch(() => undefined);
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => { ac.abort(); reject(new Error(`timed out after ${tool.timeoutMs / 1000} s`)); }, tool.timeoutMs); });
    const cancelled = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }));
    const result = await Promise.race([tool.run(args, { ...ctx, signal: ac.signal }), timeout, cancelled]);
    return { ok: !result.startsWith('error:'), result };
  } catch (e) {
    const why = e instanceof ToolInputError ? `bad arguments: ${e.message}` : (e as Error).message;
    return { ok: false, result: `error: ${name} failed: ${why}` };
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}
