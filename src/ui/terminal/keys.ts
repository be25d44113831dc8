/**
 * blessed key events → the bytes a terminal would send to the program (xterm conventions).
 * One chord is kept for the cockpit: ctrl-] (telnet's escape) leaves the shell pane; every
 * other key goes to the shell, ctrl-c and esc included.
 */

/** The chord that leaves the shell pane, as written in the UI and the docs. */
export const LEAVE_CHORD_LABEL = 'ctrl-]';

/** ctrl-] arrives as the byte 0x1d (blessed gives it no name). */
export function isLeaveChord(full: string, ch: string | undefined): boolean {
  return ch === '\x1d' || full === '\x1d' || full === 'C-]';
}

const CURSOR: Record<string, string> = { up: 'A', down: 'B', right: 'C', left: 'D', home: 'H', end: 'F' };
const TILDE: Record<string, number> = { insert: 2, delete: 3, pageup: 5, pagedown: 6, f5: 15, f6: 17, f7: 18, f8: 19, f9: 20, f10: 21, f11: 23, f12: 24 };
const SS3: Record<string, string> = { f1: 'P', f2: 'Q', f3: 'R', f4: 'S' };

export interface KeyModes {
  /** DECCKM: the program asked for application cursor keys (ESC O A instead of ESC [ A). */
  applicationCursor: boolean;
}

/** xterm's modifier parameter: 1 + shift(1) + alt(2) + ctrl(4). */
function modifierParam(mods: string[]): number {
  return 1 + (mods.includes('S') ? 1 : 0) + (mods.includes('M') ? 2 : 0) + (mods.includes('C') ? 4 : 0);
}

/**
 * The bytes for one key event, or undefined when it has no terminal meaning.
 * `full` is blessed's key name (`C-a`, `M-x`, `S-tab`, `up`, `enter`…), `ch` the character.
 */
export function keyBytes(full: string, ch: string | undefined, modes: KeyModes = { applicationCursor: false }): string | undefined {
  const parts = full.split('-');
  // 'C-up' → ['C', 'up']; a lone '-' key splits into ['', ''].
  const name = full === '-' ? '-' : parts[parts.length - 1]!;
  const mods = full === '-' ? [] : parts.slice(0, -1).filter((m) => m === 'C' || m === 'M' || m === 'S');
  if (name === 'enter' || name === 'return') return mods.includes('M') ? '\x1b\r' : '\r';
  if (name === 'tab' && mods.length === 0) return '\t';
  if (name === 'tab' && mods.includes('S')) return '\x1b[Z';
  if (name === 'backspace') return mods.includes('M') ? '\x1b\x7f' : '\x7f';
  if (name === 'escape' && mods.length === 0) return '\x1b';
  if (name === 'space' && mods.length === 0) return ' ';
  if (name === 'space' && mods.includes('C')) return '\x00';
  if (name in CURSOR) {
    if (mods.length) return `\x1b[1;${modifierParam(mods)}${CURSOR[name]}`;
    return (modes.applicationCursor ? '\x1bO' : '\x1b[') + CURSOR[name];
  }
  if (name in TILDE) return mods.length ? `\x1b[${TILDE[name]};${modifierParam(mods)}~` : `\x1b[${TILDE[name]}~`;
  if (name in SS3) return mods.length ? `\x1b[1;${modifierParam(mods)}${SS3[name]}` : `\x1bO${SS3[name]}`;
  // ctrl-letter: the control byte (ctrl-a = 0x01 … ctrl-z = 0x1a).
  if (mods.includes('C') && /^[a-z]$/.test(name)) {
    const b = String.fromCharCode(name.charCodeAt(0) - 96);
    return mods.includes('M') ? '\x1b' + b : b;
  }
  // alt-x: ESC then the character (shift gives the capital).
  if (mods.includes('M') && name.length === 1) return '\x1b' + (mods.includes('S') ? name.toUpperCase() : name);
  // Printable characters (shift-a arrives as 'S-a' with ch 'A') and the remaining C0 bytes.
  if (ch !== undefined && ch.length > 0) return ch;
  if ([...full].length === 1) return full;
  return undefined;
}
