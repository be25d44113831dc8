/**
 * Predicate checks ("all pods in shop are ready"): the model investigates with the read-only
 * tools and answers through report_verdict — true, false, or null when it cannot be
 * determined — with an explanation and its evidence. Exit codes follow vibectl's convention:
 * 0 true, 1 false, 2 cannot be determined, 3 error.
 */
import type { Assistant } from './assistant.js';
import type { AgentEvent } from './agent.js';
import { READ_TOOLS, type Tool } from './tools/index.js';

export interface Verdict { result: boolean | null; explanation: string; evidence: string[] }

export async function checkPredicate(a: Assistant, predicate: string, o: { signal?: AbortSignal; onEvent?: (e: AgentEvent) => void } = {}): Promise<Verdict> {
  let verdict: Verdict | undefined;
  const report: Tool = {
    modifies: false, timeoutMs: 1000,
    spec: {
      name: 'report_verdict',
      description: 'Report whether the predicate holds: result true/false, or null when it cannot be determined.',
      parameters: { type: 'object', properties: { result: { type: ['boolean', 'null'] }, explanation: { type: 'string' }, evidence: { type: 'array', items: { type: 'string' } } }, required: ['result', 'explanation'] },
    },
    async run(args) {
      const r = args.result;
      const result = r === true || r === 'true' ? true : r === false || r === 'false' ? false : null;
      verdict = { result, explanation: String(args.explanation ?? ''), evidence: Array.isArray(args.evidence) ? args.evidence.map(String) : [] };
      return 'recorded; end your answer now.';
    },
  };
  const r = await a.ask(predicate, { task: 'check', signal: o.signal, onEvent: o.onEvent, tools: [...READ_TOOLS, report] });
  return verdict ?? { result: null, explanation: r.answer.trim() || 'the model gave no verdict', evidence: [] };
}
