/**
 * Every triage category on the embedded cluster: apply a realistic faulty manifest with kubectl, wait until
 * `kai-tui diagnose -A --json` names the category and the object to fix (no model involved), apply the fix,
 * wait until the finding clears. The share of the fault set diagnosed right is logged (docs/triage.md).
 */
import test from 'ava';
import { join } from 'node:path';
import { startTestSim, type TestSim } from '../support/sim.js';
import { runCli } from '../support/cli.js';
import { ARGO_CRD, FAULTS, type Fault } from '../support/triage-faults.js';

interface JF { category: string; severity: string; object: { kind: string; namespace?: string; name: string }; summary: string; evidence: string[]; symptoms: Array<{ category: string; object: JF['object']; summary: string }> }

export async function diagnose(c: TestSim, args: string[] = ['-A']): Promise<{ code: number; findings: JF[]; stderr: string }> {
  const r = await runCli(['diagnose', '--json', '--kubeconfig', c.kubeconfig, ...args], { KAI_TUI_CONFIG_DIR: join(c.dir, 'config') });
  let findings: JF[] = [];
  let stderr = r.stderr;
  try { findings = (JSON.parse(r.stdout) as { findings: JF[] }).findings; } catch { stderr += `\nnot JSON: ${r.stdout.slice(0, 300)}`; }
  return { code: r.code, findings, stderr };
}

const nsOf = (f: Fault) => (f.object.namespace === null ? undefined : f.object.namespace ?? f.namespace);
export const names = (f: Fault, j: JF) => j.category === f.category && j.object.kind === f.object.kind && j.object.name === f.object.name && j.object.namespace === nsOf(f);
/** A finding anywhere (root or symptom) about the fault's namespace or object. */
const touches = (f: Fault, j: JF) => names(f, j) || (j.object.namespace === f.namespace && j.category === f.category);

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await what();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 1500));
    v = await what();
  }
  return v;
}

test('diagnose --json names the category and the object to fix for every fault, and the fixes clear them', async (t) => {
  t.timeout(240_000);
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: ARGO_CRD })).code, 0);
  await until(() => c.kubectl(['get', 'applications', '-A']), (r) => r.code === 0, 20_000);
  for (const f of FAULTS) {
    const r = await c.kubectl(['apply', '-f', '-'], { input: f.faulty });
    t.is(r.code, 0, `${f.category}: ${r.stderr}`);
  }
  // Wait until every fault is named with its symptom beneath it (under load a symptom, e.g. a
  // Service's empty endpoints, can appear a poll later than its root cause).
  const before = await until(() => diagnose(c), (d) => FAULTS.every((f) => d.findings.some((j) => names(f, j) && (!f.symptom || j.symptoms.some((s) => s.category === f.symptom)))), 120_000);
  t.is(before.code, 1, before.stderr);
  const right = FAULTS.filter((f) => before.findings.some((j) => names(f, j)));
  t.log(`diagnosed right with no model: ${right.length}/${FAULTS.length} (${Math.round((100 * right.length) / FAULTS.length)} %)`);
  for (const f of FAULTS) {
    const hit = before.findings.find((j) => names(f, j));
    t.truthy(hit, `${f.category}: expected ${f.object.kind}/${f.object.name}; got ${JSON.stringify(before.findings.filter((j) => j.object.namespace === f.namespace || j.category === f.category).map((j) => [j.category, j.object, j.summary]))}`);
    if (hit && f.symptom) t.true(hit.symptoms.some((s) => s.category === f.symptom), `${f.category}: symptom ${f.symptom} listed beneath it: ${JSON.stringify(hit.symptoms)}`);
    if (hit) t.true(hit.evidence.length > 0, `${f.category}: evidence`);
  }
  // No finding outside the fault namespaces: the empty cluster's own objects are healthy.
  const strays = before.findings.filter((j) => !FAULTS.some((f) => touches(f, j)) && !(j.object.kind === 'Application'));
  t.deepEqual(strays.map((j) => [j.category, j.object]), [], 'no stray findings');

  for (const f of FAULTS) {
    if (f.deleteBeforeFix) t.is((await c.kubectl(['delete', ...f.deleteBeforeFix])).code, 0, f.category);
    const r = await c.kubectl(['apply', '-f', '-'], { input: f.fixed });
    t.is(r.code, 0, `${f.category} fix: ${r.stderr}`);
  }
  const after = await until(() => diagnose(c), (d) => d.findings.length === 0, 120_000);
  t.deepEqual(after.findings.map((j) => [j.category, j.object, j.summary]), [], 'every fix clears its finding');
  t.is(after.code, 0);
});

test('node faults: a NotReady node is the root cause, its evicted pods are symptoms; healing it clears both', async (t) => {
  t.timeout(180_000);
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  const app = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27.3}]}
`;
  t.is((await c.kubectl(['apply', '-f', '-'], { input: app })).code, 0);
  const pods = await until(() => c.kubectl(['get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}']), (r) => r.stdout.split(' ').filter(Boolean).length === 3, 30_000);
  const node = pods.stdout.split(' ')[0]!;
  t.is((await c.kubectl(['annotate', 'node', node, 'sim.kai-tui.dev/node-condition=not-ready'])).code, 0);
  const d = await until(() => diagnose(c), (x) => x.findings.some((j) => j.category === 'node-unhealthy' && j.symptoms.some((s) => s.category === 'evicted')), 90_000);
  const nf = d.findings.find((j) => j.category === 'node-unhealthy');
  t.deepEqual(nf?.object, { kind: 'Node', name: node });
  t.is(nf?.severity, 'critical');
  t.true(nf!.symptoms.some((s) => s.category === 'evicted' && s.object.kind === 'Deployment' && s.object.name === 'web'), JSON.stringify(nf?.symptoms));
  t.false(d.findings.some((j) => j.category === 'evicted'), 'evicted is not a separate root while its node is down');
  t.is((await c.kubectl(['annotate', 'node', node, 'sim.kai-tui.dev/node-condition-'])).code, 0);
  const healed = await until(() => diagnose(c), (x) => x.findings.length === 0, 90_000);
  t.deepEqual(healed.findings.map((j) => [j.category, j.object]), []);
});
