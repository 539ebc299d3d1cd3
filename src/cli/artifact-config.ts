/**
 * The `artifacts:` mapping of `.sigil.yml`: deployment defaults of the artifact formats
 * (docs/backends/kql.md#settings). Read once by `convert`, validated with the same rules as a
 * rule's own `sigil: { artifacts: … }`, each problem located in the file.
 */
import fs from 'node:fs';
import type { JsonValue } from '../ast/types.js';
import { listBackends } from '../backends/index.js';
import { validateArtifactSettings } from '../backends/settings.js';
import type { ArtifactDefaults } from '../backends/types.js';
import { UsageError } from './io.js';

/** Formats whose settings live in another format's section. */
const SECTION_OF: Record<string, string> = { 'sentinel-arm': 'sentinel-rule' };

/**
 * The defaults for `format`, or undefined when the file has no `artifacts:`. Problems in the
 * format's own section, and sections that name no format at all (a typo), are usage errors;
 * sections of other formats are left to those formats.
 */
export async function readArtifactDefaults(file: string, format: string): Promise<ArtifactDefaults | undefined> {
  const YAML = (await import('yaml')).default;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read configuration ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const lines = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines });
  if (doc.errors.length) throw new UsageError(`cannot read configuration ${file}: ${doc.errors[0]!.message}`);
  const root = doc.toJS() as unknown;
  if (!root || typeof root !== 'object' || Array.isArray(root) || !('artifacts' in root)) return undefined;
  const artifacts = (root as Record<string, JsonValue>)['artifacts']!;
  const section = SECTION_OF[format] ?? format;
  const formats = new Set(listBackends().flatMap((b) => b.formats.map((f) => f.name)));
  const problems = validateArtifactSettings(artifacts, ['artifacts']).filter(
    (p) => p.path[1] === undefined || p.path[1] === section || !formats.has(p.path[1]),
  );
  if (problems.length) {
    const at = (path: string[]): string => {
      for (let n = path.length; n > 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) {
          const { line, col } = lines.linePos(node.range[0]);
          return `${file}:${line}:${col}`;
        }
      }
      return file;
    };
    throw new UsageError(
      problems
        .map((p) => `${at(p.path)}: error C038 ${p.path.join('.')}: ${p.message}${p.hint ? `\n  hint: ${p.hint}` : ''}`)
        .join('\n'),
    );
  }
  return artifacts && typeof artifacts === 'object' && !Array.isArray(artifacts) ? artifacts : undefined;
}
