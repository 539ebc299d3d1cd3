/**
 * X003 groups rules by a cheap shape key first and serialises detections only inside a group.
 * Property: it reports exactly the pairs whose full canonical fingerprints (logsource + lowered
 * detection, OR/AND items sorted, lower-cased) are equal, however fields, values, case and order
 * are shuffled.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import { lowerDetection, type Predicate } from '../../src/ast/semantics.js';
import { lint } from '../../src/lint/engine.js';
import { resolveConfig } from '../../src/lint/config.js';
import { runs } from '../helpers/property.js';

function reference(source: string): string | undefined {
  const doc = parse(source, { schema: false }).documents[0]?.document;
  if (!doc || doc.kind !== 'rule') return undefined;
  const canon = (p: Predicate): string =>
    p.kind === 'and' || p.kind === 'or'
      ? `${p.kind}(${p.items.map(canon).sort().join(',')})`
      : p.kind === 'not'
        ? `not(${canon(p.item)})`
        : JSON.stringify(p);
  const ls = doc.logsource;
  return `${ls.product ?? ''}|${ls.category ?? ''}|${ls.service ?? ''}|${canon(lowerDetection(doc.detection)).toLowerCase()}`;
}

const field = fc.constantFrom('Image', 'image', 'CommandLine', 'commandline', 'ParentImage');
const modifier = fc.constantFrom('', '|contains', '|endswith', '|contains|all');
const value = fc.constantFrom("'\\cmd.exe'", "'\\CMD.exe'", "'-enc'", "'-Enc'", '12', "'a*b'");
const selection = fc.array(fc.tuple(field, modifier, fc.array(value, { minLength: 1, maxLength: 2 })), {
  minLength: 1,
  maxLength: 3,
});
const category = fc.constantFrom('process_creation', 'image_load');

function rule(id: number, cat: string, sel: [string, string, string[]][], filter: boolean): string {
  const lines = sel
    .map(([f, m, vs]) => `        ${f}${m}:\n${vs.map((v) => `            - ${v}\n`).join('')}`)
    .join('');
  const cond = filter ? 'selection and not filter' : 'selection';
  return `title: R${id}\nid: 00000000-0000-4000-8000-00000000000${id}\nlogsource:\n    category: ${cat}\n    product: windows\ndetection:\n    selection:\n${lines}${filter ? "    filter:\n        User: 'SYSTEM'\n" : ''}    condition: ${cond}\n`;
}

describe('X003 duplicate detection', () => {
  it('reports exactly the rules whose canonical fingerprints are equal', () => {
    const { config } = resolveConfig({});
    let duplicates = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(category, selection, fc.boolean()), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        (specs, copy) => {
          // Half the runs add a look-alike of the first rule: its fields upper-cased, its lines and values reversed.
          // (A new array: fast-check reuses generated values while shrinking.)
          const [cat0, sel0, filter0] = specs[0]!;
          const lookAlike: [string, [string, string, string[]][], boolean] = [
            cat0,
            [...sel0].reverse().map(([f, m, vs]) => [f.toUpperCase(), m, [...vs].reverse()]),
            filter0,
          ];
          const all = copy ? [...specs, lookAlike] : specs;
          const sources = all.map(([cat, sel, filter], i) => rule(i + 1, cat, sel, filter));
          // Duplicate field names in one mapping are a parse error: keep only well-formed sets.
          const parsed = sources.map((s, i) => parse(s, { file: `r${i}.yml`, schema: false }));
          fc.pre(
            parsed.every(
              (p) => p.documents[0]?.document && !p.documents[0].diagnostics.some((d) => d.severity === 'error'),
            ),
          );
          const report = lint(parsed, { config, noise: false });
          const flagged = report.documents.map((d) => d.findings.some((f) => f.code === 'X003'));
          const prints = sources.map(reference);
          const expected = prints.map((p, i) => prints.some((q, j) => j !== i && q === p));
          expect(flagged).toEqual(expected);
          if (expected.some(Boolean)) duplicates++;
        },
      ),
      { numRuns: runs(300) },
    );
    // The property saw duplicates, not only distinct rules.
    expect(duplicates).toBeGreaterThan(30);
  });
});
