import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { kubeconfigFiles, loadKubeConfig } from '../../../src/kube/kubeconfig.js';

function dir(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const cfg = (o: { current?: string; clusters?: Array<[string, string]>; users?: string[]; contexts?: Array<[string, string, string, string?]> }) =>
  [
    'apiVersion: v1',
    'kind: Config',
    o.current ? `current-context: ${o.current}` : '',
    'clusters:',
    ...(o.clusters ?? []).map(([n, s]) => `- name: ${n}\n  cluster:\n    server: ${s}\n    insecure-skip-tls-verify: true`),
    'users:',
    ...(o.users ?? []).map((n) => `- name: ${n}\n  user:\n    token: tok-${n}`),
    'contexts:',
    ...(o.contexts ?? []).map(([n, c, u, ns]) => `- name: ${n}\n  context:\n    cluster: ${c}\n    user: ${u}${ns ? `\n    namespace: ${ns}` : ''}`),
  ].join('\n');

test('several files in KUBECONFIG merge; current-context from the first file that has one', (t) => {
  const d = dir(t);
  const a = join(d, 'a.yaml');
  const b = join(d, 'b.yaml');
  writeFileSync(a, cfg({ clusters: [['one', 'https://127.0.0.1:1']], users: ['u1'], contexts: [['ctx-one', 'one', 'u1']] }));
  writeFileSync(b, cfg({ current: 'ctx-two', clusters: [['two', 'https://127.0.0.1:2']], users: ['u2'], contexts: [['ctx-two', 'two', 'u2', 'team']] }));
  const env = { KUBECONFIG: [a, join(d, 'missing.yaml'), b].join(delimiter) };
  t.deepEqual(kubeconfigFiles({}, env), [a, b], 'missing files in KUBECONFIG are skipped, as kubectl does');
  const l = loadKubeConfig({}, env)!;
  t.is(l.context, 'ctx-two');
  t.is(l.cluster, 'two');
  t.is(l.server, 'https://127.0.0.1:2');
  t.is(l.namespace, 'team');
  t.deepEqual(l.files, [a, b]);
  // The other file's context is reachable with --context.
  const one = loadKubeConfig({ context: 'ctx-one' }, env)!;
  t.is(one.server, 'https://127.0.0.1:1');
  t.is(one.namespace, 'default');
  t.is(one.kc.getCurrentUser()?.token, 'tok-u1');
});

test('the same name in two files: the first file wins (kubectl merge rule), no error', (t) => {
  const d = dir(t);
  const a = join(d, 'a.yaml');
  const b = join(d, 'b.yaml');
  writeFileSync(a, cfg({ current: 'dev', clusters: [['shared', 'https://127.0.0.1:1111']], users: ['me'], contexts: [['dev', 'shared', 'me']] }));
  writeFileSync(b, cfg({ current: 'other', clusters: [['shared', 'https://127.0.0.1:2222'], ['extra', 'https://127.0.0.1:3']], users: ['me'], contexts: [['dev', 'extra', 'me'], ['other', 'extra', 'me']] }));
  const l = loadKubeConfig({}, { KUBECONFIG: [a, b].join(delimiter) })!;
  t.is(l.context, 'dev');
  t.is(l.server, 'https://127.0.0.1:1111');
  t.is(loadKubeConfig({ context: 'other' }, { KUBECONFIG: [a, b].join(delimiter) })!.server, 'https://127.0.0.1:3');
});

test('--kubeconfig beats KUBECONFIG; --namespace beats the context namespace', (t) => {
  const d = dir(t);
  const a = join(d, 'a.yaml');
  const b = join(d, 'b.yaml');
  writeFileSync(a, cfg({ current: 'x', clusters: [['x', 'https://127.0.0.1:10']], users: ['u'], contexts: [['x', 'x', 'u', 'from-context']] }));
  writeFileSync(b, cfg({ current: 'y', clusters: [['y', 'https://127.0.0.1:20']], users: ['u'], contexts: [['y', 'y', 'u']] }));
  const env = { KUBECONFIG: b };
  const l = loadKubeConfig({ kubeconfig: a }, env)!;
  t.is(l.server, 'https://127.0.0.1:10');
  t.is(l.namespace, 'from-context');
  t.is(l.namespaceFrom, 'context');
  const flagged = loadKubeConfig({ kubeconfig: a, namespace: 'prod' }, env)!;
  t.is(flagged.namespace, 'prod');
  t.is(flagged.namespaceFrom, 'flag');
  const plain = loadKubeConfig({ kubeconfig: b }, {})!;
  t.is(plain.namespace, 'default');
  t.is(plain.namespaceFrom, 'default', 'the cockpit may apply kube.defaultNamespace then');
});

test('clear errors: missing --kubeconfig file, unknown --context, no current context', (t) => {
  const d = dir(t);
  const missing = join(d, 'nope.yaml');
  t.throws(() => loadKubeConfig({ kubeconfig: missing }, {}), { message: `kubeconfig file not found: ${missing}` });
  const a = join(d, 'a.yaml');
  writeFileSync(a, cfg({ clusters: [['x', 'https://127.0.0.1:10']], users: ['u'], contexts: [['x', 'x', 'u']] }));
  t.throws(() => loadKubeConfig({ kubeconfig: a, context: 'prod' }, {}), { message: /context "prod" not found in .*a\.yaml/ });
  t.throws(() => loadKubeConfig({ kubeconfig: a }, {}), { message: /no current context in .*a\.yaml; choose one with --context/ });
});

test('no kubeconfig anywhere → undefined (the caller falls back to the demo cluster)', (t) => {
  const d = dir(t);
  const home = process.env.HOME;
  process.env.HOME = d; // os.homedir() follows HOME
  t.teardown(() => {
    process.env.HOME = home;
  });
  t.is(loadKubeConfig({}, {}), undefined);
  t.is(loadKubeConfig({}, { KUBECONFIG: join(d, 'missing') }), undefined);
});

test('a broken kubeconfig file names the file', (t) => {
  const d = dir(t);
  const a = join(d, 'broken.yaml');
  writeFileSync(a, 'clusters: [ : :');
  t.throws(() => loadKubeConfig({ kubeconfig: a }, {}), { message: /broken\.yaml/ });
});

test('a YAML error in a kubeconfig is one line that ends with where it is, not a dangling colon', (t) => {
  const d = dir(t);
  const a = join(d, 'bad.yaml');
  writeFileSync(a, 'apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster: {server: "https://x"\ncontexts: []\n');
  const err = t.throws(() => loadKubeConfig({ kubeconfig: a }, {}));
  t.regex(err!.message, /bad\.yaml: .* at line \d+, column \d+$/);
  t.false(err!.message.includes('\n'));
});
