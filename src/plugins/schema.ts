/**
 * User plugins: palette commands defined in YAML (k9s's plugins.yaml idea). A file holds
 *
 *   plugins:
 *     - name: tail-errors            # the palette command (:tail-errors)
 *       description: last errors in the pod's log
 *       scopes: [pods]               # kinds (plural, Kind or short name) where it applies; "all" = anywhere
 *       key: shift-e                 # optional key in the table
 *       shell: kubectl logs -n "$NAMESPACE" "$NAME" --tail 200 | grep -i error
 *       background: true             # output captured (default); false → the shell pane
 *     - name: scale-to-five
 *       scopes: [deployments]
 *       plan: scale deployment/$NAME -n $NAMESPACE --replicas=5   # palette language → preview/confirm
 *       mutates: true                # required when it changes the cluster
 *     - name: summarize-rollout
 *       scopes: [deployments]
 *       prompt: prompts/summarize-rollout.md                        # a custom prompt run with the selection
 *
 * Loading validates everything and reports the first problem as "FILE:LINE: what is wrong",
 * like keymaps and themes.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type YAMLMap } from 'yaml';
import { normaliseBinding } from '../ui/keymap.js';
import { BUILDERS, READ_VERBS } from '../ops/commands/index.js';

export type PluginAction =
  | { type: 'shell'; command: string; background: boolean }
  | { type: 'plan'; template: string }
  | { type: 'prompt'; file: string };

export interface Plugin {
  name: string;
  description: string;
  /** Lower-case kind names as written (plural, Kind or short name); ['all'] = anywhere. */
  scopes: string[];
  /** The normalised key (blessed name), and as written. */
  key?: { norm: string; raw: string };
  action: PluginAction;
  mutates: boolean;
  /** Where it was defined (help lists it). */
  source: string;
  line: number;
}

export class PluginError extends Error {}

const FIELDS = ['name', 'description', 'scopes', 'kinds', 'key', 'shell', 'background', 'plan', 'prompt', 'mutates'];
const NAME = /^[a-z][a-z0-9-]{0,40}$/;
/** Read-only palette verbs: a plan template with one of these does not change the cluster. */
const READ = new Set<string>([...READ_VERBS]);

function lineOf(node: Node | null | undefined, lc: LineCounter): number {
  const off = node?.range?.[0];
  return off === undefined ? 1 : lc.linePos(off).line;
}

export function parsePlugins(text: string, source: string, reserved: ReadonlySet<string> = new Set()): Plugin[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const fail = (node: Node | null | undefined, msg: string): never => {
    throw new PluginError(`${source}:${lineOf(node, lc)}: ${msg}`);
  };
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new PluginError(`${source}:${e.linePos?.[0]?.line ?? 1}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null) return [];
  if (!isMap(root)) return fail(root, "a plugin file is a mapping with 'plugins:' (a list)");
  for (const item of root.items) {
    const k = isScalar(item.key) ? String(item.key.value) : '';
    if (k !== 'plugins') fail(item.key as Node, `unknown top-level key '${k}' (expected plugins)`);
  }
  const list = root.get('plugins', true) as Node | undefined;
  if (list === undefined || (isScalar(list) && list.value === null)) return [];
  if (!isSeq(list)) return fail(list, "'plugins' must be a list of plugins (each starting with '- name:')");
  const out: Plugin[] = [];
  const seen = new Map<string, number>();
  for (const entry of list.items) {
    if (!isMap(entry)) fail(entry as Node, 'each plugin is a mapping (name, scopes, shell|plan|prompt, …)');
    const m = entry as YAMLMap;
    const line = lineOf(m, lc);
    const field = (k: string) => m.items.find((i) => isScalar(i.key) && String(i.key.value) === k);
    for (const i of m.items) {
      const k = isScalar(i.key) ? String(i.key.value) : '';
      if (!FIELDS.includes(k)) fail(i.key as Node, `unknown field '${k}' (known: ${FIELDS.join(', ')})`);
    }
    const str = (k: string, required = false): string | undefined => {
      const f = field(k);
      if (!f) return required ? fail(m, `'${k}' is missing`) : undefined;
      const v = f.value as Node | null;
      if (!isScalar(v) || v.value === null || typeof v.value === 'object') return fail(v ?? (f.key as Node), `'${k}' must be text`);
      const s = String(v.value).trim();
      if (!s) fail(v, `'${k}' is empty`);
      return s;
    };
    const bool = (k: string): boolean => {
      const f = field(k);
      if (!f) return false;
      const v = f.value as Node | null;
      if (!isScalar(v) || typeof v.value !== 'boolean') return fail(v ?? (f.key as Node), `'${k}' must be true or false`);
      return v.value;
    };
    const name = str('name', true)!;
    const nameNode = field('name')!.value as Node;
    if (!NAME.test(name)) fail(nameNode, `name '${name}' must be lower-case letters, digits and dashes (it becomes the palette command :${name})`);
    if (reserved.has(name)) fail(nameNode, `name '${name}' is a built-in command; choose another`);
    if (seen.has(name)) fail(nameNode, `plugin '${name}' is already defined on line ${seen.get(name)}`);
    seen.set(name, lineOf(nameNode, lc));

    const scopeField = field('scopes') ?? field('kinds');
    if (field('scopes') && field('kinds')) fail(field('kinds')!.key as Node, "give 'scopes' or 'kinds', not both");
    let scopes: string[] = ['all'];
    if (scopeField) {
      const v = scopeField.value as Node | null;
      if (isScalar(v) && typeof v.value === 'string') scopes = [v.value];
      else if (isSeq(v) && v.items.length && v.items.every((x) => isScalar(x) && typeof x.value === 'string')) scopes = v.items.map((x) => String((x as { value: string }).value));
      else fail(v ?? (scopeField.key as Node), "'scopes' is a list of kinds, e.g. [pods, deployments], or [all]");
      scopes = scopes.map((s) => s.trim().toLowerCase());
    }

    let key: Plugin['key'];
    const rawKey = str('key');
    if (rawKey !== undefined) {
      const norm = normaliseBinding(rawKey);
      if (!norm) fail(field('key')!.value as Node, `'${rawKey}' is not a key (examples: shift-e, ctrl-b, alt-x, f5)`);
      key = { norm: norm!, raw: rawKey };
    }

    const kinds = ['shell', 'plan', 'prompt'].filter((k) => field(k));
    if (kinds.length !== 1) fail(m, kinds.length ? `give one of shell, plan or prompt, not ${kinds.join(' and ')}` : "a plugin needs 'shell' (a command), 'plan' (a palette command) or 'prompt' (a prompt file)");
    const mutates = bool('mutates');
    let action: PluginAction;
    if (kinds[0] === 'shell') {
      action = { type: 'shell', command: str('shell')!, background: field('background') ? bool('background') : true };
    } else if (kinds[0] === 'plan') {
      const template = str('plan')!;
      const verb = template.replace(/^(kubectl|k)\s+/, '').split(/\s+/)[0]!;
      const planNode = field('plan')!.value as Node;
      if (!BUILDERS[verb] && !READ.has(verb)) fail(planNode, `'${verb}' is not a palette command (known: ${[...Object.keys(BUILDERS), ...READ].sort().join(', ')})`);
      if (BUILDERS[verb] && !mutates) fail(planNode, `'${verb}' changes the cluster: add 'mutates: true' to this plugin`);
      action = { type: 'plan', template };
    } else {
      const p = str('prompt')!;
      action = { type: 'prompt', file: isAbsolute(p) ? p : join(dirname(source), p) };
    }
    if (field('background') && action.type !== 'shell') fail(field('background')!.key as Node, "'background' applies to shell plugins only");
    out.push({ name, description: str('description') ?? '', scopes, key, action, mutates, source, line });
  }
  return out;
}

export function loadPluginFile(file: string, reserved?: ReadonlySet<string>): Plugin[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PluginError(`${file}: cannot read: ${(err as Error).message}`);
  }
  return parsePlugins(text, file, reserved);
}

/** Whether the plugin applies to a kind (matched by plural, singular, Kind or short name). */
export function pluginApplies(p: Plugin, kind: { resource: string; kind: string; shortNames?: string[]; singular?: string } | undefined): boolean {
  if (p.scopes.includes('all')) return true;
  if (!kind) return false;
  const names = [kind.resource, kind.kind.toLowerCase(), kind.singular ?? '', ...(kind.shortNames ?? [])].map((s) => s.toLowerCase());
  return p.scopes.some((s) => names.includes(s));
}
