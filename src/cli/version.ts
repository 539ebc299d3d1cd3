/** Sigil's own version: from its package.json, found relative to this module, never the current folder's. */
import { readFileSync } from 'node:fs';

export function sigilVersion(): string {
  // dist/cli/version.js and the bundle dist/sigil.mjs sit one or two folders below the package root.
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'sigil' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next place
    }
  }
  return 'unknown';
}
