/**
 * How many colours to draw with. blessed reads it from terminfo, but its parser gets 8 for
 * terminals whose entries use ncurses' newer format (tmux-256color, screen-256color on current
 * Debian), and with 8 colours it reduces the theme's grey (muted text) to black: invisible on
 * a dark background. Every terminal in use today draws the 16 ANSI colours (SGR 90–97), and a
 * *-256color TERM or a COLORTERM of truecolor/24bit promises 256.
 */
export function terminalColours(term: string | undefined, colorterm: string | undefined, fromTerminfo: number): number {
  if (/256colou?r|direct/.test(term ?? '') || /truecolor|24bit/i.test(colorterm ?? '')) return Math.max(fromTerminfo, 256);
  if (term === 'dumb' || term === 'linux' && fromTerminfo < 8) return fromTerminfo;
  return Math.max(fromTerminfo, 16);
}

/** Applies it to a blessed screen (its program's tput is what every colour goes through). */
export function fixColourCount(screen: unknown, env: NodeJS.ProcessEnv): void {
  const tput = (screen as { tput?: { colors?: number } }).tput;
  if (!tput || typeof tput.colors !== 'number') return;
  tput.colors = terminalColours(env.TERM, env.COLORTERM, tput.colors);
}
