/**
 * Themes are YAML data files naming colours for semantic roles (ok, warn, error, accent…).
 * The UI only ever asks for a role, so a theme file (or NO_COLOR) changes every pane at once.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isScalar, type Node } from 'yaml';

export const ROLES = [
  'fg', 'bg', 'ok', 'warn', 'error', 'accent', 'muted', 'selection', 'mark', 'border', 'focusBorder',
  'title', 'header', 'status', 'statusKey', 'yamlKey', 'yamlString', 'yamlNumber', 'yamlComment',
] as const;
export type Role = (typeof ROLES)[number];

export interface RoleStyle { fg?: string; bg?: string; bold?: boolean; underline?: boolean; inverse?: boolean }

export interface Theme {
  name: string;
  roles: Record<Role, RoleStyle>;
  /** True when NO_COLOR is set: only bold/underline/inverse are used. */
  mono: boolean;
  source: string;
}

export class ThemeError extends Error {}

const NAMED_COLOURS = new Set([
  'default', 'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey',
  'lightblack', 'lightred', 'lightgreen', 'lightyellow', 'lightblue', 'lightmagenta', 'lightcyan', 'lightwhite',
  'brightblack', 'brightred', 'brightgreen', 'brightyellow', 'brightblue', 'brightmagenta', 'brightcyan', 'brightwhite',
]);

export function validColour(c: string): boolean {
  return NAMED_COLOURS.has(c.toLowerCase()) || /^#[0-9a-f]{6}$/i.test(c) || /^#[0-9a-f]{3}$/i.test(c) || (/^\d{1,3}$/.test(c) && Number(c) <= 255);
}

/** Without a file every role still has a sensible value (this is also the NO_COLOR base). */
const FALLBACK: Record<Role, RoleStyle> = {
  fg: {}, bg: {}, ok: {}, warn: {}, error: { bold: true }, accent: { bold: true }, muted: {},
  selection: { inverse: true }, mark: { bold: true, underline: true }, border: {}, focusBorder: { bold: true },
  title: { bold: true }, header: { bold: true, underline: true }, status: { inverse: true }, statusKey: { bold: true },
  yamlKey: { bold: true }, yamlString: {}, yamlNumber: {}, yamlComment: {},
};

function lineOf(node: Node | null | undefined, lc: LineCounter): number {
  const off = node?.range?.[0];
  return off === undefined ? 1 : lc.linePos(off).line;
}

export function parseTheme(text: string, source: string, env: NodeJS.ProcessEnv = process.env): Theme {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new ThemeError(`${source}:${e.linePos?.[0]?.line ?? 1}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) throw new ThemeError(`${source}:1: a theme is a mapping with 'name' and 'roles'`);
  const rolesNode = root.get('roles', true) as Node | undefined;
  if (!isMap(rolesNode)) throw new ThemeError(`${source}:${lineOf(root, lc)}: 'roles' must be a mapping of role: colour`);
  const roles = { ...FALLBACK } as Record<Role, RoleStyle>;
  for (const item of rolesNode.items) {
    const role = isScalar(item.key) ? String(item.key.value) : '';
    const line = lineOf(item.key as Node, lc);
    if (!(ROLES as readonly string[]).includes(role)) throw new ThemeError(`${source}:${line}: unknown role '${role}' (known: ${ROLES.join(', ')})`);
    const v = item.value as Node | null;
    let style: RoleStyle;
    if (isScalar(v)) style = { fg: String(v.value) };
    else if (isMap(v)) {
      style = {};
      for (const p of v.items) {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        const pv = isScalar(p.value) ? p.value.value : undefined;
        const pl = lineOf(p.key as Node, lc);
        if (k === 'fg' || k === 'bg') style[k] = String(pv);
        else if (k === 'bold' || k === 'underline' || k === 'inverse') {
          if (typeof pv !== 'boolean') throw new ThemeError(`${source}:${pl}: '${k}' must be true or false`);
          style[k] = pv;
        } else throw new ThemeError(`${source}:${pl}: unknown style '${k}' (fg, bg, bold, underline, inverse)`);
      }
    } else throw new ThemeError(`${source}:${line}: role '${role}' needs a colour or {fg, bg, bold}`);
    for (const c of [style.fg, style.bg]) {
      if (c !== undefined && !validColour(c)) throw new ThemeError(`${source}:${line}: '${c}' is not a colour (names like red/gray/default, #rrggbb, or 0-255)`);
    }
    roles[role as Role] = style;
  }
  const nameNode = root.get('name');
  return finish({ name: typeof nameNode === 'string' ? nameNode : source, roles, mono: false, source }, env);
}

/** Applies NO_COLOR (https://no-color.org): any non-empty value drops every colour. */
function finish(theme: Theme, env: NodeJS.ProcessEnv): Theme {
  if (!env.NO_COLOR) return theme;
  const roles = {} as Record<Role, RoleStyle>;
  for (const r of ROLES) {
    const { bold, underline, inverse } = theme.roles[r];
    roles[r] = { bold: bold ?? FALLBACK[r].bold, underline: underline ?? FALLBACK[r].underline, inverse: inverse ?? FALLBACK[r].inverse };
  }
  // Selection and status must stay visible without colour.
  roles.selection = { inverse: true };
  roles.status = { inverse: true };
  return { ...theme, roles, mono: true };
}

export function fallbackTheme(env: NodeJS.ProcessEnv = process.env): Theme {
  return finish({ name: 'builtin', roles: { ...FALLBACK }, mono: false, source: '(built in)' }, env);
}

/** The last good parse of each file (as in keymap.ts: start-up parses the theme ahead). */
const parsed = new Map<string, { text: string; mono: boolean; theme: Theme }>();

export function loadThemeFile(file: string, env: NodeJS.ProcessEnv = process.env): Theme {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ThemeError(`${file}: cannot read: ${(err as Error).message}`);
  }
  const mono = Boolean(env.NO_COLOR);
  const last = parsed.get(file);
  if (last?.text === text && last.mono === mono) return last.theme;
  const theme = parseTheme(text, file, env);
  parsed.set(file, { text, mono, theme });
  return theme;
}

/**
 * A colour as blessed's tag parser knows it: styles accept `brightgreen`, tags only
 * `bright-green` (the parser reads `{bright-green-fg}` as "bright green fg").
 */
export function tagColour(c: string): string {
  const m = /^(bright|light)(black|red|green|yellow|blue|magenta|cyan|white|gr[ae]y)$/i.exec(c);
  return m ? `${m[1]!.toLowerCase()}-${m[2]!.toLowerCase()}` : c.toLowerCase();
}

/** blessed tag text: `{green-fg}{bold}`…`{/bold}{/green-fg}` around already-escaped text. */
export function paint(theme: Theme, role: Role, escapedText: string): string {
  const s = theme.roles[role];
  let open = '';
  let close = '';
  if (s.fg && s.fg !== 'default') { const c = tagColour(s.fg); open += `{${c}-fg}`; close = `{/${c}-fg}` + close; }
  if (s.bg && s.bg !== 'default') { const c = tagColour(s.bg); open += `{${c}-bg}`; close = `{/${c}-bg}` + close; }
  if (s.bold) { open += '{bold}'; close = '{/bold}' + close; }
  if (s.underline) { open += '{underline}'; close = '{/underline}' + close; }
  if (s.inverse) { open += '{inverse}'; close = '{/inverse}' + close; }
  return open + escapedText + close;
}

/** A blessed `style` object for a role (borders, status bar background…). */
export function blessedStyle(theme: Theme, role: Role): { fg?: string; bg?: string; bold?: boolean; underline?: boolean; inverse?: boolean } {
  const s = theme.roles[role];
  const out: { fg?: string; bg?: string; bold?: boolean; underline?: boolean; inverse?: boolean } = {};
  if (s.fg && s.fg !== 'default') out.fg = s.fg;
  if (s.bg && s.bg !== 'default') out.bg = s.bg;
  if (s.bold) out.bold = true;
  if (s.underline) out.underline = true;
  if (s.inverse) out.inverse = true;
  return out;
}
