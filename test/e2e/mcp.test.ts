/**
 * `kai-tui mcp` driven by the official SDK's own client over stdio, against the embedded
 * cluster: list tools, call them, propose a plan, see that the client cannot execute it (and
 * that `do --plan` wants a person at a terminal), redaction canaries, --readonly, and a person
 * confirming the plan on a terminal (tmux).
 */
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startTestSim, type TestSim } from '../support/sim.js';
import { Tmux } from '../support/tmux.js';
import { BIN } from './cockpit-helpers.js';

const CANARY = 'kai-canary-7f3e9b21-do-not-leak';
const SECRET = `apiVersion: v1\nkind: Secret\nmetadata: {name: canary, namespace: default}\nstringData: {token: ${CANARY}}\n`;

async function connect(t: ExecutionContext, c: TestSim, extra: string[] = []): Promise<{ client: Client; config: string }> {
  const config = mkdtempSync(join(tmpdir(), 'kai-mcp-'));
  t.teardown(() => rmSync(config, { recursive: true, force: true }));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, { KAI_TUI_CONFIG_DIR: config, HOME: config });
  delete env.KUBECONFIG;
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--kubeconfig', c.kubeconfig, ...extra], env, stderr: 'pipe' });
  const client = new Client({ name: 'ava-mcp-client', version: '1.0.0' });
  await client.connect(transport);
  t.teardown(() => client.close());
  return { client, config };
}

const text = (r: unknown) => (((r as { content?: unknown }).content as Array<{ type: string; text?: string }>) ?? []).map((x) => x.text ?? '').join('\n');

test('MCP: tools listed and called against the embedded cluster; propose_plan previews and stores; the client cannot execute; secrets stay', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty' });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: SECRET })).code, 0);
  const { client, config } = await connect(t, c);

  const tools = (await client.listTools()).tools;
  t.deepEqual(tools.map((x) => x.name), ['list_contexts', 'kube_list', 'kube_get', 'kube_describe', 'kube_events', 'kube_logs', 'kube_api_resources', 'kube_crd_schema', 'kube_top', 'fleet_summary', 'plan_status', 'propose_plan']);
  t.true(tools.filter((x) => x.name !== 'propose_plan').every((x) => x.annotations?.readOnlyHint === true));
  t.false(tools.some((x) => /exec|apply|run|delete/i.test(x.name)), 'no tool executes anything');
  t.true(tools.find((x) => x.name === 'fleet_summary')!.annotations?.readOnlyHint);

  const ctxs = JSON.parse(text(await client.callTool({ name: 'list_contexts', arguments: {} })));
  t.deepEqual(ctxs, [{ context: 'kai-demo', cluster: 'kai-demo', namespace: 'default', default: true }]);
  const fleet = JSON.parse(text(await client.callTool({ name: 'fleet_summary', arguments: {} })));
  t.like(fleet.contexts[0], { context: 'kai-demo', state: 'ok', version: 'v1.32.0', nodes: { total: 3, ready: 3 } });

  // The AI core's read tools, against the cluster, secret values withheld.
  const list = text(await client.callTool({ name: 'kube_list', arguments: { kind: 'pods', namespace: 'kube-system' } }));
  t.regex(list, /kube-system\/coredns-\S+ phase=\w+/);
  const sec = await client.callTool({ name: 'kube_get', arguments: { kind: 'secret', name: 'canary', namespace: 'default' } });
  t.falsy(sec.isError, text(sec));
  t.regex(text(sec), /name: canary/);
  const described = text(await client.callTool({ name: 'kube_describe', arguments: { kind: 'secret', name: 'canary', namespace: 'default' } }));
  const secrets = text(await client.callTool({ name: 'kube_list', arguments: { kind: 'secrets', namespace: 'default' } }));
  for (const body of [text(sec), described, secrets]) {
    t.false(body.includes(CANARY), 'plain canary leaked');
    t.false(body.includes(Buffer.from(CANARY).toString('base64')), 'base64 canary leaked');
  }
  const missing = await client.callTool({ name: 'kube_get', arguments: { kind: 'deployment', name: 'nope', namespace: 'default' } });
  t.true(missing.isError);
  t.regex(text(missing), /not ?found/i);
  const other = await client.callTool({ name: 'kube_list', arguments: { kind: 'pods', context: 'elsewhere' } });
  t.true(other.isError);
  t.regex(text(other), /no context "elsewhere"/);

  // A plan: previewed on the server, stored, not executed.
  const r = await client.callTool({ name: 'propose_plan', arguments: { command: 'scale deployment/coredns -n kube-system --replicas=3' } });
  t.falsy(r.isError, text(r));
  const out = text(r);
  const id = /plan id: ([a-f0-9]{8})/.exec(out)?.[1];
  t.truthy(id, out);
  t.regex(out, /status: proposed — not executed/);
  t.regex(out, /1\. \[mutating\] scale deployments\/coredns/);
  t.regex(out, /dry-run: OK/);
  t.is((await c.kubectl(['get', 'deploy', '-n', 'kube-system', 'coredns', '-o', 'jsonpath={.spec.replicas}'])).stdout, '2');
  t.like(JSON.parse(text(await client.callTool({ name: 'plan_status', arguments: { id } }))), { id, status: 'proposed', context: 'kai-demo', class: 'mutating' });
  const file = join(config, 'plans', `${id}.json`);
  t.true(existsSync(file));
  t.is(statSync(file).mode & 0o777, 0o600);

  // The client has no way to execute it: no such tool, and `do --plan` needs a person at a terminal.
  const exec = await client.callTool({ name: 'execute_plan', arguments: { id } });
  t.true(exec.isError);
  t.regex(text(exec), /no tool "execute_plan".*executed only by a person/);
  const env = { ...process.env, KAI_TUI_CONFIG_DIR: config };
  const yes = spawnSync(process.execPath, [BIN, 'do', '--plan', id!, '--yes'], { env, encoding: 'utf8', input: '' });
  t.is(yes.status, 2);
  t.regex(yes.stderr, /confirmed by a person/);
  const piped = spawnSync(process.execPath, [BIN, 'do', '--plan', id!], { env, encoding: 'utf8', input: 'y\n' });
  t.is(piped.status, 1);
  t.regex(piped.stderr, /needs a person to confirm it/);
  t.is((await c.kubectl(['get', 'deploy', '-n', 'kube-system', 'coredns', '-o', 'jsonpath={.spec.replicas}'])).stdout, '2', 'still not executed');

  // Redaction canaries: a plan on a Secret never carries its values back over MCP (the patch's
  // diff would show the old base64 value: see kai-tui do --dry-run).
  for (const command of ['label secret canary -n default team=payments', `patch secret canary -n default --type=merge -p '{"data":{"token":"bmV3"}}'`, 'delete secret canary -n default']) {
    const s = await client.callTool({ name: 'propose_plan', arguments: { command } });
    const body = text(s);
    t.falsy(s.isError, body);
    t.false(body.includes(CANARY), `${command}: plain canary leaked`);
    t.false(body.includes(Buffer.from(CANARY).toString('base64')), `${command}: base64 canary leaked`);
    t.regex(body, /dry-run: OK/);
  }
  t.is((await c.kubectl(['get', 'secret', 'canary', '-o', 'name'])).stdout.trim(), 'secret/canary');

  // Errors are tool errors, not crashes.
  const bad = await client.callTool({ name: 'propose_plan', arguments: { command: 'frobnicate everything' } });
  t.true(bad.isError);
  t.regex(text(bad), /unknown command "frobnicate"/);
  const read = await client.callTool({ name: 'propose_plan', arguments: { command: 'get pods' } });
  t.true(read.isError);
  t.is(readdirSync(join(config, 'plans')).length, 4);
});

test('MCP --readonly: reads only; a person confirms a proposed plan on a terminal', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty' });
  const ro = await connect(t, c, ['--readonly']);
  t.deepEqual((await ro.client.listTools()).tools.map((x) => x.name), ['list_contexts', 'kube_list', 'kube_get', 'kube_describe', 'kube_events', 'kube_logs', 'kube_api_resources', 'kube_crd_schema', 'kube_top', 'fleet_summary']);
  const r = await ro.client.callTool({ name: 'propose_plan', arguments: { command: 'scale deployment/coredns -n kube-system --replicas=3' } });
  t.true(r.isError);

  // Proposed by a client, executed by a person: `kai-tui do --plan ID` in a real terminal.
  const { client, config } = await connect(t, c);
  const id = /plan id: ([a-f0-9]{8})/.exec(text(await client.callTool({ name: 'propose_plan', arguments: { command: 'scale deployment/coredns -n kube-system --replicas=3' } })))![1]!;
  const tm = await Tmux.start(t, ['node', BIN, 'do', '--plan', id], { env: { KAI_TUI_CONFIG_DIR: config, HOME: config } });
  await tm.waitFor(/Execute 1 step on context kai-demo\? \[y\/N\]/, 30_000);
  const screen = tm.capture();
  t.regex(screen, new RegExp(`Plan ${id}, proposed by ava-mcp-client`));
  tm.type('y');
  tm.keys('Enter');
  await tm.waitFor(/\[exit 0\]/, 60_000);
  t.is((await c.kubectl(['get', 'deploy', '-n', 'kube-system', 'coredns', '-o', 'jsonpath={.spec.replicas}'])).stdout, '3');
  t.like(JSON.parse(text(await client.callTool({ name: 'plan_status', arguments: { id } }))), { id, status: 'executed' });
  // Done once: it cannot run again.
  const again = spawnSync(process.execPath, [BIN, 'do', '--plan', id], { env: { ...process.env, KAI_TUI_CONFIG_DIR: config }, encoding: 'utf8' });
  t.is(again.status, 1);
  t.regex(again.stderr, /already executed/);
});

test('MCP: a proposed plan appears in the cockpit and runs only when the person there confirms it', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty' });
  const { client, config } = await connect(t, c);
  const tm = await Tmux.start(t, ['node', BIN, '--kubeconfig', c.kubeconfig, '-A'], { width: 200, height: 40, env: { KAI_TUI_CONFIG_DIR: config, HOME: config, KUBECONFIG: undefined } });
  await tm.waitFor(/coredns-\S+\s+\d\/1/, 30_000);
  // The cockpit's extensions (the operations palette) load once the table is listed.
  await new Promise((r) => setTimeout(r, 2500));
  const out = text(await client.callTool({ name: 'propose_plan', arguments: { command: 'scale deployment/coredns -n kube-system --replicas=4' } }));
  const id = /plan id: ([a-f0-9]{8})/.exec(out)![1]!;
  await tm.waitFor(new RegExp(`ava-mcp-client proposed plan ${id} on kai-demo`), 20_000);
  tm.keys(':');
  await new Promise((r) => setTimeout(r, 200));
  tm.type(`plan ${id}`);
  await tm.waitFor(`:plan ${id}`);
  tm.keys('Enter');
  const screen = await tm.waitFor(/1\. \[mutating\] scale deployments\/coredns/, 20_000);
  t.regex(screen, new RegExp(`note: plan ${id}, proposed over MCP by ava-mcp-client`));
  t.is((await c.kubectl(['get', 'deploy', '-n', 'kube-system', 'coredns', '-o', 'jsonpath={.spec.replicas}'])).stdout, '2', 'nothing runs before the person confirms');
  tm.keys('y');
  await tm.waitFor(/✓ done/, 30_000);
  t.is((await c.kubectl(['get', 'deploy', '-n', 'kube-system', 'coredns', '-o', 'jsonpath={.spec.replicas}'])).stdout, '4');
  tm.keys('Escape');
  tm.keys(':');
  await new Promise((r) => setTimeout(r, 200));
  tm.type(`plan ${id}`);
  tm.keys('Enter');
  await tm.waitFor(new RegExp(`plan ${id} was already executed`), 10_000);
});
