/**
 * A repeatable string option: one value per flag (`-p a -p b`), collected into a list. yargs'
 * `array: true` would instead swallow every following word, paths included, so that
 * `sigil convert -p sentinel rules/` lost its path (issue 19); positionals alone are arrays.
 */
export const repeatable = <D extends string>(describe: D) =>
  ({
    type: 'string',
    requiresArg: true,
    describe,
    coerce: (v: string | string[]): string[] => ([] as string[]).concat(v),
  }) as const;
