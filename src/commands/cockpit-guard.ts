/**
 * While the cockpit owns the terminal, nothing may write to it behind blessed's back: process
 * warnings (MaxListenersExceeded, deprecations) and stray console output go to a log file in
 * the config dir instead. A terminal that goes away (SIGHUP, EIO/EPIPE on the tty) ends the
 * cockpit cleanly — through its normal quit, so forwards and the journal are closed — instead
 * of crashing with a stack trace.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { format } from 'node:util';

const GONE = new Set(['EIO', 'EPIPE', 'ENXIO', 'EBADF']);

export function guardTerminal(logFile: string, quit: () => void): () => void {
  const write = (kind: string, text: string) => {
    try {
      mkdirSync(dirname(logFile), { recursive: true });
      appendFileSync(logFile, `${new Date().toISOString()} ${kind} ${text}\n`, { mode: 0o600 });
    } catch { /* nowhere to write: drop it rather than touch the screen */ }
  };
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const warningListeners = process.listeners('warning');
  process.removeAllListeners('warning'); // Node's own listener prints to stderr: the screen
  const onWarning = (w: Error) => write('warning', `${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  for (const k of Object.keys(saved) as Array<keyof typeof saved>) console[k] = (...args: unknown[]) => write(`console.${k}`, format(...args));

  const onTtyError = (err: NodeJS.ErrnoException) => {
    write('tty', `${err.code ?? ''} ${err.message}`);
    if (GONE.has(err.code ?? '')) quit();
  };
  process.stdout.on('error', onTtyError);
  process.stdin.on('error', onTtyError);
  const onUncaught = (err: NodeJS.ErrnoException) => {
    if (GONE.has(err.code ?? '')) { write('tty', `terminal gone: ${err.message}`); quit(); return; }
    write('uncaught', err.stack ?? String(err));
    quit();
  };
  process.on('uncaughtException', onUncaught);

  return () => {
    Object.assign(console, saved);
    process.off('warning', onWarning);
    for (const l of warningListeners) process.on('warning', l as (w: Error) => void);
    process.stdout.off('error', onTtyError);
    process.stdin.off('error', onTtyError);
    process.off('uncaughtException', onUncaught);
  };
}
