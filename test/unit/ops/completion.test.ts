import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complete, commonPrefix } from '../../../src/ops/completion.js';
import { PaletteHistory } from '../../../src/ops/palette-history.js';
import { kindIndex } from './kinds-fixture.js';

const src = { kinds: kindIndex(), names: (k: string) => (k.startsWith('deploy') ? ['web', 'api', 'worker'] : k === 'nodes' ? ['node-1', 'node-2'] : []) };

test('completes verbs, sub-verbs, kinds, names and flags', (t) => {
  t.deepEqual(complete('sc', src).candidates, ['scale']);
  t.deepEqual(complete('rollout re', src).candidates, ['restart', 'resume']);
  t.true(complete('scale dep', src).candidates.includes('deployments'));
  t.deepEqual(complete('scale deploy w', src).candidates, ['web', 'worker']);
  t.deepEqual(complete('scale deploy/a', src), { from: 6, candidates: ['deploy/api'] });
  t.true(complete('scale deploy/web --rep', src).candidates.includes('--replicas='));
  t.deepEqual(complete('drain no', src).candidates, ['node-1', 'node-2']);
  t.is(commonPrefix(['node-1', 'node-2']), 'node-');
});

test('history persists, dedupes, and searches newest first', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'kai-')), 'h.json');
  const h = new PaletteHistory(file);
  h.add('scale deploy/web --replicas=2');
  h.add('delete pod/x');
  h.add('scale deploy/web --replicas=2');
  const h2 = new PaletteHistory(file);
  t.deepEqual(h2.all(), ['delete pod/x', 'scale deploy/web --replicas=2']);
  t.deepEqual(h2.matching('s'), ['scale deploy/web --replicas=2']);
});
