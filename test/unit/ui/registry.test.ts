import test from 'ava';
import { CockpitRegistry } from '../../../src/ui/cockpit/registry.js';
import { loadKeymapFile } from '../../../src/ui/keymap.js';
import { SHIPPED } from '../../../src/ui/assets.js';

function registry(): { reg: CockpitRegistry; ran: string[] } {
  const reg = new CockpitRegistry();
  const ran: string[] = [];
  reg.command({ names: ['ns', 'namespace'], usage: ':ns [NAME]', summary: 'namespaces', group: 'navigation', run: (a) => { ran.push(`ns ${a.join(' ')}`); } });
  reg.command({ names: ['scale'], usage: ':scale KIND/NAME --replicas N', summary: 'scale', group: 'operations', run: (_a, t) => { ran.push(t); } });
  reg.command({ names: ['plan'], usage: ':plan ID', summary: 'review', group: 'operations', run: (a) => (a.length ? undefined : false) });
  return { reg, ran };
}

test('commands run by any of their names; a command may decline its words', (t) => {
  const { reg, ran } = registry();
  t.true(reg.run(':namespace shop'));
  t.true(reg.run('scale deploy/web --replicas 3'));
  t.false(reg.run('plan'));
  t.false(reg.run('nope'));
  t.deepEqual(ran, ['ns shop', 'scale deploy/web --replicas 3']);
});

test('did you mean: a close command or kind name, nothing for a far one', (t) => {
  const { reg } = registry();
  const kinds = ['pods', 'po', 'pod', 'deployments', 'deploy', 'services', 'svc'];
  t.is(reg.suggest('scael', kinds), 'scale');
  t.is(reg.suggest('pdos', kinds), 'pods');
  t.is(reg.suggest('deplyo', kinds), 'deploy');
  t.is(reg.suggest('xyzzy', kinds), undefined);
  t.is(reg.suggest('pods', kinds), undefined, 'an exact name is not a suggestion');
});

test('help lists bound keys and every registered command by group', (t) => {
  const { reg } = registry();
  const keymap = loadKeymapFile(`${SHIPPED.keymaps}default.yaml`);
  const rows = reg.helpRows(keymap, ['delete']);
  const flat = rows.map(([k, w]) => `${k} | ${w}`).join('\n');
  t.regex(flat, /\? \| show \/ hide this help/);
  t.notRegex(flat, /ctrl-d \| delete/, 'hidden actions are left out');
  t.regex(flat, /commands: navigation/);
  t.regex(flat, /:ns \[NAME\] \| namespaces/);
  t.regex(flat, /:scale KIND\/NAME --replicas N \| scale/);
  t.true(flat.indexOf('commands: navigation') < flat.indexOf('commands: operations'));
});
