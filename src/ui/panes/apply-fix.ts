/**
 * `apply -f FILE|DIR --fix` typed in the palette: the files that fail go to the assistant
 * (src/ai/fix-apply.ts), and the corrected set is previewed like any plan — the notes carry
 * each file's diff against its original. Nothing runs before the person confirms; the
 * originals stay as they are (`kai-tui do … --fix --write-fixes` writes corrections back).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { OpsHost } from '../host.js';
import type { OpsSession } from '../../ops/session.js';
import { diffLines, renderDiff } from '../../ops/diff.js';

const DIFF_LINES = 60;

export function isApplyFix(cmd: string): boolean {
  return /^apply\s/.test(cmd) && /(^|\s)--fix(\s|$)/.test(cmd);
}

export async function applyWithFixes(app: OpsHost, cmd: string, session: OpsSession): Promise<void> {
  const words = cmd.split(/\s+/);
  if (words.includes('--write-fixes')) { app.message('apply --fix: --write-fixes is for kai-tui do (the cockpit never rewrites your files)', 'error'); return; }
  const at = words.findIndex((w) => w === '-f' || w === '--filename');
  const target = at >= 0 ? words[at + 1] : words.find((w) => w.startsWith('--filename='))?.slice(11);
  if (!target) { app.message('apply --fix: name the file or folder with -f', 'error'); return; }
  const [{ correctManifests, manifestFiles }, { Assistant }, { loadSettings }] = await Promise.all([
    import('../../ai/fix-apply.js'), import('../../ai/assistant.js'), import('../../config/settings.js'),
  ]);
  let files: string[];
  try { files = manifestFiles(target); } catch (e) { app.message(`apply --fix: ${(e as Error).message}`, 'error'); return; }
  let assistant: InstanceType<typeof Assistant> | undefined;
  const make = () => (assistant ??= new Assistant({ settings: loadSettings(), loaded: app.loaded, kinds: session.kinds, namespace: session.namespace, readOnly: true }));
  const set = await correctManifests(files, { parse: (x) => session.parse(x), preview: (p) => session.preview(p) }, make, (line) => app.message(line));
  try {
    if (set.failure) { app.message(`apply --fix: ${set.failure}; nothing was run`, 'error'); return; }
    const intent = await session.parse(`apply -f ${set.dir}`);
    if (intent.type !== 'plan') return;
    const notes: string[] = [];
    for (const [file, text] of set.fixed) {
      const why = set.notes.get(file);
      notes.push(`${basename(file)} corrected by the AI assistant${why ? `: ${why.split('\n')[0]!.slice(0, 160)}` : ''} (your file is unchanged)`);
      const diff = renderDiff(diffLines(readFileSync(file, 'utf8').split('\n'), text.split('\n')), false).split('\n');
      notes.push(...diff.slice(0, DIFF_LINES).map((l) => `  ${l}`));
      if (diff.length > DIFF_LINES) notes.push(`  … ${diff.length - DIFF_LINES} more diff lines`);
    }
    if (!set.fixed.size) notes.push('every file is valid: the assistant was not asked');
    await app.reviewPlan?.(`apply -f ${target} (${set.fixed.size} corrected by the AI assistant)`, intent.plan, notes);
  } finally {
    set.cleanup();
  }
}
