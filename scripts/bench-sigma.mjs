// Whole shared corpus → canonical Sigma YAML through the CLI, in one process: wall time and peak RSS.
// Usage: node scripts/bench-sigma.mjs [--runs N]
import { benchCli } from './bench-spl.mjs';

benchCli({ name: 'corpus → Sigma', argv: (dirs) => ['convert', ...dirs, '-t', 'sigma', '--json'], args: process.argv.slice(2) });
