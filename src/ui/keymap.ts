/**
 * Keymaps are YAML data files: `bindings: { action: [key, ...] }`. A key is written the way
 * people say it (`ctrl-d`, `shift-f`, `esc`, `pgdn`, `?`) or as a two-key sequence (`g g`).
 * Loading validates everything and reports the first problem with its line number, so a bad
 * file never replaces a working keymap.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';

/** Every action a keymap may name, with the help text the `?` overlay shows. */
export const ACTIONS: Record<string, string> = {
  quit: 'quit kai-tui',
  help: 'show / hide this help',
  command: 'command line (:pods, :ns default, :ctx NAME, :q) or the palette',
  filter: 'filter rows: text, -l app=web (labels), !text (inverse)',
  back: 'back: close overlay / clear filter / leave detail view',
  up: 'move up',
  down: 'move down',
  pageUp: 'page up',
  pageDown: 'page down',
  top: 'go to the first row',
  bottom: 'go to the last row',
  drill: 'drill down (kind → objects → ownership tree)',
  describe: 'describe the selected object',
  yaml: 'YAML of the selected object',
  reveal: 'reveal the next secret value in the YAML view (hides the others)',
  logs: 'logs of the selected pod',
  shell: 'shell into the selected pod',
  portForward: 'port-forward the selected pod/service',
  portForwards: 'port-forwards pane: live meters of every forward (stop, restore remembered)',
  metrics: 'top: node and pod CPU/memory gauges from metrics.k8s.io',
  chat: 'AI chat about the selection (:chat QUESTION; it looks with read-only tools, proposes plans)',
  delete: 'delete the selected/marked objects (plan → preview → confirm)',
  edit: 'edit the selected object (plan → preview → confirm)',
  scale: 'scale the selected workload (plan → preview → confirm)',
  restart: 'rollout restart the selected workload (plan → preview → confirm)',
  cordon: 'cordon the selected node (plan → preview → confirm)',
  uncordon: 'uncordon the selected node (plan → preview → confirm)',
  drain: 'drain the selected node (plan → preview → confirm)',
  undo: 'undo the last operation (its inverse plan → preview → confirm)',
  history: 'operation history from the journal (outcomes; undo any)',
  mark: 'mark / unmark the row for multi-select',
  clearMarks: 'clear all marks',
  sortNext: 'sort by the next column',
  sortReverse: 'reverse the sort order',
  allNamespaces: 'show all namespaces',
  focusNext: 'focus the next pane',
  focusPrev: 'focus the previous pane',
  zoom: 'zoom the focused pane to full screen / back',
  layout: 'switch layout (browse ↔ triage)',
  grow: 'make the focused pane larger',
  shrink: 'make the focused pane smaller',
  tree: 'focus the resource tree',
  events: 'focus the events pane',
  pulse: 'pulse: triage findings, live, ranked (enter: evidence → AI diagnosis → fix plan)',
  explain: 'explain the selected object: findings, evidence, the rule (AI diagnosis on a)',
  messages: 'every message of this session in full, newest first',
};

export interface Keymap {
  name: string;
  /** Normalised key (blessed `full` name, or "g g" for a sequence) → action. */
  byKey: Map<string, string>;
  /** Action → keys as written in the file (for help and hints). */
  byAction: Map<string, string[]>;
  source: string;
}

export class KeymapError extends Error {}

const NAMED: Record<string, string> = {
  esc: 'escape', escape: 'escape', enter: 'enter', return: 'enter', tab: 'tab', space: 'space',
  backspace: 'backspace', bs: 'backspace', del: 'delete', delete: 'delete', insert: 'insert',
  up: 'up', down: 'down', left: 'left', right: 'right', home: 'home', end: 'end',
  pgup: 'pageup', pageup: 'pageup', pgdn: 'pagedown', pgdown: 'pagedown', pagedown: 'pagedown',
};

/** `ctrl-d` → `C-d`, `shift-f` → `S-f`, `F` → `S-f`, `alt-x` → `M-x`, `esc` → `escape`, `?` → `?`. */
export function normaliseKey(raw: string): string | undefined {
  const s = raw.trim();
  if (s.length === 1) {
    if (s >= 'A' && s <= 'Z') return `S-${s.toLowerCase()}`;
    if (s === ' ') return 'space';
    return s > ' ' && s <= '~' ? s : undefined;
  }
  const m = /^((?:(?:ctrl|c|alt|meta|m|shift|s)[-+])*)(.+)$/i.exec(s);
  if (!m) return undefined;
  const mods = m[1]!.toLowerCase().split(/[-+]/).filter(Boolean);
  let base = m[2]!;
  const named = NAMED[base.toLowerCase()];
  if (named) base = named;
  else if (/^f([1-9]|1[0-2])$/i.test(base)) base = base.toLowerCase();
  else if (base.length === 1 && /[a-zA-Z]/.test(base)) {
    if (base !== base.toLowerCase()) mods.push('shift');
    base = base.toLowerCase();
  } else if (base.length !== 1 || mods.length > 0 && !/[a-z0-9]/.test(base)) return undefined;
  const ctrl = mods.some((x) => x === 'ctrl' || x === 'c');
  const meta = mods.some((x) => x === 'alt' || x === 'meta' || x === 'm');
  const shift = mods.some((x) => x === 'shift' || x === 's');
  return `${ctrl ? 'C-' : ''}${meta ? 'M-' : ''}${shift ? 'S-' : ''}${base}`;
}

/** Normalises a binding: one key or a space-separated two-key sequence ("g g"). */
export function normaliseBinding(raw: string): string | undefined {
  const parts = raw.trim() === ' ' ? [' '] : raw.trim().split(/\s+/);
  if (parts.length === 0 || parts.length > 2) return undefined;
  const keys = parts.map(normaliseKey);
  if (keys.some((k) => k === undefined)) return undefined;
  return keys.join(' ');
}

function lineOf(node: Node | null | undefined, lc: LineCounter): number {
  const off = node?.range?.[0];
  return off === undefined ? 1 : lc.linePos(off).line;
}

/** Parses and validates a keymap's text; throws KeymapError "FILE:LINE: what is wrong". */
export function parseKeymap(text: string, source: string): Keymap {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new KeymapError(`${source}:${e.linePos?.[0]?.line ?? 1}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) throw new KeymapError(`${source}:1: a keymap is a mapping with 'name' and 'bindings'`);
  const bindingsNode = root.get('bindings', true) as Node | undefined;
  if (!isMap(bindingsNode)) throw new KeymapError(`${source}:${lineOf(root, lc)}: 'bindings' must be a mapping of action: [keys]`);
  for (const item of root.items) {
    const k = isScalar(item.key) ? String(item.key.value) : '';
    if (k !== 'name' && k !== 'bindings' && k !== 'description') throw new KeymapError(`${source}:${lineOf(item.key as Node, lc)}: unknown top-level key '${k}' (expected name, description, bindings)`);
  }
  const byKey = new Map<string, string>();
  const byAction = new Map<string, string[]>();
  const where = new Map<string, number>();
  for (const item of bindingsNode.items) {
    const action = isScalar(item.key) ? String(item.key.value) : '';
    const line = lineOf(item.key as Node, lc);
    if (!(action in ACTIONS)) throw new KeymapError(`${source}:${line}: unknown action '${action}' (known: ${Object.keys(ACTIONS).join(', ')})`);
    const v = item.value as Node | null;
    const keys: Array<{ raw: string; line: number }> = [];
    if (isScalar(v)) keys.push({ raw: String(v.value), line: lineOf(v, lc) });
    else if (isSeq(v)) {
      for (const k of v.items) {
        if (!isScalar(k)) throw new KeymapError(`${source}:${lineOf(k as Node, lc)}: a key must be a string, e.g. ctrl-d`);
        keys.push({ raw: String(k.value), line: lineOf(k, lc) });
      }
    } else throw new KeymapError(`${source}:${line}: '${action}' needs a key or a list of keys`);
    const written: string[] = [];
    for (const { raw, line: kl } of keys) {
      const norm = normaliseBinding(raw);
      if (!norm) throw new KeymapError(`${source}:${kl}: '${raw}' is not a key (examples: j, ?, ctrl-d, shift-f, esc, enter, pgdn, "g g")`);
      const prev = byKey.get(norm);
      if (prev && prev !== action) throw new KeymapError(`${source}:${kl}: '${raw}' is already bound to '${prev}' on line ${where.get(norm)}`);
      byKey.set(norm, action);
      where.set(norm, kl);
      written.push(raw);
    }
    byAction.set(action, written);
  }
  for (const needed of ['quit', 'help', 'back']) {
    if (!byAction.get(needed)?.length) throw new KeymapError(`${source}:${lineOf(bindingsNode, lc)}: the keymap must bind '${needed}' (or you could not get out)`);
  }
  // A single key that also starts a sequence would make the sequence unreachable.
  for (const k of byKey.keys()) {
    const [first, second] = k.split(' ');
    if (second && byKey.has(first!)) throw new KeymapError(`${source}:${where.get(k)}: sequence '${k}' starts with '${first}', which is bound alone to '${byKey.get(first!)}'`);
  }
  const nameNode = root.get('name');
  return { name: typeof nameNode === 'string' ? nameNode : source, byKey, byAction, source };
}

/**
 * The last good parse of each file, with the text it was parsed from: start-up parses the
 * keymap ahead, while its first request is on the way (preloadLooks), and the cockpit then gets
 * the same result. Any change to the text parses again.
 */
const parsed = new Map<string, { text: string; keymap: Keymap }>();

export function loadKeymapFile(file: string): Keymap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KeymapError(`${file}: cannot read: ${(err as Error).message}`);
  }
  const last = parsed.get(file);
  if (last?.text === text) return last.keymap;
  const keymap = parseKeymap(text, file);
  parsed.set(file, { text, keymap });
  return keymap;
}

/**
 * Turns blessed keypresses into actions, with two-key sequences ("g g"). Returns the action,
 * 'pending' while a sequence is half typed, or undefined.
 */
export class KeyResolver {
  private pending: string | undefined;
  constructor(private keymap: Keymap) {}
  setKeymap(k: Keymap): void {
    this.keymap = k;
    this.pending = undefined;
  }
  resolve(full: string): string | 'pending' | undefined {
    if (this.pending) {
      const seq = `${this.pending} ${full}`;
      this.pending = undefined;
      const a = this.keymap.byKey.get(seq);
      if (a) return a;
    }
    const a = this.keymap.byKey.get(full);
    if (a) return a;
    for (const k of this.keymap.byKey.keys()) {
      if (k.startsWith(`${full} `)) {
        this.pending = full;
        return 'pending';
      }
    }
    return undefined;
  }
}
