/**
 * `kai-tui config get KEY | set KEY VALUE | unset KEY | list | path | schema`
 * Bad input (unknown key, wrong type, value not allowed) → one line on stderr, exit 2.
 */
import { paths } from '../config/paths.js';
import { SETTINGS_SCHEMA } from '../config/schema.js';
import { loadSettings, enableSettingsWrites, maskSecret, SettingError, type Settings } from '../config/settings.js';
import { kubeconfigFiles } from '../kube/kubeconfig.js';
import { parseFlags, UsageError } from './args.js';

export const CONFIG_HELP = `Usage:
  kai-tui config list [--json]          every setting with its value ((default) when not set)
  kai-tui config get KEY [--reveal]     one value (secrets stay masked without --reveal)
  kai-tui config set KEY VALUE          change a setting (VALUE '-' reads it from stdin)
  kai-tui config unset KEY              back to the default
  kai-tui config path                   where every file lives
  kai-tui config schema                 the JSON Schema of the settings file
Keys are nested with dots, e.g. ui.theme, ui.refreshMs, llm.providers.ollama.host.
See docs/config.md.`;

const show = (v: unknown): string => (Array.isArray(v) ? (v.some((x) => typeof x === 'object') ? JSON.stringify(v) : v.join(',')) : typeof v === 'string' ? v : JSON.stringify(v));

function warn(settings: Settings): void {
  for (const w of settings.warnings) process.stderr.write(`kai-tui: warning: ${w}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function open(): Settings {
  return loadSettings();
}


export async function run(argv: string[]): Promise<number> {
  await enableSettingsWrites();
  // `set KEY VALUE` takes VALUE verbatim, even when it starts with '-' (e.g. a negative number).
  const verbatim = argv[0] === 'set' && argv.length === 3 && !argv[1]!.startsWith('-');
  const { values, positionals } = verbatim ? { values: {} as { json?: boolean; reveal?: boolean; help?: boolean }, positionals: argv } : parseFlags(argv, {
    json: { type: 'boolean' },
    reveal: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [sub, ...args] = positionals;
  if (values.help || sub === 'help') {
    console.log(CONFIG_HELP);
    return 0;
  }
  const want = (n: number, usage: string) => {
    if (args.length !== n) throw new UsageError(`usage: kai-tui config ${usage}`);
  };
  try {
    switch (sub) {
      case 'list': {
        want(0, 'list [--json]');
        const s = open();
        warn(s);
        const entries = s.entries();
        if (values.json) {
          const out: Record<string, unknown> = {};
          for (const e of entries) {
            const parts = e.def.key.split('.');
            let cur = out;
            for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
            cur[parts[parts.length - 1]!] = e.def['x-secret'] ? maskSecret(e.value) : e.value;
          }
          console.log(JSON.stringify(out, null, 2));
          return 0;
        }
        const width = Math.max(...entries.map((e) => e.def.key.length));
        for (const e of entries) {
          const v = e.def['x-secret'] ? maskSecret(e.value) : show(e.value) || "''";
          console.log(`${e.def.key.padEnd(width)}  ${v}${e.isDefault ? '  (default)' : ''}`);
        }
        return 0;
      }
      case 'get': {
        want(1, 'get KEY [--reveal]');
        const s = open();
        warn(s);
        const key = args[0]!;
        const v = s.get(key);
        const secret = s.entries().find((e) => e.def.key === key)?.def['x-secret'];
        console.log(secret && !values.reveal ? maskSecret(v) : show(v));
        return 0;
      }
      case 'set': {
        want(2, 'set KEY VALUE');
        const s = open();
        const [key, raw] = args as [string, string];
        const text = raw === '-' ? await readStdin() : raw;
        const v = s.setFromText(key, text);
        const secret = s.entries().find((e) => e.def.key === key)?.def['x-secret'];
        console.log(`${key} = ${secret ? maskSecret(v) : show(v)}`);
        return 0;
      }
      case 'unset': {
        want(1, 'unset KEY');
        const s = open();
        s.unset(args[0]!);
        console.log(`${args[0]} = ${show(s.get(args[0]!))} (default)`);
        return 0;
      }
      case 'path': {
        want(0, 'path');
        const p = paths();
        const files = kubeconfigFiles();
        const rows: Array<[string, string]> = [
          ['config dir', p.configDir],
          ['settings', p.settings],
          ['secrets', `${p.secrets} (owner-only)`],
          ['keymaps', p.keymaps],
          ['themes', p.themes],
          ['policies', p.policies],
          ['journal', p.journal],
          ['palette history', p.history],
          ['demo kubeconfig', p.demoKubeconfig],
          ['port-forwards', p.forwards],
          ['load checks', p.loadChecks],
          ['kubeconfig', files.length ? files.join(', ') : '(none found: the demo cluster is used)'],
        ];
        const width = Math.max(...rows.map(([k]) => k.length));
        for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
        return 0;
      }
      case 'schema': {
        want(0, 'schema');
        console.log(JSON.stringify(SETTINGS_SCHEMA, null, 2));
        return 0;
      }
      case undefined:
        throw new UsageError(`config needs a sub-command: list, get, set, unset, path or schema (see kai-tui config --help)`);
      default:
        throw new UsageError(`unknown config sub-command '${sub}'; use list, get, set, unset, path or schema`);
    }
  } catch (err) {
    if (err instanceof SettingError) throw new UsageError(err.message);
    throw err;
  }
}
