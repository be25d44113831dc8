/**
 * `kai-tui do "apply -f FILE|DIR" --fix`: files that fail (parse, unknown kind or field, the
 * server's dry run) are corrected by the assistant; valid files skip the model. The diff against
 * each original and the dry run of the whole corrected set are shown, then the usual confirm →
 * execute → verify (a model-drafted plan: --yes never confirms it when destructive).
 * `--write-fixes` writes the corrected files back once the plan has run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadSettings } from '../config/settings.js';
import { diffLines, renderDiff } from '../ops/diff.js';
import { oneLine } from '../ops/render.js';
import { runPlan, type HeadlessFlags } from '../ops/headless.js';
import type { OpsSession } from '../ops/session.js';
import { Assistant } from '../ai/assistant.js';
import { correctManifests, manifestFiles } from '../ai/fix-apply.js';
import { AiError } from '../ai/providers/errors.js';

export async function runApplyFix(session: OpsSession, target: string, f: HeadlessFlags & { writeFixes?: boolean }, flags: { model?: string; provider?: string }): Promise<number> {
  const err = (s: string) => process.stderr.write(s + '\n');
  const out = (s: string) => process.stdout.write(s + '\n');
  let files: string[];
  try { files = manifestFiles(target); } catch (e) { err(`kai-tui: ${(e as Error).message}`); return 1; }
  let assistant: Assistant | undefined;
  const make = () => (assistant ??= new Assistant({ settings: loadSettings(), flags, loaded: session.opts.loaded, kinds: session.kinds, namespace: session.namespace, readOnly: true }));
  let set: Awaited<ReturnType<typeof correctManifests>> | undefined;
  try {
    set = await correctManifests(files, { parse: (x) => session.parse(x), preview: (p) => session.preview(p) }, make, (l) => { if (!f.json) err(oneLine(l)); });
    const { fixed } = set;
    for (const [file, text] of fixed) {
      const notes = set.notes.get(file);
      out(`\n--- ${target === file ? file : join(target, basename(file))} (original)\n+++ corrected by the assistant${notes ? `: ${oneLine(notes).slice(0, 200)}` : ''}`);
      out(renderDiff(diffLines(readFileSync(file, 'utf8').split('\n'), text.split('\n')), process.stdout.isTTY === true));
    }
    if (set.failure) { err(`kai-tui: ${oneLine(set.failure)}; nothing was executed`); return 1; }
    const work = set.dir;
    const intent = await session.parse(`apply -f ${work}`);
    if (intent.type !== 'plan') return 0;
    const notes = fixed.size ? [`${fixed.size} file(s) corrected by the AI assistant (diffs above); the originals are unchanged${f.writeFixes ? ' until the plan has run' : ''}`] : [];
    const code = await runPlan(session, intent.plan, { ...f, drafted: fixed.size > 0 }, notes);
    if (code === 0 && f.writeFixes && !f.dryRun) {
      for (const [file, text] of fixed) writeFileSync(file, text);
      if (fixed.size) err(`wrote ${fixed.size} corrected file(s) back`);
    }
    return code;
  } catch (e) {
    if (e instanceof AiError) { err(`kai-tui: ${oneLine(e.line)}`); return 1; }
    throw e;
  } finally {
    set?.cleanup();
  }
}
