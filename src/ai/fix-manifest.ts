/**
 * AI-corrected manifests: a file that failed (YAML error, unknown apiVersion/kind or field,
 * schema violation from the server's dry run) goes to the model with its error; the answer's
 * YAML block is the proposed correction. Validation and preview stay with the operations
 * pipeline — this only drafts text.
 */
import type { Assistant } from './assistant.js';
import { READ_TOOLS } from './tools/index.js';

export interface ManifestFix { text?: string; notes: string }

/** The first fenced YAML block of an answer (or undefined). */
export function yamlBlock(answer: string): string | undefined {
  return /```(?:ya?ml)?\s*\n([\s\S]*?)```/.exec(answer)?.[1];
}

export async function fixManifest(a: Assistant, file: string, text: string, error: string, signal?: AbortSignal): Promise<ManifestFix> {
  const tools = READ_TOOLS.filter((t) => t.spec.name === 'kube_api_resources' || t.spec.name === 'kube_crd_schema');
  const r = await a.ask(`File ${file} failed:\n${error}\n\nThe file:\n\`\`\`yaml\n${text}\n\`\`\``, { task: 'fix-manifest', tools, signal });
  const fixed = yamlBlock(r.answer);
  return { text: fixed, notes: r.answer.replace(/```(?:ya?ml)?\s*\n[\s\S]*?```/, '').trim() };
}
