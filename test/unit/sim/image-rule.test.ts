import test from 'ava';
import { pullMessage, pullProblem } from '../../../src/sim/runtime/image-rule.js';

test('official images exist with their real tags; other tags are not found', (t) => {
  for (const ok of ['nginx', 'nginx:1.27', 'nginx:1.27.3-alpine', 'nginx:stable-alpine', 'busybox:1.36', 'redis:7.4.1', 'postgres:16', 'python:3.12-slim-bookworm', 'node:20-alpine', 'alpine:3.20']) t.is(pullProblem(ok), undefined, ok);
  for (const missing of ['nginx:1.99', 'nginx:2.0', 'busybox:9.9', 'postgres:99', 'nginx:banana']) t.is(pullProblem(missing), 'not-found', missing);
});

test('a near-miss of an official name has no repository; other repositories and registries exist', (t) => {
  for (const typo of ['ngnix', 'ngnix:latest', 'postgress:16', 'busybx']) t.is(pullProblem(typo), 'no-repository', typo);
  for (const ok of ['grafana/grafana:11.2.0', 'ghcr.io/acme/shop-api:3.4.1', 'quay.io/argoproj/argocd:v2.13.1', 'registry.k8s.io/coredns/coredns:v1.11.3', 'example/crasher:1', 'app:1', 'x']) t.is(pullProblem(ok), undefined, ok);
  t.is(pullProblem('registry.invalid/does-not-exist:1'), 'not-found');
});

test('a private registry needs a pull secret for its host', (t) => {
  t.is(pullProblem('registry.acme.corp/team/app:1.0'), 'unauthorized');
  t.is(pullProblem('registry.acme.corp/team/app:1.0', ['registry.acme.corp']), undefined);
  t.is(pullProblem('localhost:5000/app:dev', ['https://localhost:5000']), undefined);
});

test('messages as containerd gives them to kubelet', (t) => {
  t.is(pullMessage('nginx:1.99', 'not-found'), 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found');
  t.regex(pullMessage('ngnix', 'no-repository'), /"docker\.io\/library\/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed$/);
  t.regex(pullMessage('registry.acme.corp/team/app:1.0', 'unauthorized'), /failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https:\/\/registry\.acme\.corp\/token\?scope=repository%3Ateam%2Fapp%3Apull&service=registry\.acme\.corp: 401 Unauthorized$/);
});
