import test from 'ava';
import https from 'node:https';
import { startTestSim, type TestSim } from '../support/sim.js';

interface Reply { status: number; body: string; json?: Record<string, unknown> }

function call(c: TestSim, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}, auth = true): Promise<Reply> {
  const u = new URL(path, c.sim.url);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, ca: c.sim.caPem,
      headers: { ...(auth ? { Authorization: `Bearer ${c.sim.token}` } : {}), 'Content-Type': 'application/json', ...headers },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text);
        } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const isStatus = (r: Reply, code: number, reason: string) => r.status === code && r.json?.kind === 'Status' && r.json?.code === code && r.json?.reason === reason;

test('malformed requests get Status errors and the server keeps serving', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  const cms = '/api/v1/namespaces/default/configmaps';

  const noAuth = await call(c, 'GET', '/api/v1/pods', undefined, {}, false);
  t.true(isStatus(noAuth, 401, 'Unauthorized'), noAuth.body);

  const badJson = await call(c, 'POST', cms, '{"apiVersion":"v1","kind":"ConfigMap",');
  t.true(isStatus(badJson, 400, 'BadRequest'), badJson.body);

  const unknown = await call(c, 'GET', '/api/v1/namespaces/default/widgets');
  t.true(isStatus(unknown, 404, 'NotFound'), unknown.body);
  const unknownGroup = await call(c, 'GET', '/apis/nope.example.com/v1/things');
  t.is(unknownGroup.status, 404);

  const badName = await call(c, 'POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'UPPER..case' } }));
  t.true(isStatus(badName, 422, 'Invalid'), badName.body);
  t.is((badName.json!.details as { causes: Array<{ field: string }> }).causes[0]!.field, 'metadata.name');

  const noName = await call(c, 'POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }));
  t.true(isStatus(noName, 422, 'Invalid'), noName.body);

  const wrongKind = await call(c, 'POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }));
  t.true(isStatus(wrongKind, 400, 'BadRequest'), wrongKind.body);

  const huge = await call(c, 'POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { a: 'x'.repeat(4 * 1024 * 1024) } }));
  t.true(isStatus(huge, 413, 'RequestEntityTooLarge'), huge.body.slice(0, 300));

  // Protobuf: the kinds kubectl's generators send are decoded; others get 415, garbage 400.
  const podEnvelope = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x09, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x03, 0x50, 0x6f, 0x64, 0x12, 0x00]);
  const proto = await call(c, 'POST', '/api/v1/namespaces/default/pods', podEnvelope, { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
  t.true(isStatus(proto, 415, 'UnsupportedMediaType'), proto.body);
  t.regex(String(proto.json!.message), /cannot decode application\/vnd\.kubernetes\.protobuf bodies of kind Pod; send JSON/);
  const truncated = await call(c, 'POST', cms, Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f]), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
  t.true(isStatus(truncated, 400, 'BadRequest'), truncated.body);
  const noEnvelope = await call(c, 'POST', cms, Buffer.from([0x0a, 0x00]), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
  t.true(isStatus(noEnvelope, 415, 'UnsupportedMediaType'), noEnvelope.body);

  const badPatch = await call(c, 'PATCH', `${cms}/kube-root-ca.crt`, '{"data":', { 'Content-Type': 'application/merge-patch+json' });
  t.true(isStatus(badPatch, 400, 'BadRequest'), badPatch.body);
  const badPatchType = await call(c, 'PATCH', `${cms}/kube-root-ca.crt`, '{}', { 'Content-Type': 'text/plain' });
  t.true(isStatus(badPatchType, 415, 'UnsupportedMediaType'), badPatchType.body);

  const badSelector = await call(c, 'GET', `${cms}?labelSelector=${encodeURIComponent('a in (b')}`);
  t.true(isStatus(badSelector, 400, 'BadRequest'), badSelector.body);

  const missingNs = await call(c, 'POST', '/api/v1/namespaces/ghost/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
  t.true(isStatus(missingNs, 404, 'NotFound'), missingNs.body);
  t.regex(String(missingNs.json!.message), /namespaces "ghost" not found/);

  const ok = await call(c, 'POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine' }, data: { a: 'b' } }));
  t.is(ok.status, 201, ok.body);
  const again = await call(c, 'POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine' } }));
  t.true(isStatus(again, 409, 'AlreadyExists'), again.body);
  const stale = await call(c, 'PUT', `${cms}/fine`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine', resourceVersion: '1' } }));
  t.true(isStatus(stale, 409, 'Conflict'), stale.body);

  const dry = await call(c, 'POST', `${cms}?dryRun=All`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } }));
  t.is(dry.status, 201);
  t.is((await call(c, 'GET', `${cms}/dry`)).status, 404);

  for (const n of ['l1', 'l2']) {
    t.is((await call(c, 'POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels: { batch: 'x' } } }))).status, 201);
  }
  const coll = await call(c, 'DELETE', `${cms}?labelSelector=batch%3Dx`);
  t.is(coll.status, 200, coll.body);
  t.deepEqual((coll.json!.items as Array<{ metadata: { name: string } }>).map((i) => i.metadata.name), ['l1', 'l2']);
  t.is((await call(c, 'GET', `${cms}/l1`)).status, 404);

  const partial = await call(c, 'GET', cms, undefined, { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json' });
  t.is(partial.json!.kind, 'PartialObjectMetadataList');
  t.deepEqual((partial.json!.items as Array<{ kind: string; metadata: { name: string }; data?: unknown }>).map((i) => [i.kind, i.metadata.name, i.data]),
    [['PartialObjectMetadata', 'fine', undefined], ['PartialObjectMetadata', 'kube-root-ca.crt', undefined]]);

  const r = await c.kubectl(['get', 'configmaps']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /fine\s+1/);
});

test('watch from a compacted resourceVersion gets an Expired ERROR event', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  c.sim.ctx.store.compact();
  const r = await call(c, 'GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2');
  t.is(r.status, 200);
  const ev = JSON.parse(r.body.trim());
  t.is(ev.type, 'ERROR');
  t.is(ev.object.code, 410);
  t.is(ev.object.reason, 'Expired');
  const timed = await call(c, 'GET', '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&allowWatchBookmarks=true');
  t.is(timed.status, 200, 'the watch ended by itself after timeoutSeconds');
  t.regex(timed.body, /"type":"ADDED".*kube-root-ca\.crt/);
});

test('a barrage of random requests never breaks the server', async (t) => {
  const c = await startTestSim(t, { apiOnly: true });
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pick = <T>(xs: T[]) => xs[rnd(xs.length)]!;
  const paths = ['/api/v1/namespaces/default/pods', '/api/v1/pods', '/apis/apps/v1/namespaces/default/deployments/x', '/api/v1/namespaces/default/pods/p/status',
    '/apis/apps/v1/namespaces/default/deployments/x/scale', '/api/v1/namespaces/%E0%A4%A/pods', '/apis', '/api/v1/namespaces', '/apis/apps/v1/namespaces/default/deployments',
    '/api/v1/namespaces/default/pods/p/log', '/openapi/v3/apis/apps/v1', '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=abc',
    '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D', '/apis/batch/v1/namespaces/default/jobs?limit=1&continue=garbage'];
  const bodies = ['', '{', 'null', '[]', '"x"', '{"metadata":null}', '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"},"spec":{"containers":"no"}}',
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"replicas":-1,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}',
    '[{"op":"replace","path":"/spec/replicas","value":"many"}]', '{"spec":{"replicas":3}}', '{"metadata":{"labels":{"bad key!":"x"}}}'];
  const types = ['application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml', 'text/plain', 'application/yaml'];
  const codes = new Set<number>();
  for (let i = 0; i < 300; i++) {
    const r = await call(c, pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), pick(paths), pick(bodies), { 'Content-Type': pick(types) });
    codes.add(r.status);
    t.true(r.status < 500 || r.status === 503, `${r.status} ${r.body.slice(0, 200)}`);
  }
  t.true(codes.size > 3);
  const ok = await c.kubectl(['get', 'namespaces', '-o', 'name']);
  t.is(ok.code, 0, ok.stderr);
  t.regex(ok.stdout, /namespace\/default/);
});
