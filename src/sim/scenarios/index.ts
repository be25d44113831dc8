/** Scenarios the embedded cluster can start with: `empty` and `demo`, plus `--pods N` bulk pods. */
import type { SimContext } from '../context.js';
import { addBulkPods } from './bulk.js';
import { loadDemo } from './demo.js';
import { loadEmpty } from './empty.js';

export type ScenarioName = 'demo' | 'empty';

export async function loadScenario(ctx: SimContext, name: ScenarioName, opts: { pods?: number; nodes?: number; kubeletVersion?: string } = {}): Promise<void> {
  if (name === 'demo') loadDemo(ctx, opts);
  else if (name === 'empty') loadEmpty(ctx, opts);
  else throw new Error(`unknown scenario "${String(name)}" (expected demo or empty)`);
  if (opts.pods) addBulkPods(ctx, opts.pods);
}
