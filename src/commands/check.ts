/**
 * kai-tui check "<predicate>" [--json]: is it true? The assistant investigates with read-only
 * tools; exit 0 = true, 1 = false, 2 = cannot be determined, 3 = error (vibectl's convention).
 */
import { parseFlags, UsageError } from './args.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { loadSettings } from '../config/settings.js';
import { KubeRequester } from '../kube/request.js';
import { kindIndexFor } from '../ops/kinds.js';
import { oneLine, safeJson } from '../ops/render.js';
import { Assistant } from '../ai/assistant.js';
import { checkPredicate } from '../ai/check.js';
import { AiError } from '../ai/providers/errors.js';

export const HELP = `kai-tui check "<predicate>" [--json] [-n NS] [--context NAME] [--model M]

Decides a predicate about the cluster ("all pods in shop are ready", "the api deployment uses
image tag 2.1", "no pod restarted in the last 10 minutes") with the AI assistant's read-only
tools. Exit code: 0 true, 1 false, 2 cannot be determined, 3 error.
--json prints { "result": true|false|null, "explanation", "evidence": [...] }.`;

export async function run(argv: string[]): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, namespace: { type: 'string', short: 'n' }, context: { type: 'string' }, kubeconfig: { type: 'string' }, model: { type: 'string' }, provider: { type: 'string' }, help: { type: 'boolean', short: 'h' } }));
  } catch (e) {
    console.error(`kai-tui: ${(e as Error).message}`);
    return 3;
  }
  if (values.help) { console.log(HELP); return 0; }
  if (positionals.length !== 1 || !positionals[0]!.trim()) { console.error('kai-tui: usage: kai-tui check "<predicate>" [--json] (quote the predicate as one argument)'); return 3; }
  try {
    const loaded = loadKubeConfig({ kubeconfig: values.kubeconfig, context: values.context, namespace: values.namespace });
    if (!loaded) throw new UsageError('no kubeconfig found: pass --kubeconfig FILE or set KUBECONFIG');
    const kinds = await kindIndexFor(new KubeRequester(loaded));
    const a = new Assistant({ settings: loadSettings(), flags: { model: values.model, provider: values.provider }, loaded, kinds, namespace: values.namespace ?? loaded.namespace, readOnly: true });
    const v = await checkPredicate(a, positionals[0]!);
    if (values.json) console.log(safeJson(v));
    else {
      console.log(`${v.result === true ? 'true' : v.result === false ? 'false' : 'cannot be determined'}: ${oneLine(v.explanation)}`);
      for (const e of v.evidence) console.log(`  - ${oneLine(e)}`);
    }
    return v.result === true ? 0 : v.result === false ? 1 : 2;
  } catch (e) {
    const msg = e instanceof AiError ? e.line : (e as Error).message;
    if (values.json) console.log(safeJson({ result: null, explanation: `error: ${msg}`, evidence: [], error: true }));
    console.error(`kai-tui: ${oneLine(msg)}`);
    return 3;
  }
}
