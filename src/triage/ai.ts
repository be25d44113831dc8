/**
 * AI diagnosis on top of the rules: for a finding, the assistant (src/ai, read-only tools, everything
 * redacted) gets the rule's finding, its evidence bundle and the rule's explanation, and answers with the root
 * cause in plain words, a confidence and what would confirm it. With a plan drafter (the cockpit's operations
 * session) it may also call propose_plan: the plan goes to the preview pane, never executed here.
 */
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import type { Assistant } from '../ai/assistant.js';
import type { Proposal } from '../ai/tools/index.js';
import { evidenceFor, renderEvidence } from './evidence.js';
import { ruleText } from './explain.js';
import type { Snapshot } from './snapshot.js';
import { refText, type Finding } from './types.js';

export interface AiDiagnosis {
  /** The model's whole answer. */
  text: string;
  rootCause?: string;
  confidence?: string;
  confirm?: string;
  model?: string;
  proposals?: Proposal[];
}

/** The question for one finding: what the rules found, the evidence, and the answer format. */
export function diagnosisQuestion(s: Snapshot, f: Finding, wantPlan: boolean): string {
  const ev = renderEvidence(evidenceFor(s, f.object, { logLines: 15 }));
  return [
    `kai-tui's rules found a ${f.severity} problem (category ${f.category}) on ${refText(f.object)}: ${f.summary}`,
    'Rule evidence:', ...f.evidence.map((e) => `- ${e}`),
    ...(f.symptoms.length ? ['Symptoms grouped under it:', ...f.symptoms.map((x) => `- ${x.category} on ${refText(x.object)}: ${x.summary}`)] : []),
    'Evidence bundle:', ...ev,
    `How the rule reasons: ${ruleText(f.category)}`,
    '',
    'Diagnose the root cause. Use the read-only tools if the evidence is not enough. Answer with exactly these three lines first:',
    'Root cause: <one or two sentences in plain words>',
    'Confidence: <high|medium|low>',
    'Would confirm: <the one check that would confirm it>',
    wantPlan ? `Then, if a change fixes it, call propose_plan with the exact commands (fix ${refText(f.object)}, not its pods).` : 'Do not propose a plan.',
  ].join('\n');
}

export function parseDiagnosis(text: string): Pick<AiDiagnosis, 'rootCause' | 'confidence' | 'confirm'> {
  const line = (label: RegExp) => text.split('\n').map((l) => l.replace(/^[\s*#>-]+/, '').replace(/\*\*/g, '')).find((l) => label.test(l))?.replace(label, '').trim();
  const confidence = line(/^confidence\s*:\s*/i)?.toLowerCase().match(/high|medium|low/)?.[0];
  return { rootCause: line(/^root cause\s*:\s*/i), confidence, confirm: line(/^would confirm\s*:\s*/i) };
}

export async function diagnoseOne(assistant: Assistant, s: Snapshot, f: Finding, o: { signal?: AbortSignal; onText?: (t: string) => void; wantPlan?: boolean } = {}): Promise<AiDiagnosis> {
  const before = assistant.proposals.length;
  const r = await assistant.ask(diagnosisQuestion(s, f, o.wantPlan ?? false), {
    promptId: 'triage-diagnose', signal: o.signal, selection: refText(f.object),
    onEvent: (e) => { if (e.type === 'text') o.onText?.(e.text); },
  });
  return { text: r.answer, ...parseDiagnosis(r.answer), model: assistant.cfg.chain[0]?.model, proposals: assistant.proposals.slice(before) };
}

/** Headless `--ai`: the first `max` findings (most severe first), read-only tools, no plans. */
export async function diagnoseWithAi(loaded: LoadedKubeConfig, s: Snapshot, found: Finding[], warn: (line: string) => void, max = 5): Promise<Map<Finding, AiDiagnosis>> {
  const out = new Map<Finding, AiDiagnosis>();
  if (!found.length) return out;
  const { loadSettings } = await import('../config/settings.js');
  const { OpsSession, defaultPolicyDirs } = await import('../ops/session.js');
  const { Assistant } = await import('../ai/assistant.js');
  const ops = await OpsSession.open({ loaded, namespace: s.namespace, policyDirs: defaultPolicyDirs(undefined), readonly: true });
  try {
    const assistant = new Assistant({ settings: loadSettings(), loaded, kinds: ops.kinds, namespace: s.namespace ?? ops.namespace, readOnly: true });
    for (const f of found.slice(0, max)) {
      try {
        out.set(f, await diagnoseOne(assistant, s, f));
      } catch (e) {
        warn(`kai-tui: --ai: ${(e as Error).message.split('\n')[0]} (the rule findings stand)`);
        break;
      }
    }
    if (found.length > max) warn(`kai-tui: --ai: diagnosed the ${max} most severe findings of ${found.length}`);
  } finally {
    ops.close();
  }
  return out;
}

/**
 * The cockpit's diagnoser: one Assistant per cockpit (opened on first use) with the operations session as
 * its plan drafter, so propose_plan yields previewed plans the pulse pane hands to the preview pane.
 */
export function cockpitDiagnoser(o: { loaded: () => LoadedKubeConfig; namespace: () => string | undefined; readonly: boolean }): (s: Snapshot, f: Finding, onText: (t: string) => void, signal: AbortSignal) => Promise<AiDiagnosis> {
  let made: { context: string; assistant: Promise<Assistant> } | undefined;
  const open = async (loaded: LoadedKubeConfig): Promise<Assistant> => {
    const { loadSettings } = await import('../config/settings.js');
    const { OpsSession, defaultPolicyDirs } = await import('../ops/session.js');
    const { Assistant } = await import('../ai/assistant.js');
    const ops = await OpsSession.open({ loaded, namespace: o.namespace(), policyDirs: defaultPolicyDirs(process.env.KAI_TUI_POLICIES), readonly: o.readonly });
    return new Assistant({ settings: loadSettings(), loaded, kinds: ops.kinds, namespace: o.namespace() ?? ops.namespace, readOnly: o.readonly,
      drafter: { parse: (t) => ops.parse(t), preview: (p) => ops.preview(p) } });
  };
  return async (s, f, onText, signal) => {
    const loaded = o.loaded();
    if (!made || made.context !== loaded.context) made = { context: loaded.context, assistant: open(loaded) };
    const m = made;
    const assistant = await m.assistant.catch((e: Error) => { if (made === m) made = undefined; throw e; });
    return diagnoseOne(assistant, s, f, { signal, onText, wantPlan: !o.readonly });
  };
}
