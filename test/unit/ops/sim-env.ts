/** A fresh embedded cluster with a namespace "shop" (deployment + service "web"), and an OpsSession on it. */
import type { ExecutionContext } from 'ava';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type RunningSim } from '../../../src/sim/index.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { KubeRequester } from '../../../src/kube/request.js';
import { OpsSession, type Mode } from '../../../src/ops/session.js';
import { newPlan, objectPathOf, collectionPathOf, type Plan, type Step } from '../../../src/ops/plan.js';
import type { PlanPreview } from '../../../src/ops/preview.js';
import type { ExecuteResult } from '../../../src/ops/execute.js';
import type { Verdict } from '../../../src/ops/verify.js';

export interface OpsTestEnv {
  sim: RunningSim;
  /** This test's own namespace (tests share one cluster per file). */
  ns: string;
  /** Path of the test's deployment "web". */
  dep: string;
  client: KubeRequester;
  session: OpsSession;
  dir: string;
  kubeconfig: string;
  plan(text: string): Promise<Plan>;
  run(text: string | Plan, opts?: { failFast?: boolean }): Promise<{ preview: PlanPreview; result: ExecuteResult; verdicts: Verdict[] }>;
  get(path: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  create(obj: any): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
}

export const DEPLOY = (name = 'web', replicas = 2, ns = 'shop') => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels: { app: name } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } },
});

let shared: Promise<RunningSim> | undefined;
let counter = 0;

/** One cluster per test file (starting one costs seconds of key generation); call stopSharedSim in test.after.always. */
export function sharedSim(): Promise<RunningSim> {
  shared ??= (async () => {
    const sim = await startSim({ scenario: 'empty', timeScale: 20 });
    const kc = join(mkdtempSync(join(tmpdir(), 'kai-')), 'kubeconfig.yaml');
    sim.writeKubeconfig(kc);
    const client = new KubeRequester(loadKubeConfig({ kubeconfig: kc })!);
    for (let i = 1; i <= 2; i++) {
      await client.request({ method: 'POST', path: '/api/v1/nodes', contentType: 'application/json', body: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } },
        status: { capacity: { cpu: '64', memory: '128Gi', pods: '500' }, allocatable: { cpu: '64', memory: '128Gi', pods: '500' } } }) });
    }
    return sim;
  })();
  return shared;
}

export async function stopSharedSim(): Promise<void> {
  if (shared) await (await shared).stop();
  shared = undefined;
}

export async function opsEnv(t: ExecutionContext, opts: { policies?: Record<string, string>; mode?: Mode; readonly?: boolean; web?: boolean; ns?: string } = {}): Promise<OpsTestEnv> {
  const sim = await sharedSim();
  const ns = opts.ns ?? `shop-${++counter}`;
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  sim.writeKubeconfig(kubeconfig);
  const loaded = loadKubeConfig({ kubeconfig, namespace: ns })!;
  const client = new KubeRequester(loaded);
  const policyDir = join(dir, 'policies');
  mkdirSync(policyDir);
  for (const [f, text] of Object.entries(opts.policies ?? {})) writeFileSync(join(policyDir, f), text);

  const get = async (path: string) => client.getJson(path);
  const create = async (obj: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    const resource = obj.kind.toLowerCase() + (obj.kind.endsWith('s') ? 'es' : 's');
    const path = collectionPathOf({ group, version, resource: resource === 'poddisruptionbudgets' ? resource : resource, namespace: obj.metadata.namespace });
    const res = await client.request({ method: 'POST', path, contentType: 'application/json', body: JSON.stringify(obj) });
    if (res.status >= 300) throw new Error(`create ${obj.kind}/${obj.metadata.name}: ${res.status} ${res.text}`);
    return res.json;
  };
  const waitFor = async <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v as T;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const dep = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
  if (!(await get(`/api/v1/namespaces/${ns}`))) await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  if (opts.web !== false) {
    await create(DEPLOY('web', 2, ns));
    await create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    await waitFor('web available', async () => (await get(dep))?.status?.availableReplicas === 2);
  }
  const session = await OpsSession.open({ loaded, namespace: ns, journalFile: join(dir, 'journal.sqlite'), policyDirs: [policyDir], cwd: dir,
    verifyTimeoutMs: 20_000, mode: opts.mode, readonly: opts.readonly, env: { KAI_TUI_CONFIG_DIR: dir } });
  t.teardown(() => session.close());
  const plan = async (text: string) => {
    const i = await session.parse(text);
    if (i.type === 'plan') return i.plan;
    if (i.type === 'undo') return (await session.undoPlan(i.id)).plan;
    throw new Error(`"${text}" is not a plan`);
  };
  const run = async (text: string | Plan, o: { failFast?: boolean } = {}) => {
    const p = typeof text === 'string' ? await plan(text) : text;
    const preview = await session.preview(p);
    if (!preview.acceptable) throw new Error(`refused: ${preview.refusals.join('; ')}`);
    const result = await session.execute(preview, o);
    const verdicts = await session.verify(preview, result, { intervalMs: 100 });
    return { preview, result, verdicts };
  };
  return { sim, ns, dep, client, session, dir, kubeconfig, plan, run, get, create, waitFor };
}

/** The log entries after index `from` that are not reads (GET) — i.e. what was written — in one namespace. */
export function writesSince(sim: RunningSim, from: number, ns: string) {
  return sim.requestLog.slice(from).filter((e) => e.method !== 'GET' && e.path.includes(`/namespaces/${ns}/`));
}

export function joinPlans(source: string, ...plans: Plan[]): Plan {
  return newPlan(source, plans.flatMap((p) => p.steps) as Step[]);
}
export { objectPathOf };
