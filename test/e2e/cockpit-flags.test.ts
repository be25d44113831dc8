/** Bad cockpit flags give one line and exit 2, like --layout weird; subcommands answer --help. */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cockpit-helpers.js';

const kai = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, KAI_TUI_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kai-')) } });

for (const [flag, kind] of [['--theme', 'theme'], ['--keymap', 'keymap']]) {
  test(`${flag} nope: one line naming what exists, exit 2`, (t) => {
    const r = kai(flag!, 'nope');
    t.is(r.status, 2);
    t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    t.regex(r.stderr, new RegExp(`no ${kind} 'nope' \\(have: .*${kind === 'theme' ? 'dark' : 'default'}`));
  });
}

for (const cmd of ['ask', 'models', 'check', 'do', 'undo', 'history', 'diagnose', 'explain', 'fleet', 'mcp', 'sim', 'config', 'usage', 'sessions', 'prompts']) {
  test(`kai-tui ${cmd} --help prints its usage`, (t) => {
    const r = kai(cmd, '--help');
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`kai-tui ${cmd}`));
    t.regex(r.stdout, /Docs: docs\/\w[\w-]*\.md/);
  });
}
