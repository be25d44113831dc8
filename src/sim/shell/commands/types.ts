import type { Shell } from '../interp.js';
import type { Io } from '../types.js';

export type CmdFn = (argv: string[], io: Io, sh: Shell) => Promise<number> | number;

/** Splits short options (-abc, -n 5) from operands; `withValue` lists options taking a value. */
export function getopt(args: string[], withValue = ''): { opts: Map<string, string>; rest: string[] } {
  const opts = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { rest.push(...args.slice(i + 1)); break; }
    if (a.startsWith('--') && a.length > 2) {
      const [k, v] = a.slice(2).split(/=(.*)/s);
      opts.set(k!, v ?? (withValue.split(',').includes(k!) ? args[++i] ?? '' : ''));
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (withValue.split(',').includes(c)) {
          opts.set(c, a.slice(j + 1) || args[++i] || '');
          break;
        }
        opts.set(c, '');
      }
      continue;
    }
    rest.push(a);
  }
  return { opts, rest };
}
