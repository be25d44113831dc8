/** Every command the emulated shell knows, by name. Anything else is "not found" (127). */
import { BUILTINS } from './builtins.js';
import { FILE_COMMANDS } from './files.js';
import { NET_COMMANDS } from './net.js';
import { SYSTEM_COMMANDS } from './system.js';
import { TEXT_COMMANDS } from './text.js';
import { tar } from './tar.js';
import type { CmdFn } from './types.js';

export const COMMANDS = new Map<string, CmdFn>(Object.entries({
  ...BUILTINS, ...FILE_COMMANDS, ...SYSTEM_COMMANDS, ...NET_COMMANDS, ...TEXT_COMMANDS, tar,
}));

export type { CmdFn };
