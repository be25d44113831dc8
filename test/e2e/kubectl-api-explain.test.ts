/**
 * `kubectl explain` against the embedded cluster's OpenAPI v3 component schemas (Pod,
 * Deployment, Service and what they reference); `kubectl apply` still computes its patches
 * from compiled-in types (no requestBody published).
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

test('kubectl explain pod.spec / deployment strategy / service ports; apply unaffected', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', apiOnly: true });
  const ok = async (args: string[], input?: string) => {
    const r = await c.kubectl(args, { input, timeoutMs: 30_000 });
    t.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const spec = await ok(['explain', 'pod.spec']);
  t.regex(spec, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: spec <PodSpec>/);
  t.regex(spec, /\n  containers\t<\[\]Container> -required-\n/);
  t.regex(spec, /\n  nodeSelector\t<map\[string\]string>\n/);
  t.regex(await ok(['explain', 'pod.spec.containers.resources']), /\n  limits\t<map\[string\]Quantity>\n/);
  t.regex(await ok(['explain', 'deployment.spec.strategy.rollingUpdate']), /^GROUP:\s+apps\nKIND:\s+Deployment[\s\S]*\n  maxSurge\t<IntOrString>\n/);
  t.regex(await ok(['explain', 'svc.spec.ports.targetPort']), /FIELD: targetPort <IntOrString>/);

  const dep = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}", ports: [{containerPort: 80}]}]}
`;
  await ok(['apply', '-f', '-'], dep('nginx:1.27'));
  await ok(['apply', '-f', '-'], dep('nginx:1.28'));
  const patch = c.sim.requestLog.filter((e) => e.method === 'PATCH' && e.path.endsWith('/deployments/web')).pop();
  t.regex(patch?.contentType ?? '', /strategic-merge-patch/);
  t.regex(patch?.body ?? '', /\$setElementOrder\/containers/);
});
