import test from 'ava';
import { startTestSim } from '../support/sim.js';

// kubectl's generator commands send protobuf bodies; the sim decodes the kinds they create.
test('kubectl create <generator> (protobuf bodies) creates real objects', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  const k = async (args: string[]) => {
    const r = await c.kubectl(args);
    t.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  t.is(await k(['create', 'namespace', 'demo']), 'namespace/demo created');
  t.is(await k(['create', 'configmap', 'cfg', '-n', 'demo', '--from-literal=a=b']), 'configmap/cfg created');
  t.is(await k(['create', 'secret', 'generic', 'pw', '-n', 'demo', '--from-literal=password=hunter2']), 'secret/pw created');
  t.is(await k(['create', 'deployment', 'web', '-n', 'demo', '--image=nginx:1.27', '--replicas=2', '--port=80']), 'deployment.apps/web created');
  t.is(await k(['create', 'service', 'clusterip', 'web', '-n', 'demo', '--tcp=80:8080']), 'service/web created');
  t.is(await k(['create', 'job', 'once', '-n', 'demo', '--image=busybox:1.36', '--', 'echo', 'hi']), 'job.batch/once created');
  t.is(await k(['create', 'cronjob', 'every', '-n', 'demo', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--', 'date']), 'cronjob.batch/every created');
  t.is(await k(['create', 'serviceaccount', 'bot', '-n', 'demo']), 'serviceaccount/bot created');
  t.is(await k(['create', 'pdb', 'web', '-n', 'demo', '--selector=app=web', '--min-available=1']), 'poddisruptionbudget.policy/web created');
  t.is(await k(['create', 'ingress', 'web', '-n', 'demo', '--rule=shop.example/=web:80']), 'ingress.networking.k8s.io/web created');

  const api = c.sim.ctx.api;
  const d = api.get({ group: 'apps', resource: 'deployments' }, 'demo', 'web')!;
  t.is(d.spec.replicas, 2);
  t.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
  t.is(d.spec.template.spec.containers[0].image, 'nginx:1.27');
  t.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  t.is(d.spec.strategy.rollingUpdate.maxSurge, '25%');
  t.is(Buffer.from(api.get({ group: '', resource: 'secrets' }, 'demo', 'pw')!.data.password, 'base64').toString(), 'hunter2');
  t.deepEqual(api.get({ group: '', resource: 'configmaps' }, 'demo', 'cfg')!.data, { a: 'b' });
  const svc = api.get({ group: '', resource: 'services' }, 'demo', 'web')!;
  t.deepEqual(svc.spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
  t.deepEqual(api.get({ group: 'batch', resource: 'jobs' }, 'demo', 'once')!.spec.template.spec.containers[0].command, ['echo', 'hi']);
  t.is(api.get({ group: 'batch', resource: 'cronjobs' }, 'demo', 'every')!.spec.schedule, '*/5 * * * *');
  t.is(api.get({ group: 'networking.k8s.io', resource: 'ingresses' }, 'demo', 'web')!.spec.rules[0].http.paths[0].backend.service.port.number, 80);
  t.true(c.sim.requestLog.filter((e) => e.method === 'POST').every((e) => e.contentType === 'application/vnd.kubernetes.protobuf'));

  const can = await c.kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'demo']);
  t.is(can.stdout.trim(), 'yes', can.stderr);

  const dup = await c.kubectl(['create', 'namespace', 'demo']);
  t.is(dup.code, 1);
  t.regex(dup.stderr, /namespaces "demo" already exists/);
  const invalid = await c.kubectl(['create', 'deployment', 'Bad_Name', '-n', 'demo', '--image=nginx']);
  t.is(invalid.code, 1);
  t.regex(invalid.stderr, /is invalid/);
});

test('kubectl autoscale creates through autoscaling/v1; the HPA reads back as autoscaling/v2', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  t.is((await c.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27'])).code, 0);
  const r = await c.kubectl(['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=70']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), 'horizontalpodautoscaler.autoscaling/web autoscaled');
  t.true(c.sim.requestLog.some((e) => e.method === 'POST' && e.path === '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers'));
  const v2 = c.sim.ctx.api.get({ group: 'autoscaling', resource: 'horizontalpodautoscalers' }, 'default', 'web')!;
  t.is(v2.apiVersion, 'autoscaling/v2');
  t.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  const get = await c.kubectl(['get', 'hpa', 'web']);
  t.regex(get.stdout, /web\s+Deployment\/web\s+cpu: <unknown>\/70%\s+2\s+5\s+0/);
  const v1 = await c.kubectl(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'jsonpath={.spec.targetCPUUtilizationPercentage}']);
  t.is(v1.stdout, '70');
});
