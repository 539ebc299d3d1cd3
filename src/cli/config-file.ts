/** Finding `.sigil.yml`, shared by the commands that read it (lint, convert). */
import fs from 'node:fs';
import path from 'node:path';

const CONFIG_NAMES = ['.sigil.yml', '.sigil.yaml'];

/** `.sigil.yml` in the current directory or the nearest parent. */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) return p;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
