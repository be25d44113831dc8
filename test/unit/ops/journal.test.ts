import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Journal } from '../../../src/ops/journal.js';
import { makeStep } from '../../../src/ops/commands/env.js';
import { newPlan } from '../../../src/ops/plan.js';

const target = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespace: 'a', name: 'w' };
const step = makeStep({ title: 'scale', op: 'scale', target, request: { method: 'PATCH', path: '/apis/apps/v1/namespaces/a/deployments/w/scale', contentType: 'application/merge-patch+json', body: '{"spec":{"replicas":2}}' } });

test('records operations and steps with before-state and result', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'kai-')), 'journal.sqlite');
  const j = new Journal(file);
  const plan = newPlan('scale deploy/w --replicas=2', [step, step]);
  const op = j.beginOperation(plan, { context: 'ctx' });
  const s1 = j.beginStep(op, 0, step, { metadata: { name: 'w', resourceVersion: '7' }, spec: { replicas: 1 } });
  j.finishStep(s1, { index: 0, title: 'scale', status: 'succeeded', httpStatus: 200, response: { kind: 'Scale' } });
  j.finishOperation(op, 'succeeded', '1 succeeded of 1 step');
  const got = j.get(op)!;
  t.is(got.status, 'succeeded');
  t.is(got.context, 'ctx');
  t.is(got.steps[0]!.before.spec.replicas, 1);
  t.deepEqual(got.steps[0]!.request, step.request);
  t.is(got.steps[0]!.hash, step.hash);
  t.is(j.lastUndoable()!.id, op);
  j.close();
  // WAL mode and durability are set on the file.
  const db = new Database(file);
  t.is(db.pragma('journal_mode', { simple: true }), 'wal');
  t.throws(() => db.prepare('UPDATE operations SET source = ?').run('x'), { any: true, message: /append-only/ });
  t.throws(() => db.prepare('DELETE FROM step_starts').run(), { any: true, message: /append-only/ });
  db.close();
});

test('an operation without an end row from a dead process reads as interrupted; its open step as unknown', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'kai-')), 'journal.sqlite');
  const j = new Journal(file);
  const op = j.beginOperation(newPlan('x', [step]), {});
  j.beginStep(op, 0, step, undefined);
  j.close();
  // Pretend the writer was another, now dead process by giving the row a pid that cannot exist.
  const db = new Database(file);
  db.exec('DROP TRIGGER operations_no_update');
  db.prepare('UPDATE operations SET pid = 2147483646 WHERE id = ?').run(op);
  db.close();
  const j2 = new Journal(file);
  const got = j2.get(op)!;
  t.is(got.status, 'interrupted');
  t.is(got.steps[0]!.status, 'unknown');
  j2.close();
});

test('undo operations are not undone again by "undo"; undone operations are skipped', (t) => {
  const j = new Journal(join(mkdtempSync(join(tmpdir(), 'kai-')), 'j.sqlite'));
  const a = j.beginOperation(newPlan('first', [step]), {});
  j.finishStep(j.beginStep(a, 0, step, {}), { index: 0, title: 's', status: 'succeeded' });
  j.finishOperation(a, 'succeeded', '');
  const b = j.beginOperation(newPlan('second', [step]), {});
  j.finishStep(j.beginStep(b, 0, step, {}), { index: 0, title: 's', status: 'succeeded' });
  j.finishOperation(b, 'succeeded', '');
  t.is(j.lastUndoable()!.id, b);
  const u = j.beginOperation(newPlan('undo #2', [step], b), {});
  j.finishStep(j.beginStep(u, 0, step, {}), { index: 0, title: 's', status: 'succeeded' });
  j.finishOperation(u, 'succeeded', '');
  t.is(j.lastUndoable()!.id, a);
  t.is(j.get(b)!.undoneBy, u);
  t.is(j.list().length, 3);
  j.close();
});
