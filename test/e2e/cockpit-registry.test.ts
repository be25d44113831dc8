/**
 * One registry binds keys, commands and help: help lists every command of the command line and
 * the palette (G/g scroll it), a mistyped command or kind gets "did you mean", `:ns` with no
 * name lists the namespaces.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';
import { command, launchCockpit } from './cockpit-helpers.js';

test('help lists the palette and command-line commands; G and g scroll it', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { width: 140, height: 40 });
  await tm.waitFor(/jokes-api/, 30_000);
  await new Promise((r) => setTimeout(r, 2500)); // the operations palette is installed after the first rows
  tm.keys('?');
  let screen = await tm.waitFor(/help — keymap default/);
  t.regex(screen, /ctrl-d\s+delete the selected/);
  tm.keys('G');
  screen = await tm.waitFor(/commands: operations/);
  for (const usage of [/:scale KIND\/NAME --replicas N/, /:undo \[ID\]/, /:plan ID/]) t.regex(screen, usage);
  // The views a k9s user looks for are listed, each once.
  tm.keys('g');
  screen = await tm.waitFor(/ctrl-c\s+quit kai-tui/);
  let all = screen;
  for (let i = 0; i < 8; i++) {
    tm.keys('PageDown');
    all += await tm.waitFor(/help — keymap/);
  }
  for (const usage of [/:pf \[KIND\/\]NAME/, /:forwards\s/, /:top\s/, /:pulse\s/, /:ns \[NAME\|all\]/, /:chat \[QUESTION\]/]) t.regex(all, usage);
  tm.keys('Escape');
  await tm.waitGone(/help — keymap/);
});

test('a mistyped command or kind gets "did you mean"; :ns lists the namespaces', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { width: 140, height: 40 });
  await tm.waitFor(/jokes-api/, 30_000);
  await new Promise((r) => setTimeout(r, 2500));
  await command(tm, 'pdos');
  await tm.waitFor(/unknown command or kind ':pdos' — did you mean :pods\?/);
  await command(tm, 'scael');
  await tm.waitFor(/did you mean :scale\?/);
  await command(tm, 'ns');
  const screen = await tm.waitFor((s) => /namespaces/.test(s) && /kube-system\s+Active/.test(s) && /shop\s+Active/.test(s), 15_000);
  t.regex(screen, /default\s+Active/);
});

test('a message too long for the status bar says where the rest is; ! shows every message in full', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 10 });
  const { tm } = await launchCockpit(t, ['--kubeconfig', c.kubeconfig, '-A'], { width: 80, height: 24 });
  await tm.waitFor(/jokes-api/, 30_000);
  await new Promise((r) => setTimeout(r, 2500));
  const name = 'a-theme-name-long-enough-that-the-error-about-it-cannot-fit-in-eighty-columns';
  // Too long to see whole on the command line at 80 columns: typed without the helper's check.
  tm.keys(':');
  await new Promise((r) => setTimeout(r, 400));
  tm.type(`theme ${name}`);
  tm.keys('Enter');
  const s = await tm.waitFor(/! more/);
  t.notRegex(s, /eighty-columns/, 'cut on the status bar');
  tm.keys('!');
  const full = await tm.waitFor(/messages \[\d+\]/);
  const joined = full.split('\n').map((l) => l.replace(/^[x│]|[x│]$/g, '').trim()).join('');
  t.true(joined.includes(name), 'the whole message, wrapped');
  tm.keys('Escape');
  await tm.waitGone(/messages \[\d+\]/);
});
