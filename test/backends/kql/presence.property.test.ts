/**
 * Field presence and emptiness (issue 19), against Sigil's evaluator: `exists: true` holds for a
 * present field "be it empty or null" (the spec's modifiers appendix), `null` for an absent or null
 * field, `''` for a present empty string, `*` for any present string.
 *
 * - On a dynamic column (Sentinel's WindowsEvent.EventData) the key itself is tested
 *   (`bag_has_key`, `isnull`, `== ""`), so the KQL query and the evaluator agree on every event:
 *   absent, null, "", text, number — under any boolean combination.
 * - On a typed string column (Defender) an absent field reads as "": the query treats absent and
 *   empty alike, as docs/backends/kql.md says, and the conversion says so for the rule (C118).
 *   Where the value is neither absent, null nor empty, it agrees with the evaluator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SigmaRule } from '../../../src/ast/types.js';
import { tableColumns } from '../../../src/backends/kql/schema.js';
import { convertDocument } from '../../../src/convert.js';
import { compileRule } from '../../../src/eval/compile.js';
import { parse } from '../../../src/parser/index.js';
import { runs } from '../../helpers/property.js';
import { runKql } from './kql-interpreter.js';
import { kqlErrors } from './kusto.js';

const LEAVES = ['F|exists: true', 'F|exists: false', 'F: null', "F: ''", "F: '*'", 'F: abc', "F|contains: ''"] as const;
/** Values an event may hold for the field; `undefined` = absent. */
const VALUES = [undefined, null, '', 'abc', 'ABC', 'x', 0, 5] as const;

const rule = (selections: string[], condition: string): SigmaRule => {
  const text = `title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n${selections.join('')}  condition: ${condition}\n`;
  const doc = parse(text).documents[0]!.document;
  if (!doc) throw new Error(text);
  return doc as SigmaRule;
};

const FIELDS = ['Image', 'CommandLine'] as const;

const arbRule = fc
  .record({
    leaves: fc.array(fc.record({ leaf: fc.constantFrom(...LEAVES), field: fc.constantFrom(...FIELDS) }), {
      minLength: 1,
      maxLength: 3,
    }),
    negate: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    join: fc.constantFrom('and', 'or'),
  })
  .map(({ leaves, negate, join }) => {
    const selections = leaves.map((l, i) => `  s${i}:\n    ${l.leaf.replace(/^F/, l.field)}\n`);
    const condition = leaves.map((_, i) => (negate[i] ? `not s${i}` : `s${i}`)).join(` ${join} `);
    return { rule: rule(selections, condition), empty: leaves.some((l) => l.leaf === "F: ''") };
  });

const arbEvent = fc.record(
  { Image: fc.constantFrom(...VALUES), CommandLine: fc.constantFrom(...VALUES) },
  { requiredKeys: [] },
);

/** The event as Sigil's evaluator sees it: absent keys left out. */
const sigmaEvent = (ev: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(ev).filter(([, v]) => v !== undefined));

describe('presence and emptiness on a dynamic column (Sentinel WindowsEvent.EventData)', () => {
  const columns = tableColumns('WindowsEvent', 'sentinel')!;
  const kql = (r: SigmaRule): string => {
    const c = convertDocument(r, { target: 'kql', pipelines: ['sentinel'] });
    if (!c.ok) throw new Error(c.errors.map((e) => e.message).join('; '));
    expect(c.warnings.map((w) => w.code)).not.toContain('C118');
    return c.queries[0]!;
  };

  it('the query and the evaluator agree on absent, null, empty and other values', () => {
    fc.assert(
      fc.property(arbRule, arbEvent, ({ rule: r }, ev) => {
        const q = kql(r);
        const row = { Provider: 'Microsoft-Windows-Sysmon', EventID: 1, EventData: sigmaEvent(ev) };
        expect(runKql(q, row, { table: 'WindowsEvent', columns }), q).toBe(compileRule(r).matches(sigmaEvent(ev)));
      }),
      { numRuns: runs(400) },
    );
  });

  it('each form is the one the spec asks for, and binds in Kusto', () => {
    const forms: [string, string][] = [
      ['Image|exists: true', `bag_has_key(EventData, "$['Image']")`],
      ['Image|exists: false', `not(bag_has_key(EventData, "$['Image']"))`],
      ['Image: null', 'isnull(EventData.Image)'],
      ["Image: ''", 'isnotnull(EventData.Image) and tostring(EventData.Image) == ""'],
    ];
    for (const [leaf, expected] of forms) {
      const q = kql(rule([`  sel:\n    ${leaf}\n`], 'sel'));
      expect(q).toContain(expected);
      expect(kqlErrors(q, 'sentinel'), q).toEqual([]);
    }
    // A present key with an empty or null value exists; `null` holds for null and absent only.
    const exists = kql(rule(['  sel:\n    Image|exists: true\n'], 'sel'));
    const row = (data: Record<string, unknown>) => ({
      Provider: 'Microsoft-Windows-Sysmon',
      EventID: 1,
      EventData: data,
    });
    expect(runKql(exists, row({ Image: '' }), { columns })).toBe(true);
    expect(runKql(exists, row({ Image: null }), { columns })).toBe(true);
    expect(runKql(exists, row({}), { columns })).toBe(false);
  });
});

describe('presence and emptiness on a typed string column (Defender) read absent and empty alike', () => {
  const table = 'DeviceProcessEvents';
  const columns = tableColumns(table, 'defender')!;
  const convert = (r: SigmaRule) => {
    const c = convertDocument(r, { target: 'kql', pipelines: ['defender-xdr'] });
    if (!c.ok) throw new Error(c.errors.map((e) => e.message).join('; '));
    return c;
  };

  it('says so for the rule (C118), naming the column', () => {
    for (const leaf of ['Image|exists: true', 'Image: null', "Image: ''", "Image: '*'"]) {
      const c = convert(rule([`  sel:\n    ${leaf}\n`], 'sel'));
      expect(c.warnings.find((w) => w.code === 'C118')?.message, leaf).toMatch(/^FolderPath: DeviceProcessEvents/);
    }
    expect(convert(rule(['  sel:\n    Image: abc\n'], 'sel')).warnings.map((w) => w.code)).not.toContain('C118');
  });

  it('agrees with the evaluator wherever the value is a non-empty string, and treats absent as empty', () => {
    fc.assert(
      fc.property(arbRule, arbEvent, ({ rule: r, empty }, ev) => {
        const q = convert(r).queries[0]!;
        // Defender's string columns hold text: a number arrives as its text.
        const text = (v: unknown): string | undefined =>
          typeof v === 'number' ? String(v) : ((v ?? undefined) as string | undefined);
        const row = {
          ...(text(ev.Image) !== undefined ? { FolderPath: text(ev.Image) } : {}),
          ...(text(ev.CommandLine) !== undefined ? { ProcessCommandLine: text(ev.CommandLine) } : {}),
        };
        // The column reads "" for absent, null and "": the documented semantics are Sigma's on an
        // event where such a field is absent (and `''` holds there too, so it is left out here;
        // the suite above pins it).
        const seen: Record<string, unknown> = {};
        for (const k of FIELDS) {
          const t = text(ev[k]);
          if (t !== undefined && t !== '') seen[k] = t;
        }
        if (!empty) expect(runKql(q, row, { table, columns }), q).toBe(compileRule(r).matches(seen));
      }),
      { numRuns: runs(300) },
    );
  });
});
