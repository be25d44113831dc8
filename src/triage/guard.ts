/**
 * The healing guard: the same object is not "fixed" more than `maxFixes` times within
 * `windowMin` minutes (counted from the operations journal: every executed plan with a step on
 * it, and every GitOps commit made for it). Past the cap kai-tui says the object needs a human and stops proposing fixes for it —
 * a fix that keeps being undone by the cluster is not a fix.
 */
import type { Journal, Intervention } from '../ops/journal.js';
import { refKey, type ObjectRef } from './types.js';

export interface GuardSettings { maxFixes: number; windowMin: number }

export interface GuardState {
  /** Executed plans on the object within the window. */
  fixes: number;
  maxFixes: number;
  windowMin: number;
  status: 'ok' | 'needs-human';
  /** One line for a person. */
  line: string;
}

type JournalReader = Pick<Journal, 'operationsOn'> & Partial<Pick<Journal, 'interventionsOn'>>;

/** Detail prefix of the timeline entries a GitOps fix writes (its commit is a fix, though nothing ran live). */
export const GITOPS_MARK = 'gitops:';

export function healingGuard(journal: JournalReader, ref: ObjectRef, s: GuardSettings, now = Date.now()): GuardState {
  const since = new Date(now - s.windowMin * 60_000).toISOString();
  const commits = journal.interventionsOn?.(refKey(ref), 'execution', since).filter((i) => i.detail.startsWith(GITOPS_MARK)).length ?? 0;
  const fixes = journal.operationsOn(ref, since).length + commits;
  const status = fixes >= s.maxFixes ? 'needs-human' : 'ok';
  const what = `${ref.kind}/${ref.name}${ref.namespace ? ` -n ${ref.namespace}` : ''}`;
  const line = status === 'needs-human'
    ? `${what} was fixed ${fixes} times in the last ${s.windowMin} min (triage.healing.maxFixes = ${s.maxFixes}): it needs a human — no more fixes are proposed`
    : `${fixes} of ${s.maxFixes} fixes of ${what} used in the last ${s.windowMin} min`;
  return { fixes, maxFixes: s.maxFixes, windowMin: s.windowMin, status, line };
}

/** The object's intervention timeline (finding → diagnosis → plan → execution → verdict), oldest first. */
export function interventionTimeline(journal: Pick<Journal, 'timeline'>, ref: ObjectRef): Intervention[] {
  return journal.timeline(refKey(ref), ref);
}

export function timelineLines(items: Intervention[]): string[] {
  return items.map((i) => `${i.at.replace('T', ' ').slice(0, 19)}  ${i.stage.padEnd(9)}  ${i.detail}`);
}

/** The guard's settings from the user's settings, and the journal (the one `do` and the cockpit write). */
export async function guardContext(env: NodeJS.ProcessEnv = process.env): Promise<{ journal: Journal; settings: GuardSettings; close(): void }> {
  const [{ Journal: J }, { loadSettings }, { paths }] = await Promise.all([import('../ops/journal.js'), import('../config/settings.js'), import('../config/paths.js')]);
  const s = loadSettings(env);
  const journal = new J(paths(env).journal);
  return { journal, settings: { maxFixes: Number(s.get('triage.healing.maxFixes')), windowMin: Number(s.get('triage.healing.windowMin')) }, close: () => journal.close() };
}
