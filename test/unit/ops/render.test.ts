import test from 'ava';
import { renderPreview, renderResults, renderHistory, safeJson, oneLine } from '../../../src/ops/render.js';
import { makeStep } from '../../../src/ops/commands/env.js';
import { newPlan } from '../../../src/ops/plan.js';
import type { PlanPreview } from '../../../src/ops/preview.js';

const EVIL = 'x\x1b[31mred\x1b]0;title\x07\u009b2J';
const target = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespace: 'a', name: 'c' };

test('cluster text never carries escape sequences to the terminal', (t) => {
  const step = makeStep({ title: `label ${EVIL}`, op: 'patch', target, request: { method: 'PATCH', path: '/api/v1/namespaces/a/configmaps/c', body: '{}' } });
  const preview: PlanPreview = {
    plan: newPlan(`label cm/c a=${EVIL}`, [step]), class: 'mutating', impact: [EVIL], warnings: [EVIL], violations: [], refusals: [EVIL], acceptable: false, previewedAt: '',
    steps: [{ step, dryRun: { ok: false, status: 422, message: EVIL }, diff: [{ op: '+', text: EVIL }], changes: false, impact: [EVIL], warnings: [EVIL] }],
  };
  for (const out of [renderPreview(preview, false), renderPreview(preview, true).replace(/\x1b\[[0-9;]*m/g, ''), oneLine(EVIL), safeJson({ m: EVIL })]) {
    t.false(/[\x1b\x07\u009b]/.test(out), JSON.stringify(out));
  }
  t.false(/\x1b/.test(renderResults({ results: [{ index: 0, title: EVIL, status: 'failed', message: EVIL }], ok: false, summary: 's' })));
  t.false(/\x1b/.test(renderHistory([{ id: 1, planId: 'p', source: EVIL, user: 'u', host: 'h', startedAt: 'now', status: 'failed', steps: [] }])));
  t.is(JSON.parse(safeJson({ m: EVIL })).m, EVIL);
});
