import test from 'ava';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeymap, loadKeymapFile, normaliseKey, KeyResolver, ACTIONS } from '../../../src/ui/keymap.js';
import { parseTheme, loadThemeFile, paint, ROLES } from '../../../src/ui/theme.js';
import blessed from 'blessed';
import { PassThrough } from 'node:stream';
import { SHIPPED, liveAsset } from '../../../src/ui/assets.js';

test('key names normalise to blessed key names', (t) => {
  t.is(normaliseKey('ctrl-d'), 'C-d');
  t.is(normaliseKey('shift-f'), 'S-f');
  t.is(normaliseKey('F'), 'S-f');
  t.is(normaliseKey('esc'), 'escape');
  t.is(normaliseKey('pgdn'), 'pagedown');
  t.is(normaliseKey('shift-tab'), 'S-tab');
  t.is(normaliseKey('?'), '?');
  t.is(normaliseKey('alt-x'), 'M-x');
  t.is(normaliseKey('f1'), 'f1');
  t.is(normaliseKey('ctrl-'), undefined);
  t.is(normaliseKey('hyper-q'), undefined);
});

test('the shipped keymaps load and bind what k9s users expect', (t) => {
  const def = loadKeymapFile(join(SHIPPED.keymaps, 'default.yaml'));
  const expect: Record<string, string> = { ':': 'command', '/': 'filter', '?': 'help', escape: 'back', j: 'down', k: 'up', down: 'down', up: 'up', enter: 'drill', d: 'describe', y: 'yaml', l: 'logs', s: 'shell', 'S-f': 'portForward', 'C-d': 'delete', 'C-c': 'quit', '0': 'allNamespaces', space: 'mark' };
  for (const [k, a] of Object.entries(expect)) t.is(def.byKey.get(k), a, k);
  const vim = loadKeymapFile(join(SHIPPED.keymaps, 'vim.yaml'));
  t.is(vim.byKey.get('g g'), 'top');
  t.is(vim.byKey.get('d d'), 'delete');
  t.is(vim.byKey.get('C-w w'), 'focusNext');
  // Every action is reachable in both.
  for (const a of Object.keys(ACTIONS)) {
    t.true((def.byAction.get(a) ?? []).length > 0, `default binds ${a}`);
    t.true((vim.byAction.get(a) ?? []).length > 0, `vim binds ${a}`);
  }
});

test('a bad keymap names the line and the problem', (t) => {
  const base = 'name: x\nbindings:\n  quit: [ctrl-c]\n  help: ["?"]\n  back: [esc]\n';
  t.throws(() => parseKeymap(base + '  explode: [e]\n', 'k.yaml'), { message: /^k\.yaml:6: unknown action 'explode'/ });
  t.throws(() => parseKeymap(base + '  down: [j, "ctrl-"]\n', 'k.yaml'), { message: /^k\.yaml:6: 'ctrl-' is not a key/ });
  t.throws(() => parseKeymap(base + '  down: [j]\n  up: [j]\n', 'k.yaml'), { message: /^k\.yaml:7: 'j' is already bound to 'down' on line 6/ });
  t.throws(() => parseKeymap('name: x\nbindings: [\n', 'k.yaml'), { message: /^k\.yaml:\d+: invalid YAML/ });
  t.throws(() => parseKeymap('name: x\nbindings:\n  help: ["?"]\n  back: [esc]\n', 'k.yaml'), { message: /must bind 'quit'/ });
  t.throws(() => parseKeymap(base + '  top: ["g g"]\n  bottom: [g]\n', 'k.yaml'), { message: /sequence 'g g' starts with 'g'/ });
});

test('key resolver handles two-key sequences', (t) => {
  const km = parseKeymap('bindings:\n  quit: [ctrl-c]\n  help: ["?"]\n  back: [esc]\n  top: ["g g"]\n  down: [j]\n', 'k');
  const r = new KeyResolver(km);
  t.is(r.resolve('j'), 'down');
  t.is(r.resolve('g'), 'pending');
  t.is(r.resolve('g'), 'top');
  t.is(r.resolve('g'), 'pending');
  t.is(r.resolve('j'), 'down'); // an abandoned sequence does not swallow the next key
  t.is(r.resolve('x'), undefined);
});

test('the shipped themes load with every role and paint tags', (t) => {
  for (const name of ['dark', 'light', 'high-contrast']) {
    const th = loadThemeFile(join(SHIPPED.themes, `${name}.yaml`), {});
    t.is(th.name, name);
    for (const r of ROLES) t.truthy(th.roles[r], `${name}.${r}`);
  }
  const dark = loadThemeFile(join(SHIPPED.themes, 'dark.yaml'), {});
  t.is(paint(dark, 'ok', 'Running'), '{green-fg}Running{/green-fg}');
  t.is(paint(dark, 'error', 'x'), '{red-fg}{bold}x{/bold}{/red-fg}');
});

test('NO_COLOR drops every colour but keeps selection visible', (t) => {
  const th = loadThemeFile(join(SHIPPED.themes, 'dark.yaml'), { NO_COLOR: '1' });
  t.true(th.mono);
  for (const r of ROLES) {
    t.is(th.roles[r].fg, undefined);
    t.is(th.roles[r].bg, undefined);
  }
  t.true(th.roles.selection.inverse);
  t.is(paint(th, 'ok', 'Running'), 'Running');
});

test('a bad theme names the line and the problem', (t) => {
  t.throws(() => parseTheme('name: t\nroles:\n  ok: green\n  wrong: red\n', 't.yaml', {}), { message: /^t\.yaml:4: unknown role 'wrong'/ });
  t.throws(() => parseTheme('name: t\nroles:\n  ok: grean\n', 't.yaml', {}), { message: /^t\.yaml:3: 'grean' is not a colour/ });
  t.throws(() => parseTheme('name: t\nroles:\n  ok: {fg: green, blink: true}\n', 't.yaml', {}), { message: /^t\.yaml:3: unknown style 'blink'/ });
});

test('hot reload: an edit is applied, a broken edit is reported and the last good stays', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kai-'));
  const user = join(dir, 'keymaps');
  mkdirSync(user);
  const good = 'name: mine\nbindings:\n  quit: [ctrl-c]\n  help: ["?"]\n  back: [esc]\n  down: [j]\n';
  writeFileSync(join(user, 'mine.yaml'), good);
  const changes: string[] = [];
  const errors: string[] = [];
  let wake: () => void = () => {};
  // Resolves on the next change or error; rejects after 10 s so a missed event fails clearly.
  const next = () => new Promise<void>((r, reject) => {
    const timer = setTimeout(() => reject(new Error('no reload within 10 s')), 10_000);
    wake = () => { clearTimeout(timer); r(); };
  });
  const live = liveAsset({
    name: 'mine', fallbackName: 'default', dirs: { user, shipped: SHIPPED.keymaps },
    load: loadKeymapFile, builtin: () => { throw new Error('no builtin'); },
    onChange: (k) => { changes.push(k.byKey.get('n') ?? '-'); wake(); },
    onError: (m) => { errors.push(m); wake(); },
  });
  t.teardown(() => live.close());
  t.is(live.current.byKey.get('j'), 'down');
  await new Promise((r) => setTimeout(r, 300)); // chokidar ready
  let p = next();
  writeFileSync(join(user, 'mine.yaml'), good + '  up: [n]\n');
  await p;
  t.deepEqual(changes, ['up']);
  p = next();
  writeFileSync(join(user, 'mine.yaml'), good + '  up: [n]\n  nope: [q]\n');
  await p;
  t.regex(errors[0] ?? '', /mine\.yaml:8: unknown action 'nope'/);
  t.is(live.current.byKey.get('n'), 'up');
});

test('every role of every shipped theme paints tags that blessed understands', (t) => {
  const output = Object.assign(new PassThrough(), { columns: 80, rows: 24, isTTY: true });
  output.resume();
  const program = blessed.program({ input: new PassThrough(), output, terminal: 'xterm-256color' } as never) as unknown as { _attr(p: string): string | null; destroy(): void };
  t.teardown(() => program.destroy());
  for (const name of ['dark', 'light', 'high-contrast']) {
    const th = loadThemeFile(join(SHIPPED.themes, `${name}.yaml`), {});
    for (const r of ROLES) {
      const tags = paint(th, r, 'x').match(/\{\/?[\w\-#]+\}/g) ?? [];
      for (const tag of tags) {
        const param = tag.replace(/^\{\/?/, '').replace(/\}$/, '').replace(/-/g, ' ');
        t.not(program._attr(param), null, `${name}.${r}: ${tag}`);
      }
    }
  }
});
