/**
 * A command whose handler module is imported only when the command runs. Why: importing every
 * command's implementation up front loads the parser, the backends, the linter's ATT&CK data
 * and noise index, the evaluator and their packages for every invocation, `--version` included;
 * the bundle (scripts/bundle.mjs) splits each handler's code into chunks loaded on demand.
 */
import type { CommandModule } from 'yargs';

/** What yargs needs before a command runs: its name, description and options (src/cli/specs/). */
export type CommandSpec<Args> = Pick<CommandModule<object, Args>, 'command' | 'describe' | 'builder'>;

export interface LazyOptions {
  /**
   * The handler reports its errors through yargs's fail() (which adds "Run 'sigil --help'").
   * Without this, a handler's error is handed to main.ts after parsing (see takeHandlerError),
   * as it was when handlers were imported up front and threw synchronously out of yargs.
   */
  errorsThroughYargs?: boolean;
}

let handlerError: { error: unknown } | undefined;

/** The error a lazily loaded handler threw, once (main.ts rethrows it into its own handling). */
export function takeHandlerError(): { error: unknown } | undefined {
  const e = handlerError;
  handlerError = undefined;
  return e;
}

export function lazyCommand<Args>(
  spec: CommandSpec<Args>,
  load: () => Promise<CommandModule<object, Args>>,
  options: LazyOptions = {},
): CommandModule<object, Args> {
  return {
    ...spec,
    handler: async (argv) => {
      const command = await load();
      if (options.errorsThroughYargs) {
        await command.handler(argv);
        return;
      }
      try {
        await command.handler(argv);
      } catch (error) {
        handlerError = { error };
      }
    },
  };
}
