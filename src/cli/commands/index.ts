/**
 * The CLI's commands. Each has a light spec (name, description, options: src/cli/specs/) and a
 * handler module here, imported only when that command runs (lazy-command.ts). Adding a
 * command: write its spec and its module, then add one import and one entry below.
 */
import type { CommandModule } from 'yargs';
import { lazyCommand } from '../lazy-command.js';
import { convertSpec } from '../specs/convert.js';
import { listSpec } from '../specs/list.js';
import { parseSpec } from '../specs/parse.js';
import { testSpec } from '../specs/test.js';
import { huntSpec } from '../specs/hunt.js';
import { fmtSpec } from '../specs/fmt.js';
import { lintSpec } from '../specs/lint.js';
import { coverageSpec } from '../specs/coverage.js';
import { ciSpec } from '../specs/ci.js';
import { tuneSpec } from '../specs/tune.js';

// Each command has its own argument type; yargs only needs the common shape here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<object, any>[] = [
  lazyCommand(convertSpec, async () => (await import('./convert.js')).convertCommand),
  lazyCommand(listSpec, async () => (await import('./list.js')).listCommand),
  lazyCommand(parseSpec, async () => (await import('./parse.js')).parseCommand),
  lazyCommand(testSpec, async () => (await import('./test.js')).testCommand),
  // hunt's handler has always been async: its errors go through yargs's fail(), as before.
  lazyCommand(huntSpec, async () => (await import('./hunt.js')).huntCommand, { errorsThroughYargs: true }),
  lazyCommand(fmtSpec, async () => (await import('./fmt.js')).fmtCommand),
  lazyCommand(lintSpec, async () => (await import('./lint.js')).lintCommand),
  lazyCommand(coverageSpec, async () => (await import('./coverage.js')).coverageCommand),
  lazyCommand(ciSpec, async () => (await import('./ci.js')).ciCommand),
  lazyCommand(tuneSpec, async () => (await import('./tune.js')).tuneCommand),
];
