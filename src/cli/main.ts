/** `sigil`: the command-line interface. Usage and input errors exit 2, findings exit 1. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { takeHandlerError } from './lazy-command.js';
import { UsageError, err } from './io.js';
import { sigilVersion } from './version.js';

// A reader that stops early (`sigil parse rules --json | head -1`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });

// yargs-parser drops a lone `-` positional; carry it through as a placeholder and restore it
// after parsing, so `sigil parse -` reads stdin as documented.
const STDIN_PLACEHOLDER = '\u0000sigil-stdin';
const rawArgs = hideBin(process.argv).map((a) => (a === '-' ? STDIN_PLACEHOLDER : a));
const restoreStdin = (argv: Record<string, unknown>): void => {
  for (const [k, v] of Object.entries(argv)) {
    if (v === STDIN_PLACEHOLDER) argv[k] = '-';
    else if (Array.isArray(v)) argv[k] = v.map((x) => (x === STDIN_PLACEHOLDER ? '-' : x));
  }
};

const NO_COMMAND = 'Name a command (see the list above).';

const cli = yargs(rawArgs)
  .middleware(restoreStdin, true)
  .scriptName('sigil')
  .usage(
    '$0 <command> [options]\n\nSigma rules → KQL (Sentinel, Defender XDR), Splunk SPL and canonical Sigma; lint, noise score, rule tests.',
  )
  .strict()
  .demandCommand(1, NO_COMMAND)
  .recommendCommands()
  .help()
  .alias('h', 'help')
  .version(sigilVersion())
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .fail((msg, e) => {
    if (e && !(e instanceof UsageError)) {
      err(`sigil: internal error: ${e.stack ?? e.message}\nPlease report this with the input that caused it.\n`);
      process.exit(3);
    }
    if (msg === NO_COMMAND) {
      // With no command, the list of commands is the most useful answer.
      cli.showHelp((help) => err(`${help}\n\nsigil: ${NO_COMMAND}\n`));
      process.exit(2);
    }
    err(`sigil: ${msg ?? e?.message}\nRun 'sigil --help' for usage.\n`);
    process.exit(2);
  });
for (const c of commands) cli.command(c);

try {
  await cli.parseAsync();
  const failed = takeHandlerError();
  if (failed) throw failed.error;
} catch (e) {
  if (e instanceof UsageError) {
    err(`sigil: ${e.message}\n`);
    process.exit(2);
  }
  err(`sigil: internal error: ${(e as Error).stack ?? String(e)}\nPlease report this with the input that caused it.\n`);
  process.exit(3);
}

// `npm run bench` measures whole processes; it asks each run for its peak memory this way.
if (process.env['SIGIL_BENCH_RUSAGE']) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    process.stderr.write(
      `\nSIGIL_RUSAGE ${JSON.stringify({ maxRssKb: u.maxRSS, userMs: Math.round(u.userCPUTime / 1000), systemMs: Math.round(u.systemCPUTime / 1000) })}\n`,
    );
  });
}
