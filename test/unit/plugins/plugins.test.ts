import test from 'ava';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPluginFile, parsePlugins, pluginApplies, PluginError } from '../../../src/plugins/schema.js';
import { PluginRegistry, RESERVED } from '../../../src/plugins/registry.js';
import { expandTemplate, pluginVars } from '../../../src/plugins/vars.js';
import { runBackground } from '../../../src/plugins/run.js';

const EXAMPLES = join(process.cwd(), 'docs', 'examples', 'plugins');
const DEPLOY = { resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], singular: 'deployment' };
const POD = { resource: 'pods', kind: 'Pod', shortNames: ['po'], singular: 'pod' };

test('the shipped examples load and apply to their kinds', (t) => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
  t.true(files.length >= 2);
  const all = files.flatMap((f) => loadPluginFile(join(EXAMPLES, f), RESERVED));
  const names = all.map((p) => p.name).sort();
  t.deepEqual(names, ['log-errors', 'pod-nodes', 'restart-marked', 'scale-to-five', 'summarize-rollout', 'watch-pod']);
  const scale = all.find((p) => p.name === 'scale-to-five')!;
  t.true(scale.mutates);
  t.deepEqual(scale.key, { norm: 'S-x', raw: 'shift-x' });
  t.true(pluginApplies(scale, DEPLOY));
  t.false(pluginApplies(scale, POD));
  t.true(pluginApplies(all.find((p) => p.name === 'pod-nodes')!, POD), 'short name po');
  t.deepEqual(all.find((p) => p.name === 'watch-pod')!.action, { type: 'shell', command: 'kubectl --context "$CONTEXT" -n "$NAMESPACE" get pod "$NAME" --watch', background: false });
  const prompt = all.find((p) => p.name === 'summarize-rollout')!.action;
  t.is(prompt.type, 'prompt');
  t.is((prompt as { file: string }).file, join(EXAMPLES, 'prompts', 'summarize-rollout.md'));
});

test('an invalid plugin file names its line', (t) => {
  const bad = (text: string) => t.throws(() => parsePlugins(text, 'p.yaml', RESERVED), { instanceOf: PluginError })!.message;
  t.is(bad('plugins:\n  - name: ok\n    shell: echo\n  - name: x\n    shel: echo\n'), "p.yaml:5: unknown field 'shel' (known: name, description, scopes, kinds, key, shell, background, plan, prompt, mutates)");
  t.is(bad('plugins:\n  - name: bump\n    scopes: [deployments]\n    plan: scale deployment/$NAME --replicas=5\n'), "p.yaml:4: 'scale' changes the cluster: add 'mutates: true' to this plugin");
  t.is(bad('plugins:\n  - name: a\n    key: ctrl-\n    shell: echo\n'), "p.yaml:3: 'ctrl-' is not a key (examples: shift-e, ctrl-b, alt-x, f5)");
  t.is(bad('plugins:\n  - name: a\n    shell: echo\n  - name: a\n    shell: echo\n'), "p.yaml:4: plugin 'a' is already defined on line 2");
  t.is(bad('plugins:\n  - name: scale\n    shell: echo\n'), "p.yaml:2: name 'scale' is a built-in command; choose another");
  t.is(bad('plugins:\n  - name: a\n    description: x\n'), "p.yaml:2: a plugin needs 'shell' (a command), 'plan' (a palette command) or 'prompt' (a prompt file)");
  t.is(bad('plugins:\n  - name: a\n    plan: frobnicate x\n'), "p.yaml:3: 'frobnicate' is not a palette command (known: annotate, apply, autoscale, cordon, create, delete, describe, drain, edit, events, explain, expose, get, label, logs, patch, rollout, scale, set, top, uncordon)");
  t.is(bad('plugins:\n  - name: a\n    shell: echo\n    mutates: yes please\n'), "p.yaml:4: 'mutates' must be true or false");
  t.regex(bad('plugins:\n  - name: a\n   shell: [\n'), /^p\.yaml:\d+: invalid YAML/);
});

test('variables: shell plugins get them in the environment; plan templates only take plain names', async (t) => {
  const vars = pluginVars({
    context: 'kai-dev', cluster: 'kai-dev', kubeconfigFiles: ['/a', '/b'], namespace: 'default',
    kind: { kind: 'Deployment', resource: 'deployments', group: 'apps' },
    objects: [{ metadata: { name: 'web', namespace: 'apps' } }, { metadata: { name: 'api', namespace: 'apps' } }],
  });
  t.like(vars, { CONTEXT: 'kai-dev', KUBECONFIG: '/a:/b', NAMESPACE: 'apps', NAME: 'web', KIND: 'Deployment', RESOURCE: 'deployments.apps', SELECTED: 'web api', SELECTED_REFS: 'apps/web apps/api', COUNT: '2' });
  t.is(expandTemplate('rollout restart deployment $SELECTED -n ${NAMESPACE}', vars), 'rollout restart deployment web api -n apps');
  t.throws(() => expandTemplate('scale $NOPE', vars), { message: /unknown variable \$NOPE/ });
  // A name with shell or palette syntax in it never reaches the command line.
  const evil = pluginVars({ context: 'c', kubeconfigFiles: [], objects: [{ metadata: { name: 'x --replicas=0; rm', namespace: 'a' } }] });
  t.throws(() => expandTemplate('scale deployment/$NAME --replicas=5', evil), { message: /not a plain name/ });

  const r = await runBackground('echo "$CONTEXT $NAMESPACE/$NAME [$SELECTED]"; echo oops >&2; exit 3', evil);
  t.is(r.code, 3);
  t.is(r.output.split('\n').sort().join('|'), '|c a/x --replicas=0; rm [x --replicas=0; rm]|oops');
  const slow = await runBackground('sleep 5', {}, { timeoutMs: 200 });
  t.true(slow.timedOut);
});

test('registry: user and workspace folders, read-only hides mutating plugins, a broken edit keeps the last good version', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-plugins-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dirs = { user: join(dir, 'user'), workspace: join(dir, 'ws', '.kai-tui', 'plugins') };
  mkdirSync(dirs.user, { recursive: true });
  mkdirSync(dirs.workspace, { recursive: true });
  writeFileSync(join(dirs.user, 'a.yaml'), 'plugins:\n  - name: hello\n    shell: echo user\n  - name: bump\n    scopes: [deployments]\n    plan: scale deployment/$NAME --replicas=2\n    mutates: true\n');
  writeFileSync(join(dirs.workspace, 'b.yaml'), 'plugins:\n  - name: hello\n    description: from the project\n    shell: echo workspace\n');
  const errors: string[] = [];
  let changes = 0;
  const reg = new PluginRegistry(dirs, { onError: (m) => errors.push(m), onChange: () => changes++ });
  t.teardown(() => reg.close());
  await reg.ready();
  t.deepEqual(reg.all().map((p) => `${p.name}:${p.source}`), [`bump:${join(dirs.user, 'a.yaml')}`, `hello:${join(dirs.workspace, 'b.yaml')}`]);
  t.deepEqual(reg.forKind(POD).map((p) => p.name), ['hello']);
  const ro = new PluginRegistry(dirs, { readonly: true, watch: false });
  t.deepEqual(ro.all().map((p) => p.name), ['hello']);

  // A broken edit: reported with its line, the last good plugins stay.
  writeFileSync(join(dirs.workspace, 'b.yaml'), 'plugins:\n  - name: hello\n    shell: echo workspace\n    colour: red\n');
  await until(() => errors.length > 0);
  t.regex(errors[0]!, /b\.yaml:4: unknown field 'colour'/);
  t.is(reg.byName('hello')?.description, 'from the project');
  t.deepEqual(reg.errors(), [errors[0]]);
  // Fixed: the new version is in effect.
  writeFileSync(join(dirs.workspace, 'b.yaml'), 'plugins:\n  - name: hello\n    description: fixed\n    shell: echo workspace\n');
  await until(() => reg.byName('hello')?.description === 'fixed');
  t.deepEqual(reg.errors(), []);
  t.true(changes >= 1);
});

async function until(f: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 25));
}
