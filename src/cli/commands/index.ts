/** The CLI's commands, one module each. Adding a command: write its module, add it here. */
import type { CommandModule } from 'yargs';
import { parseCommand } from './parse.js';

// Each command has its own argument type; yargs only needs the common shape here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<object, any>[] = [
  parseCommand,
];
