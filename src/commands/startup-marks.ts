/**
 * KAI_TUI_BENCH=<file>: the cockpit's start-up milestones, in ms since the process started
 * (performance.now()), as lines of the bench trace. test/bench/cockpit.ts reports where the
 * time to the first rows goes. Nothing is written without the variable.
 */
import { appendFileSync } from 'node:fs';

export function startupMark(name: string): void {
  const file = process.env.KAI_TUI_BENCH;
  if (!file) return;
  try {
    appendFileSync(file, JSON.stringify({ ev: 'mark', n: name, up: Math.round(performance.now()) }) + '\n');
  } catch {
    // The bench reads what it can.
  }
}
