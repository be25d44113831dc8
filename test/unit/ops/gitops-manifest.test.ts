/**
 * GitOps fixes, the parts that need no cluster: recognising Argo CD / Flux from metadata, patching one
 * document of a manifest file with the plan's own request bodies while keeping the rest of the file, and
 * committing on a new branch of a real git repository without touching the checkout.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { managerOf } from '../../../src/ops/gitops/detect.js';
import { applyStep, findDocuments, rewriteDocument } from '../../../src/ops/gitops/manifest.js';
import { commitOnNewBranch, diffTexts, headCommit } from '../../../src/ops/gitops/git.js';
import { branchName, findCheckout, normalizeRepo } from '../../../src/ops/gitops/fix.js';
import { makeStep } from '../../../src/ops/commands/env.js';

const FILE = `# jokes: the cache and its service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: jokes-cache
  namespace: jokes
  labels:
    app: jokes-cache # the selector's label
spec:
  replicas: 1
  selector:
    matchLabels:
      app: jokes-cache
  template:
    metadata:
      labels:
        app: jokes-cache
    spec:
      containers:
      - name: jokes-cache
        image: ghcr.io/acme/jokes-cache:0.9.2
        resources:
          requests:
            cpu: 50m
            memory: 128Mi
          limits:
            memory: 256Mi   # too small: OOMKilled under load
      - name: sidecar
        image: "busybox:1.36"
---
apiVersion: v1
kind: Service
metadata:
  name: jokes-cache
  namespace: jokes
spec:
  selector: {app: jokes-cache}
  ports:
  - port: 6379
`;

const target = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespace: 'jokes', name: 'jokes-cache' };
const step = (contentType: string, body: unknown, path = '/apis/apps/v1/namespaces/jokes/deployments/jokes-cache', op: 'patch' | 'scale' | 'restart' = 'patch') =>
  makeStep({ title: 't', op, target, request: { method: 'PATCH', path, contentType, body: JSON.stringify(body) } });

test('Argo CD by tracking annotation or instance label (only with its Application); Flux by its labels', (t) => {
  const apps = [{ metadata: { name: 'jokes', namespace: 'argocd' }, spec: { source: { repoURL: 'https://github.com/acme/deploy.git', path: 'apps/jokes' }, destination: { namespace: 'jokes' } } }];
  const tracked = managerOf({ metadata: { annotations: { 'argocd.argoproj.io/tracking-id': 'jokes:apps/Deployment:jokes/jokes-cache' } } }, apps)!;
  t.is(tracked.tool, 'argocd');
  t.is(tracked.app, 'jokes');
  t.is(tracked.path, 'apps/jokes');
  t.is(tracked.destinationNamespace, 'jokes');
  t.is(managerOf({ metadata: { labels: { 'app.kubernetes.io/instance': 'jokes' } } }, apps)?.repoURL, 'https://github.com/acme/deploy.git');
  t.is(managerOf({ metadata: { labels: { 'app.kubernetes.io/instance': 'my-helm-release' } } }, apps), undefined, 'a Helm instance label with no Application is not Argo CD');
  t.is(managerOf({ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } } })?.tool, 'flux-kustomize');
  t.is(managerOf({ metadata: { labels: { 'helm.toolkit.fluxcd.io/name': 'redis' } } })?.tool, 'flux-helm');
  t.is(managerOf({ metadata: { labels: { app: 'x' } } }), undefined);
  t.is(managerOf({ metadata: { annotations: { 'argocd.argoproj.io/tracking-id': 'argocd_jokes:apps/Deployment:jokes/jokes-cache' } } }, [])?.appNamespace, 'argocd');
});

test('checkouts match by app name or repository URL in any spelling', (t) => {
  t.is(normalizeRepo('git@github.com:acme/deploy.git'), 'github.com/acme/deploy');
  t.is(normalizeRepo('https://github.com/acme/deploy/'), 'github.com/acme/deploy');
  const m = { tool: 'argocd' as const, app: 'jokes', via: '', repoURL: 'https://github.com/acme/deploy.git' };
  t.is(findCheckout([{ match: 'git@github.com:acme/deploy.git', path: '/a' }], m)?.path, '/a');
  t.is(findCheckout([{ match: 'shop', path: '/s' }, { match: 'jokes', path: '/j' }], m)?.path, '/j');
  t.is(findCheckout([{ match: 'shop', path: '/s' }], m), undefined);
  t.regex(branchName({ kind: 'Deployment', name: 'jokes-cache' }, new Date('2025-03-04T05:06:07.890Z')), /^kai-tui\/fix-deployment-jokes-cache-20250304-050607$/);
});

test('a strategic merge patch changes one line of the right document; comments, style and the other document stay', (t) => {
  const docs = findDocuments(FILE, { kind: 'Deployment', name: 'jokes-cache', namespace: 'jokes' });
  t.is(docs.length, 1);
  t.is(findDocuments(FILE, { kind: 'Deployment', name: 'jokes-cache', namespace: 'shop' }).length, 0, 'another namespace is another object');
  const patched = applyStep(docs[0]!.object, step('application/strategic-merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'jokes-cache', resources: { limits: { memory: '512Mi' } } }] } } } }));
  t.is(patched.spec.template.spec.containers.length, 2, 'containers merged by name');
  const out = rewriteDocument(FILE, docs[0]!.index, patched);
  const changed = out.split('\n').filter((l, i) => l !== FILE.split('\n')[i]);
  t.deepEqual(changed, ['            memory: 512Mi   # too small: OOMKilled under load']);
  t.is(out.split('---')[1], FILE.split('---')[1], 'the Service document is byte for byte the same');
  t.true(out.startsWith('# jokes: the cache and its service\n'));
});

test('a patch that adds a field writes that one document again, comments kept; the other document stays byte for byte', (t) => {
  const obj = (parseAllDocuments(FILE)[0]!.toJS()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const patched = applyStep(obj, step('application/strategic-merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'jokes-cache', resources: { limits: { cpu: '500m' } } }] } } } }));
  const out = rewriteDocument(FILE, 0, patched);
  t.deepEqual((parseAllDocuments(out)[0]!.toJS() as any).spec.template.spec.containers[0].resources.limits, { memory: '256Mi', cpu: '500m' }); // eslint-disable-line @typescript-eslint/no-explicit-any
  t.true(out.includes("app: jokes-cache # the selector's label"));
  t.true(out.includes('# too small: OOMKilled under load'));
  t.true(out.includes('      containers:\n      - name: jokes-cache'), 'kubectl-style list indentation kept');
  t.is(out.split('---')[1], FILE.split('---')[1]);
});

test('scale, merge and JSON patches; a restart is refused as not a Git change', (t) => {
  const obj = (parseAllDocuments(FILE)[0]!.toJS()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  t.is(applyStep(obj, step('application/merge-patch+json', { spec: { replicas: 3 } }, '/apis/apps/v1/namespaces/jokes/deployments/jokes-cache/scale', 'scale')).spec.replicas, 3);
  t.is(applyStep(obj, step('application/merge-patch+json', { metadata: { labels: { tier: 'cache' } } })).metadata.labels.tier, 'cache');
  t.is(applyStep(obj, step('application/json-patch+json', [{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'busybox:1.37' }])).spec.template.spec.containers[1].image, 'busybox:1.37');
  t.throws(() => applyStep(obj, step('application/strategic-merge-patch+json', {}, undefined, 'restart')), { message: /restarts the pods: nothing to change in Git/ });
  const out = rewriteDocument(FILE, 0, applyStep(obj, step('application/merge-patch+json', { spec: { replicas: 3 } }, '/apis/apps/v1/namespaces/jokes/deployments/jokes-cache/scale', 'scale')));
  t.true(out.includes('  replicas: 3\n'));
  t.true(out.includes('image: "busybox:1.36"'), 'quoting kept');
});

test('a commit on a new branch leaves the checkout, its index and its branch as they were', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-gitops-'));
  const g = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } });
  g('init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'apps'));
  writeFileSync(join(dir, 'apps', 'cache.yaml'), FILE);
  g('add', '.');
  g('commit', '-qm', 'init');
  writeFileSync(join(dir, 'apps', 'cache.yaml'), FILE + '# local edit\n');
  const base = await headCommit(dir);
  const after = FILE.replace('memory: 256Mi', 'memory: 512Mi');
  const diff = await diffTexts(dir, 'apps/cache.yaml', FILE, after);
  t.regex(diff, /^--- a\/apps\/cache.yaml\n\+\+\+ b\/apps\/cache.yaml/m);
  t.regex(diff, /^-            memory: 256Mi/m);
  t.regex(diff, /^\+            memory: 512Mi/m);
  process.env.GIT_AUTHOR_NAME = 'T'; process.env.GIT_AUTHOR_EMAIL = 't@example.com'; process.env.GIT_COMMITTER_NAME = 'T'; process.env.GIT_COMMITTER_EMAIL = 't@example.com';
  const commit = await commitOnNewBranch(dir, { base, path: 'apps/cache.yaml', content: after, branch: 'kai-tui/fix-x', message: 'fix: x\n\nbody\n' });
  t.is(g('rev-parse', 'kai-tui/fix-x').trim(), commit);
  t.is(g('show', 'kai-tui/fix-x:apps/cache.yaml'), after);
  t.is(g('log', '-1', '--format=%s', 'kai-tui/fix-x').trim(), 'fix: x');
  t.is(g('rev-parse', 'HEAD').trim(), base, 'HEAD did not move');
  t.is(g('symbolic-ref', '--short', 'HEAD').trim(), 'main');
  t.true(readFileSync(join(dir, 'apps', 'cache.yaml'), 'utf8').endsWith('# local edit\n'), 'the working tree keeps its edit');
  t.is(g('diff', '--cached', '--name-only').trim(), '', 'nothing staged');
  await t.throwsAsync(commitOnNewBranch(dir, { base, path: 'apps/cache.yaml', content: after, branch: 'kai-tui/fix-x', message: 'again' }), { message: /already exists/ });
});
