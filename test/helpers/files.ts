/** File listing shared by the corpus-wide tests. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every `.yml`/`.yaml` file below `dir`, recursively, in code-unit order of their paths.
 * A missing directory throws: a corpus test must fail, not pass over nothing.
 */
export function yamlFiles(dir: string, options: { withTests?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) && (options.withTests !== false || !/\.tests\.ya?ml$/.test(e.name))) out.push(p);
    }
  };
  walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
