/**
 * Routes by event ID (src/pipelines/routes.ts): `eventIdsOf` must be sound — every event a
 * detection matches has one of the event IDs it returns — or a route would take a rule that also
 * matches events its table does not hold. Checked against the evaluator on generated detections,
 * and the choice of route on small cases and through a pipeline file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerDetection } from '../../src/ast/semantics.js';
import type { SigmaRule } from '../../src/ast/types.js';
import { convertDocument } from '../../src/convert.js';
import { compileRule } from '../../src/eval/compile.js';
import { parse } from '../../src/parser/index.js';
import { loadPipelineSpec } from '../../src/pipelines/index.js';
import { eventIdsOf, selectRoute } from '../../src/pipelines/routes.js';
import type { Route } from '../../src/pipelines/types.js';
import { runs } from '../helpers/property.js';

function ruleOf(text: string): SigmaRule {
  const doc = parse(text).documents[0]?.document;
  if (doc?.kind !== 'rule') throw new Error(`not a rule:\n${text}`);
  return doc;
}

const IDS = [1, 2, 3, 4624];

/** A search identifier: EventID values (none, one or a list, number or text) and maybe another field. */
const identifier = fc.record({
  ids: fc.subarray(IDS),
  asText: fc.boolean(),
  other: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
});

/** A condition over identifiers s0…s2: and, or, not. */
const condition: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('s0', 's1', 's2'),
    fc.tuple(tie('c'), tie('c')).map(([a, b]) => `(${a} and ${b})`),
    fc.tuple(tie('c'), tie('c')).map(([a, b]) => `(${a} or ${b})`),
    tie('c').map((a) => `not ${a}`),
  ),
})).c;

function detectionYaml(ids: { ids: number[]; asText: boolean; other: string | undefined }[], cond: string): string {
  const lines = ids.map((s, i) => {
    const parts: string[] = [];
    if (s.ids.length) parts.push(`EventID: [${s.ids.map((x) => (s.asText ? `'${x}'` : String(x))).join(', ')}]`);
    if (s.other) parts.push(`Other: ${s.other}`);
    if (!parts.length) parts.push('Other: a');
    return `  s${i}: {${parts.join(', ')}}`;
  });
  return `title: t\nlogsource: {product: windows, service: security}\ndetection:\n${lines.join('\n')}\n  condition: ${cond}\n`;
}

describe('eventIdsOf', () => {
  it('property: every event a detection matches has one of the event IDs it names', () => {
    const seen = { restricted: 0, unrestricted: 0, matched: 0 };
    fc.assert(
      fc.property(fc.array(identifier, { minLength: 3, maxLength: 3 }), condition, (ids, cond) => {
        const rule = ruleOf(detectionYaml(ids, cond));
        const restricted = eventIdsOf(lowerDetection(rule.detection));
        if (!restricted) {
          seen.unrestricted++;
          return;
        }
        seen.restricted++;
        const compiled = compileRule(rule);
        for (const id of [...IDS, 5])
          for (const other of ['a', 'b', undefined]) {
            const event = other === undefined ? { EventID: id } : { EventID: id, Other: other };
            if (compiled.matches(event)) {
              seen.matched++;
              expect(restricted.has(String(id)), `${cond} ${JSON.stringify(event)}`).toBe(true);
            }
          }
      }),
      { numRuns: runs(300) },
    );
    expect(seen.restricted).toBeGreaterThan(0);
    expect(seen.unrestricted).toBeGreaterThan(0);
    expect(seen.matched).toBeGreaterThan(0);
  });

  it('restricts through and/or, not through not, a pattern or a missing alternative', () => {
    const ids = (detection: string): string[] | undefined => {
      const r = eventIdsOf(
        lowerDetection(ruleOf(`title: t\nlogsource: {product: x}\ndetection:\n${detection}`).detection),
      );
      return r && [...r].sort();
    };
    expect(ids('  a: {EventID: 4698}\n  condition: a')).toEqual(['4698']);
    expect(ids("  a: {EventID: ['04698', 4699]}\n  condition: a")).toEqual(['4698', '4699']);
    expect(ids('  a: {EventID: [1, 2]}\n  b: {EventID: [2, 3]}\n  condition: a and b')).toEqual(['2']);
    expect(ids('  a: {EventID: 1}\n  b: {EventID: 2}\n  condition: a or b')).toEqual(['1', '2']);
    expect(ids('  a: {EventID: 1}\n  b: {Other: 2}\n  condition: a or b')).toBeUndefined();
    expect(ids('  a: {EventID: 1}\n  condition: not a')).toBeUndefined();
    expect(ids("  a: {EventID|startswith: '46'}\n  condition: a")).toBeUndefined();
    expect(ids('  a: {EventID|gt: 4000}\n  condition: a')).toBeUndefined();
  });
});

describe('selectRoute', () => {
  const routes: Route[] = [
    { logsource: { product: 'windows', service: 'security' }, eventIds: [4698, 4699], table: 'Tasks' },
    { logsource: { product: 'windows', service: 'security' }, table: 'Logons' },
  ];
  const ls = { product: 'windows', service: 'security' };
  it('takes a rule whose event IDs are all listed; otherwise the next route of the logsource', () => {
    expect(selectRoute(routes, ls, new Set(['4698']))?.table).toBe('Tasks');
    expect(selectRoute(routes, ls, new Set(['4698', '4699']))?.table).toBe('Tasks');
    expect(selectRoute(routes, ls, new Set(['4698', '4624']))?.table).toBe('Logons');
    expect(selectRoute(routes, ls, undefined)?.table).toBe('Logons');
    // EventID 1 and 2 at once: no event; no event-ID route takes it.
    expect(selectRoute(routes, ls, new Set())?.table).toBe('Logons');
    expect(selectRoute(routes, { product: 'linux' }, new Set(['4698']))).toBeUndefined();
  });

  it('a pipeline file may route by eventIds and fail on fields outside a list (except)', () => {
    const { spec, diagnostics } = loadPipelineSpec(
      [
        'name: tasks',
        'description: d',
        'routes:',
        '  - logsource: { product: windows, service: security }',
        '    eventIds: [4698]',
        '    table: DeviceEvents',
        'transformations:',
        '  - type: fail',
        '    when: { table: DeviceEvents }',
        '    except: [EventID, TaskName]',
        '    reason: not held',
        '  - type: value_map',
        '    field: EventID',
        '    column: ActionType',
        '    values: { 4698: [ScheduledTaskCreated] }',
        '  - type: field_map',
        '    map: { TaskName: AdditionalFields.TaskName }',
      ].join('\n'),
      'tasks.yml',
    );
    expect(diagnostics).toEqual([]);
    const convert = (sel: string) =>
      convertDocument(
        ruleOf(
          `title: t\nlogsource: {product: windows, service: security}\ndetection:\n  sel: {${sel}}\n  condition: sel\n`,
        ),
        {
          target: 'kql',
          pipelines: [spec!],
        },
      );
    const ok = convert('EventID: 4698, TaskName: x');
    expect(ok.ok && ok.queries[0]).toContain('ActionType == "ScheduledTaskCreated"');
    const refused = convert('EventID: 4698, SubjectUserName: x');
    expect(!refused.ok && refused.errors[0]).toMatchObject({
      code: 'C004',
      message: expect.stringContaining('not held'),
    });
    const bad = loadPipelineSpec(
      'name: x\nroutes:\n  - logsource: { product: windows }\n    eventIds: [four]\n    table: T\ntransformations: []\n',
      'x.yml',
    );
    expect(bad.spec).toBeUndefined();
    expect(bad.diagnostics[0]!.code).toBe('C013');
  });
});
