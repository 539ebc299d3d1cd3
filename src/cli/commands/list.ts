import type { CommandModule } from 'yargs';
import { listBackends } from '../../backends/index.js';
import { listPipelines } from '../../pipelines/index.js';
import { out } from '../io.js';
import { listSpec, type ListArgs as Args } from '../specs/list.js';

export const listCommand: CommandModule<object, Args> = {
  ...listSpec,
  handler: (argv) => {
    const rows: [string, string][] = [];
    if (argv.what === 'targets')
      for (const b of listBackends())
        rows.push([
          b.name,
          `${b.description}${b.defaultPipelines?.length ? ` (default pipelines: ${b.defaultPipelines.join(', ')})` : ''}`,
        ]);
    if (argv.what === 'pipelines')
      for (const p of listPipelines())
        rows.push([p.name, `${p.description}${p.targets?.length ? ` [${p.targets.join(', ')}]` : ''}`]);
    if (argv.what === 'formats')
      for (const b of listBackends()) for (const f of b.formats) rows.push([`${b.name}/${f.name}`, f.description]);
    const w = Math.max(...rows.map((r) => r[0].length), 0);
    out(rows.map(([a, b]) => `${a.padEnd(w)}  ${b}`).join('\n') + '\n');
  },
};
