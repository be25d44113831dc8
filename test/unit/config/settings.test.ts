import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTING_DEFS, SETTING_KEYS, SETTINGS_SCHEMA } from '../../../src/config/schema.js';
import { loadSettings, maskSecret, SettingError, enableSettingsWrites } from '../../../src/config/settings.js';

await enableSettingsWrites();
import { checkValue, editDistance, findDef, parseValue, suggestKey } from '../../../src/config/validate.js';

function env(t: { teardown(fn: () => void): void }): NodeJS.ProcessEnv {
  const d = mkdtempSync(join(tmpdir(), 'kai-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return { KAI_TUI_CONFIG_DIR: d };
}

test('every leaf of the schema has a type, a default that passes its own check, and a description', (t) => {
  t.true(SETTING_KEYS.length >= 15);
  for (const d of SETTING_DEFS) {
    t.truthy(d.description, d.key);
    t.is(checkValue(d, d.default), undefined, `default of ${d.key}`);
  }
  for (const k of ['ui.theme', 'ui.keymap', 'ui.refreshMs', 'ui.layout', 'ops.mode', 'ops.failFast', 'kube.defaultNamespace', 'llm.model', 'llm.providers.ollama.host', 'llm.providers.openai.baseURL']) {
    t.true(SETTING_KEYS.includes(k), k);
  }
  t.is(SETTINGS_SCHEMA.properties.ui!.type, 'object');
});

test('unknown keys get a did-you-mean; groups name their members', (t) => {
  t.is(editDistance('ui.thme', 'ui.theme'), 1);
  t.is(editDistance('ab', 'ba'), 1);
  t.throws(() => findDef('ui.thme'), { instanceOf: SettingError, message: "unknown setting 'ui.thme'; did you mean 'ui.theme'?" });
  t.throws(() => findDef('ui.refreshms'), { message: "unknown setting 'ui.refreshms'; did you mean 'ui.refreshMs'?" });
  t.is(suggestKey('ollama.host'), 'llm.providers.ollama.host');
  t.throws(() => findDef('zzzzzzzz'), { message: "unknown setting 'zzzzzzzz'; see kai-tui config list" });
  t.throws(() => findDef('llm.providers.ollama'), { message: "'llm.providers.ollama' is a group of settings, not one; use one of: llm.providers.ollama.host" });
});

test('wrong types and values say what is allowed', (t) => {
  const d = (k: string) => findDef(k);
  t.is(checkValue(d('ui.theme'), 'purple'), "ui.theme must be one of dark, light, high-contrast, not 'purple'");
  t.is(checkValue(d('ui.refreshMs'), 10), 'ui.refreshMs must be a whole number from 16 to 1000, not 10');
  t.is(checkValue(d('ui.refreshMs'), 16.5), 'ui.refreshMs must be a whole number from 16 to 1000, not 16.5');
  t.is(checkValue(d('ui.refreshMs'), 1000), undefined);
  t.is(checkValue(d('ops.failFast'), 'yes'), "ops.failFast must be true or false, not 'yes'");
  t.is(checkValue(d('ops.mode'), 'yolo'), "ops.mode must be one of manual, semiauto, auto, not 'yolo'");
  t.is(checkValue(d('llm.providers.ollama.host'), 'localhost:11434'), "llm.providers.ollama.host must be an http:// or https:// address, not 'localhost:11434'");
  t.is(checkValue(d('kube.defaultNamespace'), 'Prod'), "kube.defaultNamespace must be a namespace name (lower-case letters, digits and '-'), not 'Prod'");
  t.is(checkValue(d('llm.fallback'), ['a', 1]), 'llm.fallback must be a list of names (a,b,c), not ["a",1]');
});

test('command-line text is converted to the setting type', (t) => {
  t.is(parseValue(findDef('ui.refreshMs'), '100'), 100);
  t.is(parseValue(findDef('ui.refreshMs'), 'fast'), 'fast');
  t.is(parseValue(findDef('ops.failFast'), 'on'), true);
  t.is(parseValue(findDef('ops.failFast'), 'false'), false);
  t.deepEqual(parseValue(findDef('llm.fallback'), 'a, b ,c'), ['a', 'b', 'c']);
  t.deepEqual(parseValue(findDef('llm.fallback'), '["x"]'), ['x']);
  t.deepEqual(parseValue(findDef('llm.fallback'), ''), []);
  t.is(parseValue(findDef('llm.temperature'), '0.5'), 0.5);
});

test('set/get/unset round-trip through config.json; only changed keys are stored', (t) => {
  const e = env(t);
  const s = loadSettings(e);
  t.is(s.get('ui.theme'), 'dark');
  s.setFromText('ui.theme', 'light');
  s.setFromText('ui.refreshMs', '33');
  const again = loadSettings(e);
  t.is(again.get('ui.theme'), 'light');
  t.is(again.values().ui.refreshMs, 33);
  t.is(again.values().ops.mode, 'manual');
  const file = JSON.parse(readFileSync(join(e.KAI_TUI_CONFIG_DIR!, 'config.json'), 'utf8'));
  t.deepEqual(file, { ui: { theme: 'light', refreshMs: 33 } });
  again.unset('ui.theme');
  t.is(loadSettings(e).get('ui.theme'), 'dark');
  again.unset('ui.refreshMs');
  t.deepEqual(JSON.parse(readFileSync(join(e.KAI_TUI_CONFIG_DIR!, 'config.json'), 'utf8')), {}, 'empty groups are dropped');
  again.setFromText('ui.refreshMs', '33');
  t.throws(() => again.setFromText('ui.refreshMs', '5000'), { instanceOf: SettingError, message: /from 16 to 1000/ });
  t.is(loadSettings(e).get('ui.refreshMs'), 33, 'a refused value is not stored');
});

test('a theme file in the user themes folder is allowed besides the built-ins', (t) => {
  const e = env(t);
  const s = loadSettings(e);
  t.throws(() => s.set('ui.theme', 'solarized'), { message: /one of dark, light, high-contrast \(or a theme file <name>\.yaml in .*themes\)/ });
  mkdirSync(join(e.KAI_TUI_CONFIG_DIR!, 'themes'));
  writeFileSync(join(e.KAI_TUI_CONFIG_DIR!, 'themes', 'solarized.yaml'), 'name: solarized\n');
  s.set('ui.theme', 'solarized');
  t.is(loadSettings(e).get('ui.theme'), 'solarized');
});

test('secrets go to secrets.json with mode 0600 and are masked', (t) => {
  const e = env(t);
  const s = loadSettings(e);
  s.set('llm.providers.openai.apiKey', 'sk-test-0123456789abcdef');
  const secrets = join(e.KAI_TUI_CONFIG_DIR!, 'secrets.json');
  if (process.platform !== 'win32') t.is(statSync(secrets).mode & 0o777, 0o600);
  const plain = join(e.KAI_TUI_CONFIG_DIR!, 'config.json');
  t.false(existsSync(plain) && readFileSync(plain, 'utf8').includes('sk-test'), 'the key is not in config.json');
  t.is(loadSettings(e).get('llm.providers.openai.apiKey'), 'sk-test-0123456789abcdef');
  t.is(maskSecret('sk-test-0123456789abcdef'), '••••cdef (set)');
  t.is(maskSecret('short'), '•••••• (set)');
  t.is(maskSecret(''), '(not set)');
});

test('a hand-edited file with bad values: warnings naming the file, defaults used, still writable', (t) => {
  const e = env(t);
  const file = join(e.KAI_TUI_CONFIG_DIR!, 'config.json');
  writeFileSync(file, JSON.stringify({ ui: { thme: 'light', refreshMs: 'fast', layout: 'triage' }, nope: 1 }));
  const s = loadSettings(e);
  t.is(s.get('ui.refreshMs'), 50);
  t.is(s.get('ui.layout'), 'triage');
  t.true(s.warnings.some((w) => w.includes(file) && w.includes("unknown setting 'ui.thme' ignored; did you mean 'ui.theme'?")), s.warnings.join('\n'));
  t.true(s.warnings.some((w) => w.includes("ui.refreshMs must be a whole number from 16 to 1000, not 'fast'; using 50")), s.warnings.join('\n'));
  t.true(s.warnings.some((w) => w.includes("unknown setting 'nope'")));
  s.set('ui.refreshMs', 40);
  t.is(loadSettings(e).get('ui.refreshMs'), 40);
});

test('a config.json that is not JSON: defaults, a warning, and set refuses with the fix', (t) => {
  const e = env(t);
  const file = join(e.KAI_TUI_CONFIG_DIR!, 'config.json');
  writeFileSync(file, '{ "ui": ');
  const s = loadSettings(e);
  t.is(s.get('ui.theme'), 'dark');
  t.true(s.warnings.some((w) => w.startsWith(`cannot read ${file}`) && w.includes('fix or delete it')), s.warnings.join('\n'));
  t.throws(() => s.set('ui.theme', 'light'), { instanceOf: SettingError, message: /fix or delete it/ });
  t.is(readFileSync(file, 'utf8'), '{ "ui": ', 'the broken file is left for the user to fix');
});
