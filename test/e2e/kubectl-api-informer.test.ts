import test from 'ava';
import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { startTestSim } from '../support/sim.js';
import { pod, seed } from './kubectl-api-fixtures.js';

const pods = { group: '', resource: 'pods' };

test('client-node makeInformer sees ADDED, MODIFIED, DELETED and relists after a forced 410', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  seed(c.sim);
  const kc = new KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer(kc, '/api/v1/namespaces/shop/pods', () => core.listNamespacedPod({ namespace: 'shop' }));
  const log: string[] = [];
  const waiters: Array<{ re: RegExp; done: () => void }> = [];
  const note = (s: string) => {
    log.push(s);
    for (const w of [...waiters]) if (w.re.test(s)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.done();
    }
  };
  const until = (re: RegExp) => new Promise<void>((resolve, reject) => {
    if (log.some((s) => re.test(s))) return resolve();
    const timer = setTimeout(() => reject(new Error(`no ${re} in ${log.join(', ')}`)), 15_000);
    waiters.push({ re, done: () => (clearTimeout(timer), resolve()) });
  });
  informer.on('add', (p: V1Pod) => note(`add ${p.metadata!.name}`));
  informer.on('update', (p: V1Pod) => note(`update ${p.metadata!.name} ${p.metadata!.labels?.v ?? ''}`));
  informer.on('delete', (p: V1Pod) => note(`delete ${p.metadata!.name}`));
  informer.on('error', (e: unknown) => note(`error ${String(e)}`));
  await informer.start();
  t.teardown(() => informer.stop());
  await until(/^add frontend-1$/);

  const api = c.sim.ctx.api;
  api.create(pods, pod('shop', 'p1', 'node-a', { app: 'p' }, 'running', '10.244.0.50'));
  await until(/^add p1$/);
  const p1 = api.get(pods, 'shop', 'p1')!;
  p1.metadata.labels = { ...p1.metadata.labels, v: '2' };
  api.update(pods, p1);
  await until(/^update p1 2$/);
  c.sim.ctx.store.delete(pods, 'shop', 'p1');
  await until(/^delete p1$/);

  const lists = () => c.sim.requestLog.filter((e) => e.method === 'GET' && e.path === '/api/v1/namespaces/shop/pods' && !/watch=true/.test(e.query)).length;
  t.is(lists(), 1);
  // A change the informer does not watch moves the store on; compacting then makes its RV too old.
  api.create(pods, pod('default', 'elsewhere', 'node-a', { app: 'x' }, 'running', '10.244.0.51'));
  c.sim.ctx.store.compact();
  // Made while no watch is open: only the relist can reveal it.
  c.sim.dropWatches();
  c.sim.ctx.store.create(pods, pod('shop', 'p2', 'node-a', { app: 'p' }, 'running', '10.244.0.52'));
  await until(/^add p2$/);
  t.is(lists(), 2, 'the informer listed again after the 410');
  const watches = c.sim.requestLog.filter((e) => e.path === '/api/v1/namespaces/shop/pods' && /watch=true/.test(e.query));
  t.true(watches.length >= 2);
  t.false(log.some((s) => s.startsWith('error')), log.join(', '));
});
