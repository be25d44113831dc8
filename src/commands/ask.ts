/**
 * kai-tui ask "<question>" [--json] [-n NS] [--context NAME] [--model M] [--provider P]:
 * the assistant with its read-only tools, streaming to stdout. A plan the model proposes is
 * shown as its preview (server dry run) and never executed here.
 */
import { parseFlags, UsageError } from './args.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { loadSettings } from '../config/settings.js';
import { OpsSession, defaultPolicyDirs } from '../ops/session.js';
import { oneLine, renderPreview, safeJson } from '../ops/render.js';
import { Assistant } from '../ai/assistant.js';
import { AiError } from '../ai/providers/errors.js';
import { SessionStore } from '../ai/sessions.js';

export const HELP = `kai-tui ask "<question>" [options]

Answers a question about the cluster with the AI assistant and its read-only tools
(list, get, describe, events, logs, top, api-resources, CRD schemas). Changes it suggests
are shown as a previewed plan (server dry run) and never executed.

Options:
  --json                print { answer, toolCalls, usage, redacted } as JSON
  -n, --namespace NS    namespace the question is about
  --context NAME        kubeconfig context
  --kubeconfig FILE     kubeconfig file
  --model M             model for this run (overrides llm.model)
  --provider P          ollama or openai for this run (overrides llm.provider)
  -h, --help            this help

See docs/ai.md for providers, privacy and costs.`;

const FLAGS = {
  json: { type: 'boolean' }, namespace: { type: 'string', short: 'n' }, context: { type: 'string' }, kubeconfig: { type: 'string' },
  model: { type: 'string' }, provider: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Model and cluster text reaching a terminal: no control sequences (newlines and tabs kept). */
export const terminalSafe = (s: string) => s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (values.help) { console.log(HELP); return 0; }
  if (positionals.length !== 1 || !positionals[0]!.trim()) throw new UsageError('usage: kai-tui ask "<question>" [--json] [-n NS] [--context NAME] [--model M] (quote the question as one argument)');
  if (values.provider !== undefined && values.provider !== 'ollama' && values.provider !== 'openai') throw new UsageError(`--provider must be ollama or openai, got '${values.provider}'`);
  const json = values.json === true;
  const loaded = loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context, namespace: values.namespace });
  if (!loaded) { console.error('kai-tui: no kubeconfig found: pass --kubeconfig FILE or set KUBECONFIG'); return 1; }
  const ops = await OpsSession.open({ loaded, namespace: values.namespace, policyDirs: defaultPolicyDirs(undefined), readonly: true });
  const assistant = new Assistant({
    settings: loadSettings(), flags: { model: values.model, provider: values.provider }, loaded, kinds: ops.kinds, namespace: ops.namespace,
    drafter: { parse: (t) => ops.parse(t), preview: (p) => ops.preview(p) },
  });
  const ac = new AbortController();
  const started = new Map<string, string>();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await assistant.ask(positionals[0]!, {
      signal: ac.signal,
      onEvent: json ? undefined : (e) => {
        if (e.type === 'text') process.stdout.write(terminalSafe(e.text));
        else if (e.type === 'tool_start') started.set(e.id, oneLine(JSON.stringify(e.arguments)).slice(0, 120));
        else if (e.type === 'tool_end') process.stderr.write(`· ${e.name} ${started.get(e.id) ?? ''} ${e.ok ? '' : '(failed) '}${e.durationMs} ms, ${e.chars} chars\n`);
        else if (e.type === 'retry') process.stderr.write(`kai-tui: ${oneLine(e.message)}\n`);
      },
    });
    // Saved like a chat (kai-tui sessions list/show/export).
    try {
      const store = SessionStore.open();
      const sess = store.create(loaded.context, positionals[0]!);
      sess.model = result.usage.models[0];
      sess.turns.push({ at: new Date().toISOString(), question: positionals[0]!, answer: result.answer, toolCalls: result.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments, durationMs: c.durationMs })) });
      sess.messages = result.messages;
      store.save(sess);
    } catch { /* saving is a convenience; the answer stands */ }
    if (json) {
      console.log(safeJson({
        answer: result.answer,
        toolCalls: result.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments, durationMs: c.durationMs })),
        usage: result.usage,
        redacted: result.redacted,
        ...(result.proposals.length ? { plans: result.proposals.map((p) => ({ rationale: p.rationale, commands: p.commands, errors: p.errors, class: p.preview?.class, acceptable: p.preview?.acceptable ?? false, executed: false })) } : {}),
      }));
      return 0;
    }
    process.stdout.write('\n');
    for (const p of result.proposals) {
      console.log(`\nProposed plan (not executed): ${terminalSafe(p.rationale)}`);
      if (p.preview) console.log(renderPreview(p.preview, process.stdout.isTTY === true));
      for (const e of p.errors) console.log(`error: ${oneLine(e)}`);
      console.log(`To run it: kai-tui do "${oneLine(p.commands[0] ?? '')}"${p.commands.length > 1 ? ' (and the other commands)' : ''}, or confirm it in the cockpit's chat.`);
    }
    if (result.redacted) process.stderr.write(`kai-tui: ${result.redacted} secret value${result.redacted === 1 ? ' was' : 's were'} withheld from the model\n`);
    return 0;
  } catch (e) {
    if (e instanceof AiError) { console.error(`kai-tui: ${oneLine(e.line)}`); return 1; }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    ops.close();
  }
}
