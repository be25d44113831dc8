/**
 * The palette's command language: kubectl-like text → an intent. Mutating commands become a
 * Plan (exact requests); read-only ones (get, describe, logs, top, events, explain) become a
 * "show" intent the cockpit navigates to; `undo [ID]` asks for the inverse of a journal entry.
 */
import { newPlan, type Plan, type Step } from '../plan.js';
import { OpsInputError } from './errors.js';
import { tokenize } from './tokens.js';
import type { OpsEnv } from './env.js';
import { labelOrAnnotate, patch, rollout, scale, set } from './workload.js';
import { applyOrCreate } from './files.js';
import { del } from './delete.js';
import { cordon, drain } from './nodes.js';
import { autoscale, edit, expose } from './generate.js';

export { OpsInputError } from './errors.js';
export type { OpsEnv, MarkedRow } from './env.js';

export type Intent =
  | { type: 'plan'; plan: Plan }
  | { type: 'show'; verb: ReadVerb; args: string[]; text: string }
  | { type: 'undo'; id?: number };

export const READ_VERBS = ['get', 'describe', 'logs', 'top', 'events', 'explain'] as const;
export type ReadVerb = typeof READ_VERBS[number];

type Builder = (env: OpsEnv, rest: string[]) => Promise<Step[]>;

export const BUILDERS: Record<string, Builder> = {
  scale,
  rollout,
  set,
  label: (env, r) => labelOrAnnotate(env, r, 'label'),
  annotate: (env, r) => labelOrAnnotate(env, r, 'annotate'),
  patch,
  apply: (env, r) => applyOrCreate(env, r, 'apply'),
  create: (env, r) => applyOrCreate(env, r, 'create'),
  delete: del,
  cordon: (env, r) => cordon(env, r, true),
  uncordon: (env, r) => cordon(env, r, false),
  drain,
  edit,
  expose,
  autoscale,
};

/** Every verb the palette knows (completion). */
export const VERBS = [...Object.keys(BUILDERS), ...READ_VERBS, 'undo'].sort();

/** Flags each verb accepts (completion). */
export const VERB_FLAGS: Record<string, string[]> = {
  scale: ['--replicas=', '-l'], rollout: ['restart', 'undo', 'pause', 'resume', '--to-revision='],
  set: ['image', 'env', 'resources', '--limits=', '--requests=', '-c'], label: ['--overwrite', '-l'], annotate: ['--overwrite', '-l'],
  patch: ['--type=json', '--type=merge', '--type=strategic', '-p'], apply: ['-f', '-k'], create: ['-f'],
  delete: ['-l', '--all', 'marked', '--cascade=', '--grace-period='], drain: ['--ignore-daemonsets', '--delete-emptydir-data', '--force'],
  expose: ['--port=', '--target-port=', '--type=', '--name='], autoscale: ['--min=', '--max=', '--cpu-percent='],
};

export async function parseCommand(text: string, env: OpsEnv): Promise<Intent> {
  let tokens = tokenize(text.trim());
  if (tokens[0] === 'kubectl' || tokens[0] === 'k') tokens = tokens.slice(1);
  const [verb, ...rest] = tokens;
  if (!verb) throw new OpsInputError('type a command, e.g. "scale deploy/web --replicas=3"');
  if ((READ_VERBS as readonly string[]).includes(verb)) return { type: 'show', verb: verb as ReadVerb, args: rest, text };
  if (verb === 'undo') {
    if (rest.length > 1 || (rest[0] !== undefined && !/^\d+$/.test(rest[0]))) throw new OpsInputError('undo: give nothing (the last operation) or an operation number from history');
    return rest[0] === undefined ? { type: 'undo' } : { type: 'undo', id: Number(rest[0]) };
  }
  const build = BUILDERS[verb];
  if (!build) throw new OpsInputError(`unknown command "${verb}" (known: ${VERBS.join(', ')})`);
  const steps = await build(env, rest);
  if (steps.length === 0) throw new OpsInputError(`${verb}: nothing to do`);
  return { type: 'plan', plan: newPlan(text.trim(), steps) };
}
