/**
 * One registry for what the cockpit can do: keymap actions (bound to keys by name in
 * keymaps/*.yaml) and `:` commands (the command line and the palette). Dispatch, help and
 * "did you mean" all read it, so a command that runs is a command that help lists.
 */
import { editDistance } from '../../config/validate.js';
import { ACTIONS, type Keymap } from '../keymap.js';

export type CommandGroup = 'navigation' | 'views' | 'operations' | 'ai' | 'extensions';

export interface CommandSpec {
  /** The first name is the one help shows; the rest are aliases. */
  names: string[];
  /** How it is typed, e.g. `:ns [NAME]`. */
  usage: string;
  summary: string;
  group: CommandGroup;
  /** Returns false when the words are not this command's after all (the next one is tried). */
  run(args: string[], text: string): boolean | void;
}

export type ActionFn = (host: never) => void | Promise<void>;

const GROUP_TITLES: Record<CommandGroup, string> = {
  navigation: 'navigation', views: 'views', operations: 'operations (plan → preview → confirm)', ai: 'AI', extensions: 'extensions',
};

export class CockpitRegistry {
  /** Handlers of keymap actions by name (panes add or replace theirs: `shell`, `undo`, …). */
  readonly actions = new Map<string, ActionFn>();
  private readonly summaries = new Map<string, string>(Object.entries(ACTIONS));
  private readonly commands: CommandSpec[] = [];

  action(name: string, run: ActionFn, summary?: string): void {
    this.actions.set(name, run);
    if (summary) this.summaries.set(name, summary);
  }

  command(spec: CommandSpec): void {
    const at = this.commands.findIndex((c) => c.names[0] === spec.names[0]);
    if (at >= 0) this.commands[at] = spec;
    else this.commands.push(spec);
  }

  find(word: string): CommandSpec | undefined {
    return this.commands.find((c) => c.names.includes(word));
  }

  /** Runs `:text` if a registered command takes it; false when none does. */
  run(text: string): boolean {
    const [word = '', ...args] = text.trim().replace(/^:/, '').split(/\s+/);
    const spec = this.find(word);
    if (!spec) return false;
    return spec.run(args.filter((a) => a !== ''), text) !== false;
  }

  names(): string[] {
    return this.commands.flatMap((c) => c.names);
  }

  list(): CommandSpec[] {
    return [...this.commands];
  }

  /** The closest of `candidates` (command names and kind names) to a mistyped word, if close. */
  suggest(word: string, candidates: string[] = []): string | undefined {
    const lower = word.toLowerCase();
    let best: string | undefined;
    let bestD = Infinity;
    for (const c of new Set([...this.names(), ...candidates])) {
      const d = editDistance(lower, c.toLowerCase());
      // On a tie, the candidate as long as the word ("pdos" → pods, not po).
      const closer = best !== undefined && Math.abs(c.length - word.length) < Math.abs(best.length - word.length);
      if (d < bestD || (d === bestD && closer)) { bestD = d; best = c; }
    }
    // One edit for short words, two from five letters on ("scael" → scale, "pdos" → pods).
    return best !== undefined && bestD > 0 && bestD <= (word.length >= 4 ? 2 : 1) ? best : undefined;
  }

  /** Help rows: bound keys with what they do, then every command by group. */
  helpRows(keymap: Keymap, hide: string[] = []): Array<[string, string]> {
    const rows: Array<[string, string]> = [];
    const order = new Set([...this.summaries.keys(), ...keymap.byAction.keys()]);
    for (const action of order) {
      const keys = keymap.byAction.get(action);
      if (hide.includes(action) || !keys?.length) continue;
      rows.push([keys.join(', '), this.summaries.get(action) ?? action]);
    }
    for (const group of Object.keys(GROUP_TITLES) as CommandGroup[]) {
      const of = this.commands.filter((c) => c.group === group && !hide.includes(c.names[0]!));
      if (!of.length) continue;
      rows.push(['', ''], [`— commands: ${GROUP_TITLES[group]}`, '']);
      for (const c of of) rows.push([c.usage, c.summary]);
    }
    return rows;
  }
}
