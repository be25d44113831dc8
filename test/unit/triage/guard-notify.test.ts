import test from 'ava';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../src/ops/journal.js';
import { healingGuard, interventionTimeline } from '../../../src/triage/guard.js';
import { flavourOf, payload, postNotification, worthPosting } from '../../../src/triage/notify.js';
import { refKey, type Finding } from '../../../src/triage/types.js';
import type { Plan, Step } from '../../../src/ops/plan.js';

const ref = { kind: 'Deployment', namespace: 'shop', name: 'api' };

function journal(t: { teardown(fn: () => void): void }): Journal {
  const dir = mkdtempSync(join(tmpdir(), 'kai-guard-'));
  const j = new Journal(join(dir, 'journal.sqlite'));
  t.teardown(() => { j.close(); rmSync(dir, { recursive: true, force: true }); });
  return j;
}

function fix(j: Journal, name = 'api'): void {
  const target = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespace: 'shop', name };
  const step = { title: `rollout restart deployments/${name}`, op: 'patch', class: 'mutating', target, request: { method: 'PATCH', path: `/apis/apps/v1/namespaces/shop/deployments/${name}`, query: [] }, hash: 'h', objectPath: '/x', warnings: [] } as unknown as Step;
  const id = j.beginOperation({ id: 'p', source: 'test', steps: [step] } as unknown as Plan, { context: 'ctx' });
  const s = j.beginStep(id, 0, step, undefined);
  j.finishStep(s, { index: 0, title: step.title, status: 'succeeded', httpStatus: 200 });
  j.finishOperation(id, 'succeeded', '1 succeeded of 1 step');
}

test('the healing guard counts executed plans on the object in the window; past the cap it needs a human', (t) => {
  const j = journal(t);
  const s = { maxFixes: 2, windowMin: 60 };
  t.is(healingGuard(j, ref, s).status, 'ok');
  fix(j);
  fix(j, 'other');
  t.is(healingGuard(j, ref, s).fixes, 1, 'only plans on this object count');
  fix(j);
  const g = healingGuard(j, ref, s);
  t.is(g.status, 'needs-human');
  t.regex(g.line, /fixed 2 times in the last 60 min .*needs a human/);
  t.is(healingGuard(j, ref, s, Date.now() + 61 * 60_000).status, 'ok', 'fixes older than the window do not count');
});

test('the intervention timeline: recorded stages and the operations, in order', (t) => {
  const j = journal(t);
  j.recordIntervention(refKey(ref), 'finding', 'crashloop: api restarts', 'ctx');
  j.recordIntervention(refKey(ref), 'diagnosis', 'bad config (confidence high)', 'ctx');
  j.recordIntervention(refKey(ref), 'plan', 'rollout restart deploy/api -n shop', 'ctx');
  fix(j);
  const tl = interventionTimeline(j, ref);
  t.deepEqual(tl.map((x) => x.stage), ['finding', 'diagnosis', 'plan', 'execution', 'verdict']);
  t.regex(tl[4]!.detail, /succeeded/);
  // Append-only, like the rest of the journal.
  let code = '';
  try { (j as unknown as { db: { prepare(s: string): { run(): void } } }).db.prepare('DELETE FROM interventions').run(); } catch (e) { code = (e as { code?: string }).code ?? ''; }
  t.is(code, 'SQLITE_CONSTRAINT_TRIGGER');
});

const finding: Finding = {
  category: 'crashloop', severity: 'high', object: ref, summary: 'api restarts: password=hunter2-CANARY in its args',
  evidence: ['log: connecting with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.CANARYtoken.sig', 'restarts 7'], symptoms: [],
};

test('payloads follow the URL: Slack, Discord, generic; secrets are redacted', (t) => {
  t.is(flavourOf('https://hooks.slack.com/services/T/B/x'), 'slack');
  t.is(flavourOf('https://discord.com/api/webhooks/1/abc'), 'discord');
  t.is(flavourOf('http://127.0.0.1:9/hook'), 'generic');
  const slack = payload('https://hooks.slack.com/services/T/B/x', { type: 'finding', finding, context: 'prod' }) as { text: string; blocks: unknown[] };
  t.regex(slack.text, /\[high\] crashloop: .*Deployment\/api -n shop, context prod/);
  t.true(Array.isArray(slack.blocks));
  const discord = payload('https://discord.com/api/webhooks/1/abc', { type: 'finding', finding, context: 'prod' }) as { content: string; embeds: Array<{ description: string }> };
  t.regex(discord.content, /^kai-tui: /);
  const generic = payload('http://127.0.0.1:9/hook', { type: 'fix', context: 'prod', plan: 'rollout restart deploy/api', outcome: '1 succeeded', ok: true }) as Record<string, unknown>;
  t.deepEqual(Object.keys(generic).sort(), ['context', 'event', 'ok', 'outcome', 'plan', 'source']);
  for (const p of [slack, discord]) t.notRegex(JSON.stringify(p), /hunter2|CANARYtoken/);
  t.true(worthPosting(finding, 'high'));
  t.false(worthPosting({ ...finding, severity: 'medium' }, 'high'));
});

test('posted to a local receiver; a failing webhook is one line, not an exception', async (t) => {
  const got: string[] = [];
  const srv = http.createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => { got.push(b); res.writeHead(req.url === '/fail' ? 500 : 200).end('ok'); });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => srv.close());
  const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  t.is(await postNotification(`${base}/hook`, { type: 'finding', finding, context: 'prod' }), undefined);
  const body = JSON.parse(got[0]!);
  t.is(body.event, 'finding');
  t.is(body.category, 'crashloop');
  t.notRegex(got[0]!, /hunter2|CANARYtoken/);
  t.regex((await postNotification(`${base}/fail`, { type: 'finding', finding, context: 'prod' }))!, /webhook answered 500/);
  t.regex((await postNotification('http://127.0.0.1:1/none', { type: 'finding', finding, context: 'prod' }))!, /webhook not reached/);
});
