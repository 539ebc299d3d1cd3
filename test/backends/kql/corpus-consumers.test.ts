/**
 * Every artifact Sigil writes for the SigmaHQ corpus (rules/) passes the checks of its consumer
 * (consumer-checks.ts names the sources and versions): sentinel-rule and sentinel-arm with the
 * sentinel and sentinel-asim pipelines, defender-detection with defender-xdr, and the plain
 * query with all three. A rule that cannot pass is a per-rule error (counted here by code),
 * never an artifact that the consumer refuses.
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SigmaDocument } from '../../../src/ast/types.js';
import { getBackend } from '../../../src/backends/index.js';
import { tableColumns } from '../../../src/backends/kql/schema.js';
import type { ConversionSuccess } from '../../../src/backends/types.js';
import { convertDocument } from '../../../src/convert.js';
import { lookupRule } from '../../../src/parser/index.js';
import { parsedCorpus } from '../../helpers/corpus.js';
import { expectGolden } from '../../helpers/golden.js';
import { CORPUS } from '../../helpers/paths.js';
import {
  armProblems,
  defenderProblems,
  forbiddenSearch,
  sentinelTemplateProblems,
  summarizedColumns,
} from './consumer-checks.js';

interface Tally {
  written: number;
  /** Per-rule errors of the format's check, by code. */
  refused: Record<string, number>;
  /** Artifacts the consumer would refuse (must stay empty). */
  failing: { file: string; problems: string[] }[];
}

const PLAN: { pipeline: string; formats: string[] }[] = [
  { pipeline: 'sentinel', formats: ['query', 'sentinel-rule', 'sentinel-arm'] },
  { pipeline: 'sentinel-asim', formats: ['query', 'sentinel-rule', 'sentinel-arm'] },
  { pipeline: 'defender-xdr', formats: ['query', 'defender-detection'] },
];

const HERE = path.dirname(new URL(import.meta.url).pathname);
const kql = getBackend('kql')!;
const tallies = new Map<string, Tally>();
/** Per pipeline and table, the first rule (in corpus order) and its entities: the golden file. */
const entitiesByRoute = new Map<string, { rule: string; entities: unknown }>();
/** Template id → the artifacts that carry it (Azure-Sentinel's NoSameTemplateIdTwice). */
const ids = new Map<string, string[]>();

/** Whether the artifact's query returns a column: the table's (or the summarize's), and what it extends. */
function returnedBy(r: ConversionSuccess, query: string): (c: string) => boolean {
  const extended = new Set([...query.matchAll(/^\| extend (\w+) = /gm)].map((m) => m[1]!));
  const summarized = summarizedColumns(query);
  if (summarized) return (c) => summarized.has(c) || extended.has(c);
  const meta = r.meta as { table?: string; product?: 'defender' | 'sentinel' };
  const product = meta.product ?? 'sentinel';
  const cols = meta.table ? tableColumns(meta.table, product) : undefined;
  if (r.tables.length > 1) {
    // A union: a column comes out under its own name only when every table types it alike, or
    // when a leg parses it (`X = todynamic(X)`) into the route table's dynamic column.
    const parsed = new Set([...query.matchAll(/(\w+) = todynamic\(\1\)/g)].map((m) => m[1]!));
    const others = r.tables.filter((t) => t !== meta.table).map((t) => tableColumns(t, product));
    return (c) =>
      extended.has(c) ||
      (!!cols?.has(c) &&
        others.every((o) => o === undefined || o.get(c) === cols.get(c) || (parsed.has(c) && o.get(c) === 'string')));
  }
  return (c) => !!cols?.has(c) || extended.has(c);
}

beforeAll(() => {
  const results = parsedCorpus(['rules'], { schema: false }).map((f) => f.result);
  const docs: { file: string; doc: SigmaDocument }[] = results.flatMap((r) =>
    r.documents
      .filter((d) => d.document && !d.diagnostics.some((x) => x.severity === 'error'))
      .map((d) => ({ file: r.file!, doc: d.document! })),
  );
  for (const { pipeline, formats } of PLAN) {
    for (const f of formats) tallies.set(`${f} × ${pipeline}`, { written: 0, refused: {}, failing: [] });
    for (const { file, doc } of docs) {
      if (doc.kind === 'filter') continue;
      const r = convertDocument(doc, {
        target: 'kql',
        pipelines: [pipeline],
        lookup: (ref) => lookupRule(results, ref),
      });
      if (!r.ok) continue;
      for (const name of formats) {
        const t = tallies.get(`${name} × ${pipeline}`)!;
        const format = kql.formats.find((x) => x.name === name)!;
        const refused = format.check?.(r, doc);
        if (refused) {
          t.refused[refused.code] = (t.refused[refused.code] ?? 0) + 1;
          continue;
        }
        t.written++;
        const text = format.render(r, doc, {}).text;
        let problems: string[];
        if ((name === 'sentinel-rule' || name === 'defender-detection') && doc.kind === 'rule') {
          // A route over a union of tables is one route: its key names them all.
          const key = `${pipeline} ${r.tables.join(' + ')}`;
          const parsed = (name === 'sentinel-rule' ? parseYaml(text) : JSON.parse(text)) as Record<string, unknown>;
          const entities = (
            name === 'sentinel-rule'
              ? (parsed['entityMappings'] ?? [])
              : (parsed['detectionAction'] as { alertTemplate?: { impactedAssets?: unknown } }).alertTemplate
                  ?.impactedAssets
          ) as unknown[];
          // The first rule (in corpus order) with the most entities stands for the route.
          const best = entitiesByRoute.get(key);
          if (!best || (best.entities as unknown[]).length < entities.length)
            entitiesByRoute.set(key, { rule: path.relative(CORPUS, file), entities });
        }
        if (name === 'query') problems = [forbiddenSearch(text)].filter((x): x is string => !!x);
        else if (name === 'sentinel-rule') {
          const y = parseYaml(text) as Record<string, unknown>;
          problems = sentinelTemplateProblems(y, returnedBy(r, String(y['query'])));
          ids.set(String(y['id']), [...(ids.get(String(y['id'])) ?? []), `${file} ${name} × ${pipeline}`]);
        } else if (name === 'sentinel-arm') {
          const arm = JSON.parse(text) as { resources: { properties: { query: string } }[] };
          problems = armProblems(arm, returnedBy(r, arm.resources[0]!.properties.query));
        } else problems = defenderProblems(JSON.parse(text));
        if (problems.length) t.failing.push({ file, problems });
      }
    }
  }
}, 600_000);

describe('consumer checks over the SigmaHQ corpus', () => {
  for (const { pipeline, formats } of PLAN)
    for (const f of formats)
      it(`${f} × ${pipeline}: every artifact written passes; the rest are per-rule errors`, () => {
        const t = tallies.get(`${f} × ${pipeline}`)!;
        expect(t.written).toBeGreaterThan(f === 'defender-detection' ? 300 : 1000);
        expect(t.failing.slice(0, 5)).toEqual([]);
        // What cannot be made to pass, by code (docs/backends/kql.md#consumer-checks).
        const allowed = f === 'defender-detection' ? ['C003', 'C038'] : f === 'query' ? [] : ['C018', 'C038', 'C040'];
        for (const code of Object.keys(t.refused)) expect(allowed, JSON.stringify(t.refused)).toContain(code);
        // The counts docs/backends/kql.md lists (queries over 10,000 characters); no new ones unnoticed.
        const tooLong = { sentinel: 19, 'sentinel-asim': 9 }[pipeline] ?? 0;
        expect(t.refused['C018'] ?? 0, JSON.stringify(t.refused)).toBeLessThanOrEqual(f === 'query' ? 0 : tooLong);
      });

  it('entity mappings and impacted assets per route (golden)', (ctx) => {
    const routes = Object.fromEntries([...entitiesByRoute].sort(([a], [b]) => a.localeCompare(b)));
    expectGolden(ctx, path.join(HERE, 'golden/entities-by-route.json'), JSON.stringify(routes, null, 2) + '\n');
  });

  it('no two Sentinel templates share an id (NoSameTemplateIdTwice), across pipelines', () => {
    const dup = [...ids.values()].filter((v) => v.length > 1);
    expect(dup.slice(0, 3)).toEqual([]);
    expect(ids.size).toBeGreaterThan(2000);
  });
});
