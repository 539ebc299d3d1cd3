/** The CLI's commands, one module each. Adding a command: write its module, add it here. */
import type { CommandModule } from 'yargs';
import { parseCommand } from './parse.js';
import { testCommand } from './test.js';
import { huntCommand } from './hunt.js';
import { fmtCommand } from './fmt.js';
import { lintCommand } from './lint.js';
import { coverageCommand } from './coverage.js';
import { convertCommand } from './convert.js';
import { listCommand } from './list.js';

// Each command has its own argument type; yargs only needs the common shape here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<object, any>[] = [
  convertCommand,
  listCommand,
  parseCommand,
  testCommand,
  huntCommand,
  fmtCommand,
  lintCommand,
  coverageCommand,
];
