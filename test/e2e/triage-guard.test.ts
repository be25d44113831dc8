/**
 * The healing guard as a script sees it: a crash-looping Deployment "fixed" twice with `do`
 * (triage.healing.maxFixes = 2) is reported by `diagnose --json` as needing a human, and
 * `explain` shows the guard and the intervention timeline from the journal.
 */
import test from 'ava';
import { join } from 'node:path';
import { startTestSim } from '../support/sim.js';
import { runCli } from '../support/cli.js';
import { FAULTS } from '../support/triage-faults.js';

const run = runCli;

test('the healing guard: after maxFixes fixes the object needs a human; explain shows the timeline', async (t) => {
  t.timeout(120_000);
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 20 });
  const crash = FAULTS.find((f) => f.category === 'crashloop')!;
  t.is((await c.kubectl(['apply', '-f', '-'], { input: crash.faulty })).code, 0);
  const env = { KAI_TUI_CONFIG_DIR: join(c.dir, 'config') };
  t.is((await run(['config', 'set', 'triage.healing.maxFixes', '2'], env)).code, 0);
  const diagnose = async () => JSON.parse((await run(['diagnose', '-n', 't-crash', '--json', '--kubeconfig', c.kubeconfig], env)).stdout || '{"findings":[]}').findings as Array<{ category: string; guard: { status: string; fixes: number; maxFixes: number } }>;
  let found = await diagnose();
  for (let i = 0; i < 40 && !found.some((f) => f.category === 'crashloop'); i++) { await new Promise((r) => setTimeout(r, 1000)); found = await diagnose(); }
  const before = found.find((f) => f.category === 'crashloop')!;
  t.deepEqual(before.guard, { status: 'ok', fixes: 0, maxFixes: 2, windowMin: 60 });
  for (let i = 0; i < 2; i++) {
    const r = await run(['do', 'rollout restart deploy/checkout -n t-crash', '--yes', '--no-verify', '--kubeconfig', c.kubeconfig], env);
    t.is(r.code, 0, r.stderr);
  }
  // The restarted pods crash-loop again only after a few exits: wait for the finding to come back.
  found = await diagnose();
  for (let i = 0; i < 40 && !found.some((f) => f.category === 'crashloop'); i++) { await new Promise((r) => setTimeout(r, 1000)); found = await diagnose(); }
  const after = found.find((f) => f.category === 'crashloop')!;
  t.is(after.guard.status, 'needs-human');
  t.is(after.guard.fixes, 2);
  const ex = await run(['explain', 'deploy/checkout', '-n', 't-crash', '--kubeconfig', c.kubeconfig], env);
  t.regex(ex.stdout, /Healing guard: Deployment\/checkout -n t-crash was fixed 2 times in the last 60 min \(triage\.healing\.maxFixes = 2\): it needs a human/);
  t.regex(ex.stdout, /Interventions:\n\s+\S+ \S+\s+execution\s+#1 restart deployments\/checkout/);
  t.regex(ex.stdout, /verdict\s+#2 succeeded/);
  const json = JSON.parse((await run(['explain', 'deploy/checkout', '-n', 't-crash', '--json', '--kubeconfig', c.kubeconfig], env)).stdout);
  t.is(json.guard.status, 'needs-human');
  t.deepEqual(json.timeline.map((x: { stage: string }) => x.stage), ['execution', 'verdict', 'execution', 'verdict']);
});
