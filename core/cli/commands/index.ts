import type { CliCommand } from '../command.js';
import { systemCommands } from './system.js';
import { billetCommands } from './billets.js';

/** Every verb of the one `ferrolab` CLI; each is a thin call into core. */
export const commands: CliCommand[] = [...systemCommands, ...billetCommands];
