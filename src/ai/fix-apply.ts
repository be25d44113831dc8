/**
 * The correction loop behind `apply -f FILE|DIR --fix` (headless `do` and the palette): each
 * file is tried on its own (parse + the server's dry run, through the operations pipeline's
 * drafter); only the failing ones go to the model, up to two rounds each. The corrected copies
 * live in a temp dir; the originals are untouched. Nothing is executed here.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Assistant } from './assistant.js';
import type { PlanDrafter } from './tools/types.js';
import { fixManifest } from './fix-manifest.js';

const MAX_ROUNDS = 2;

export interface CorrectedSet {
  /** The temp dir with every file (corrected or not): what `apply -f` should read. */
  dir: string;
  /** Original path → corrected text, for the files the model fixed. */
  fixed: Map<string, string>;
  /** Notes of the model per fixed file. */
  notes: Map<string, string>;
  /** Set when a file still fails after the model's rounds (nothing should run). */
  failure?: string;
  cleanup(): void;
}

/** Why a single file fails on its own (undefined = it parses and dry-runs). */
async function problem(drafter: PlanDrafter, file: string): Promise<string | undefined> {
  try {
    const intent = await drafter.parse(`apply -f ${file}`);
    if (intent.type !== 'plan') return undefined;
    const p = await drafter.preview(intent.plan);
    return p.acceptable ? undefined : p.refusals.join('; ') || 'refused';
  } catch (e) {
    return (e as Error).message;
  }
}

export function manifestFiles(target: string, cwd = process.cwd()): string[] {
  const full = resolve(cwd, target);
  if (!existsSync(full)) throw new Error(`the path "${target}" does not exist`);
  return statSync(full).isDirectory() ? readdirSync(full).filter((x) => /\.(ya?ml|json)$/.test(x)).sort().map((x) => join(full, x)) : [full];
}

export async function correctManifests(
  files: string[], drafter: PlanDrafter, assistant: () => Assistant,
  log: (line: string) => void, signal?: AbortSignal,
): Promise<CorrectedSet> {
  const dir = mkdtempSync(join(tmpdir(), 'kai-fix-'));
  const set: CorrectedSet = { dir, fixed: new Map(), notes: new Map(), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  try {
    for (const file of files) {
      const copy = join(dir, basename(file));
      copyFileSync(file, copy);
      let why = await problem(drafter, copy);
      if (!why) { log(`${basename(file)}: valid (the model is not asked)`); continue; }
      for (let round = 1; why && round <= MAX_ROUNDS; round++) {
        log(`${basename(file)}: ${why.split('\n')[0]} — asking the assistant for a correction (round ${round})`);
        const fix = await fixManifest(assistant(), basename(file), readFileSync(copy, 'utf8'), why, signal);
        if (!fix.text) { log(`${basename(file)}: the assistant gave no corrected YAML`); break; }
        writeFileSync(copy, fix.text);
        why = await problem(drafter, copy);
        if (!why) { set.fixed.set(file, fix.text); set.notes.set(file, fix.notes); }
      }
      if (why) { set.failure = `${basename(file)} still fails after correction: ${why.split('\n')[0]}`; return set; }
    }
    return set;
  } catch (e) {
    set.cleanup();
    throw e;
  }
}
