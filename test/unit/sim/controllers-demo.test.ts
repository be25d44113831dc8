import test from 'ava';
import { loadScenario } from '../../../src/sim/scenarios/index.js';
import { startHarness, until, GR } from './controllers-harness.js';

test('demo: Velero backups are named after their 02:00 UTC runs before now, and the Schedule agrees', async (t) => {
  const h = startHarness({ timeScale: 40 });
  t.teardown(() => h.stop());
  for (const ns of ['kube-node-lease', 'kube-public']) h.api.create(GR.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await loadScenario(h.ctx, 'demo');
  const backups = await until('backups', () => {
    const b = h.ctx.store.list({ group: 'velero.io', resource: 'backups' }, 'velero').items;
    return b.length === 2 ? b : undefined;
  });
  const runs = backups.map((b) => {
    const m = /^daily-(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(b.metadata.name!);
    t.truthy(m, b.metadata.name);
    return Date.UTC(Number(m![1]), Number(m![2]) - 1, Number(m![3]), Number(m![4]), Number(m![5]), Number(m![6]));
  }).sort();
  t.true(runs[1]! <= Date.now() && Date.now() - runs[1]! < 86_400_000);
  t.is(runs[1]! - runs[0]!, 86_400_000);
  const schedule = h.ctx.store.peek({ group: 'velero.io', resource: 'schedules' }, 'velero', 'daily')!;
  t.is(Date.parse(schedule.status.lastBackup), runs[1]);
});
