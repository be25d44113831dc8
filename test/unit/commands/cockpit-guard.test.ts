/** Nothing writes to the terminal behind blessed's back; a vanished terminal ends the cockpit through its quit. */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GUARD = fileURLToPath(new URL('../../../src/commands/cockpit-guard.js', import.meta.url));
const VERIFY = fileURLToPath(new URL('../../../src/ops/verify.js', import.meta.url));

test('process warnings and console output go to the log file, not the terminal', (t) => {
  const log = join(mkdtempSync(join(tmpdir(), 'kai-')), 'cockpit.log');
  const script = `
    const { guardTerminal } = await import(${JSON.stringify(GUARD)});
    let quits = 0;
    const unguard = guardTerminal(${JSON.stringify(log)}, () => { quits++; });
    process.emitWarning('Possible EventTarget memory leak detected. 11 abort listeners', 'MaxListenersExceededWarning');
    console.log('stray log'); console.error('stray error');
    const e = new Error('write EIO'); e.code = 'EIO'; process.stdout.emit('error', e);
    await new Promise((r) => setTimeout(r, 50));
    unguard();
    console.log('quits=' + quits);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  t.is(r.stderr, '', 'nothing on stderr');
  t.is(r.stdout.trim(), 'quits=1', 'only after unguard does console reach the terminal; EIO quit once');
  const text = readFileSync(log, 'utf8');
  t.regex(text, /MaxListenersExceededWarning: Possible EventTarget memory leak/);
  t.regex(text, /console\.log stray log/);
  t.regex(text, /console\.error stray error/);
  t.regex(text, /tty EIO write EIO/);
});

test('verification polls do not pile up abort listeners (no MaxListenersExceeded)', (t) => {
  // The verify sleep is module-private: drive it through a long poll on an unreachable step.
  const script = `
    const ac = new AbortController();
    const { getEventListeners } = await import('node:events');
    const sleep = (await import(${JSON.stringify(VERIFY)})).__sleepForTests;
    for (let i = 0; i < 30; i++) await sleep(1, ac.signal);
    console.log(getEventListeners(ac.signal, 'abort').length);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  t.is(r.stderr, '');
  t.is(r.stdout.trim(), '0');
});
