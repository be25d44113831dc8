/**
 * `apply -f DIR --fix` in the palette: the failing file goes to the (fake) model, the preview
 * shows its diff against the original and the dry run of the corrected set; it runs only after
 * confirmation, and the file on disk is not rewritten.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { startFakeLlm } from '../support/fake-llm.js';
import { launchCockpit } from './cockpit-helpers.js';

test('palette: apply --fix previews the corrected manifest with its diff; confirmed, it is applied; the file stays', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['create', 'namespace', 'fix'])).code, 0);
  const dir = mkdtempSync(join(tmpdir(), 'kai-fix-'));
  const typo = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: fix}\nspec:\n  replica: 2\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: nginx:1.27}]}\n';
  writeFileSync(join(dir, 'api.yaml'), typo);
  writeFileSync(join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: fix}\ndata: {a: "1"}\n');
  const fake = await startFakeLlm({ script: [{ text: `\`\`\`yaml\n${typo.replace('replica: 2', 'replicas: 2')}\`\`\`\nreplica → replicas.` }] });
  t.teardown(() => fake.close());
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-n', 'fix'], { width: 160, height: 50, env: { OPENAI_BASE_URL: fake.openaiBase, OPENAI_API_KEY: 'sk-e2e-test-key-000000000000', OLLAMA_HOST: '' } });
  await tm.waitFor(/pods\(fix\)/, 30_000);
  for (let i = 0; i < 30; i++) {
    tm.keys(':');
    try { await tm.waitFor(/tab:complete/, 1500); break; } catch { tm.keys('Escape'); }
  }
  tm.type(`apply -f ${dir} --fix`);
  tm.keys('Enter');
  const s = await tm.waitFor((x) => /dry-run: OK/.test(x) && /api\.yaml corrected by the AI assistant/.test(x), 60_000);
  t.regex(s, /-\s*replica: 2/);
  t.regex(s, /\+\s*replicas: 2/);
  t.is(fake.chats().length, 1, 'only the failing file went to the model');
  t.is((await c.kubectl(['get', 'deploy', 'api', '-n', 'fix'])).code, 1, 'nothing runs before confirmation');
  tm.keys('y');
  await tm.waitFor(/✓ done/, 30_000);
  const dep = JSON.parse((await c.kubectl(['get', 'deploy', 'api', '-n', 'fix', '-o', 'json'])).stdout);
  t.is(dep.spec.replicas, 2);
  t.is(readFileSync(join(dir, 'api.yaml'), 'utf8'), typo, 'the file on disk is not rewritten');
});
