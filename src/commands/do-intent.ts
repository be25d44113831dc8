/**
 * `kai-tui do "<plain language>"`: the assistant drafts one plan (capability- and
 * pattern-aware, revised after dry-run errors, each draft shown), then the plan goes through
 * the same preview → confirm → execute → verify as a typed command — except that --yes and
 * auto mode never confirm a destructive plan the model drafted.
 */
import { loadSettings } from '../config/settings.js';
import { oneLine } from '../ops/render.js';
import { runPlan, type HeadlessFlags } from '../ops/headless.js';
import type { OpsSession } from '../ops/session.js';
import { Assistant } from '../ai/assistant.js';
import { draftIntent } from '../ai/intent.js';
import { AiError } from '../ai/providers/errors.js';

export async function runIntent(session: OpsSession, text: string, f: HeadlessFlags, flags: { model?: string; provider?: string }, why = 'not a command'): Promise<number> {
  const err = (s: string) => process.stderr.write(s + '\n');
  let assistant: Assistant;
  try {
    assistant = new Assistant({
      settings: loadSettings(), flags, loaded: session.opts.loaded, kinds: session.kinds, namespace: session.namespace,
      drafter: { parse: (t) => session.parse(t), preview: (p, raises) => session.preview(p, raises) },
    });
  } catch (e) {
    err(`kai-tui: ${oneLine((e as Error).message)}`);
    return 1;
  }
  if (!f.json) err(`kai-tui: "${oneLine(text)}" is ${why}; asking ${assistant.cfg.chain[0]!.provider.kind}:${assistant.cfg.chain[0]!.model} to draft a plan…`);
  let n = 0;
  try {
    const d = await draftIntent(assistant, text, {
      policyNames: session.policies.map((p) => p.name),
      onEvent: (e) => {
        if (f.json) return;
        if (e.type === 'proposal') {
          n++;
          const p = e.proposal;
          const state = !p.plan ? `no valid step (${p.errors.map(oneLine).join('; ')})` : p.preview?.acceptable ? 'dry-run OK' : `refused: ${oneLine(p.preview?.steps.find((s) => !s.dryRun.ok)?.dryRun.message ?? p.preview?.refusals.join('; ') ?? '')}`;
          err(`draft ${n}: ${p.commands.map((c) => oneLine(c.split('\n')[0]!)).join(' ; ')} — ${state}`);
        } else if (e.type === 'retry') err(`kai-tui: ${oneLine(e.message)}`);
      },
    });
    if (!d.proposal?.plan) {
      err(`kai-tui: the assistant drafted no plan for "${oneLine(text)}"${d.result.answer ? `: ${oneLine(d.result.answer).slice(0, 300)}` : ''}; nothing was executed`);
      return 1;
    }
    const notes = [`drafted by the AI assistant: ${oneLine(d.proposal.rationale)}`, ...d.proposal.errors.map((e) => `left out of the plan: ${oneLine(e)}`)];
    // The previewed plan carries the classes the model raised (a raise is never undone by re-previewing).
    return await runPlan(session, d.proposal.preview?.plan ?? d.proposal.plan, { ...f, drafted: true }, notes);
  } catch (e) {
    if (e instanceof AiError) { err(`kai-tui: ${oneLine(e.line)}`); return 1; }
    throw e;
  }
}
