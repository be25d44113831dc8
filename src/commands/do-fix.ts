/**
 * `kai-tui do "apply -f FILE|DIR" --fix`: files that fail (parse, unknown kind or field, the
 * server's dry run) are corrected by the assistant; valid files skip the model. The diff against
 * each original and the dry run of the whole corrected set are shown, then the usual confirm →
 * execute → verify (a model-drafted plan: --yes never confirms it when destructive).
 * `--write-fixes` writes the corrected files back once the plan has run.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { loadSettings } from '../config/settings.js';
import { diffLines, renderDiff } from '../ops/diff.js';
import { oneLine } from '../ops/render.js';
import { runPlan, type HeadlessFlags } from '../ops/headless.js';
import type { OpsSession } from '../ops/session.js';
import { Assistant } from '../ai/assistant.js';
import { fixManifest } from '../ai/fix-manifest.js';
import { AiError } from '../ai/providers/errors.js';

const MAX_ROUNDS = 2;

/** Why a single file fails on its own (undefined = it parses and dry-runs). */
async function problem(session: OpsSession, file: string): Promise<string | undefined> {
  try {
    const intent = await session.parse(`apply -f ${file}`);
    if (intent.type !== 'plan') return undefined;
    const p = await session.preview(intent.plan);
    return p.acceptable ? undefined : p.refusals.join('; ') || 'refused';
  } catch (e) {
    return (e as Error).message;
  }
}

export async function runApplyFix(session: OpsSession, target: string, f: HeadlessFlags & { writeFixes?: boolean }, flags: { model?: string; provider?: string }): Promise<number> {
  const err = (s: string) => process.stderr.write(s + '\n');
  const out = (s: string) => process.stdout.write(s + '\n');
  const full = resolve(process.cwd(), target);
  if (!existsSync(full)) { err(`kai-tui: the path "${target}" does not exist`); return 1; }
  const files = statSync(full).isDirectory() ? readdirSync(full).filter((x) => /\.(ya?ml|json)$/.test(x)).sort().map((x) => join(full, x)) : [full];
  const work = mkdtempSync(join(tmpdir(), 'kai-fix-'));
  try {
    let assistant: Assistant | undefined;
    const fixed = new Map<string, string>();
    for (const file of files) {
      const copy = join(work, basename(file));
      copyFileSync(file, copy);
      let why = await problem(session, copy);
      if (!why) { if (!f.json) err(`${basename(file)}: valid (the model is not asked)`); continue; }
      assistant ??= new Assistant({ settings: loadSettings(), flags, loaded: session.opts.loaded, kinds: session.kinds, namespace: session.namespace, readOnly: true });
      for (let round = 1; why && round <= MAX_ROUNDS; round++) {
        if (!f.json) err(`${basename(file)}: ${oneLine(why)} — asking the assistant for a correction (round ${round})`);
        const fix = await fixManifest(assistant, basename(file), readFileSync(copy, 'utf8'), why);
        if (!fix.text) { err(`${basename(file)}: the assistant gave no corrected YAML`); break; }
        writeFileSync(copy, fix.text);
        why = await problem(session, copy);
        if (!why) {
          fixed.set(file, fix.text);
          out(`\n--- ${target === file ? file : join(target, basename(file))} (original)\n+++ corrected by the assistant${fix.notes ? `: ${oneLine(fix.notes).slice(0, 200)}` : ''}`);
          out(renderDiff(diffLines(readFileSync(file, 'utf8').split('\n'), fix.text.split('\n')), process.stdout.isTTY === true));
        }
      }
      if (why) { err(`kai-tui: ${basename(file)} still fails after correction: ${oneLine(why)}; nothing was executed`); return 1; }
    }
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
    rmSync(work, { recursive: true, force: true });
  }
}
