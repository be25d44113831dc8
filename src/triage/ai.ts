/**
 * AI diagnosis on top of the rules. Filled in once the AI core (src/ai) has landed; until then `--ai`
 * says plainly that no model is available and the rule findings stand on their own.
 */
import type { Snapshot } from './snapshot.js';
import type { Finding } from './types.js';

export interface AiDiagnosis { text: string; confidence?: string; confirm?: string; model?: string }

export async function diagnoseWithAi(_s: Snapshot, _found: Finding[], warn: (line: string) => void): Promise<Map<Finding, AiDiagnosis>> {
  warn('kai-tui: --ai: no model is configured in this build yet (src/ai); showing the rule findings only');
  return new Map();
}
