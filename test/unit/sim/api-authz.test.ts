import test from 'ava';
import { Registry } from '../../../src/sim/registry/index.js';
import { ADMIN_USER, VIEWER_USER, allowed, forbidden, requestAttributes } from '../../../src/sim/api/authz.js';

const registry = new Registry();
const attrs = (method: string, path: string, upgrade = false) => requestAttributes(registry, method, new URL(path, 'https://127.0.0.1'), upgrade);

test('request attributes resolve verbs as the apiserver RequestInfo does', (t) => {
  t.like(attrs('GET', '/api/v1/namespaces/shop/pods'), { verb: 'list', group: '', resource: 'pods', namespace: 'shop' });
  t.like(attrs('GET', '/api/v1/pods?watch=true'), { verb: 'watch', resource: 'pods', namespace: undefined });
  t.like(attrs('GET', '/api/v1/watch/namespaces/shop/pods/web'), { verb: 'watch' });
  t.like(attrs('GET', '/apis/apps/v1/namespaces/shop/deployments/web'), { verb: 'get', group: 'apps', name: 'web' });
  t.like(attrs('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web/scale'), { verb: 'patch', subresource: 'scale' });
  t.like(attrs('DELETE', '/api/v1/namespaces/shop/pods'), { verb: 'deletecollection' });
  t.like(attrs('GET', '/api/v1/namespaces/shop/pods/web/exec?command=ls', true), { verb: 'create', subresource: 'exec' });
  t.like(attrs('GET', '/api/v1/namespaces/shop/pods/web/log'), { verb: 'get', subresource: 'log' });
  t.is(attrs('GET', '/apis'), undefined);
});

test('the viewer reads everything but Secrets; the admin does anything', (t) => {
  const read = { verb: 'list', group: 'apps', resource: 'deployments', namespace: 'shop' };
  t.true(allowed(VIEWER_USER, read));
  t.true(allowed(VIEWER_USER, { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: 'shop', name: 'web' }));
  t.false(allowed(VIEWER_USER, { verb: 'get', group: '', resource: 'secrets', namespace: 'shop', name: 'db' }));
  t.false(allowed(VIEWER_USER, { ...read, verb: 'update' }));
  t.false(allowed(VIEWER_USER, { verb: 'create', group: '', resource: 'pods', subresource: 'portforward', namespace: 'shop', name: 'web' }));
  t.true(allowed(VIEWER_USER, { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }));
  t.true(allowed(ADMIN_USER, { verb: 'delete', group: '', resource: 'secrets', namespace: 'shop', name: 'db' }));
  const e = forbidden(VIEWER_USER, { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'shop', name: 'web' });
  t.is(e.code, 403);
  t.is(e.message, 'deployments.apps "web" is forbidden: User "kai-viewer" cannot delete resource "deployments" in API group "apps" in the namespace "shop"');
});
