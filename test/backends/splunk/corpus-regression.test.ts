/**
 * Cross-check on SigmaHQ's regression events: for every regression case, the search the default
 * Splunk pipeline emits for the rule, run by the SPL test interpreter (spl-interpreter.ts, which
 * refuses inner-wildcard terms) over the events as the Windows add-on presents them (`source`,
 * `EventCode`, `Computer`, `Channel` and the EventData fields), matches exactly the events
 * Sigil's evaluator matches. Every regression event is also run against every other case's rule,
 * so non-matches are checked too. The evaluator reads the detection only, so the comparison is
 * made on the events of the rule's log source (the route's channel and EventCode conditions).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compilePredicate, compileRule, toView } from '../../../src/eval/compile.js';
import { processRule, resolvePipelines } from '../../../src/pipelines/index.js';
import { normalizeEvent } from '../../../src/eval/event-shapes.js';
import { parseJsonEvents } from '../../../src/eval/json-events.js';
import { parseRegressionInfo } from '../../../src/eval/rule-tests.js';
import { convertDocument } from '../../../src/convert.js';
import type { SigmaRule } from '../../../src/ast/types.js';
import { parsedCorpus } from '../../helpers/corpus.js';
import { CORPUS } from '../../helpers/paths.js';
import { yamlFiles } from '../../helpers/files.js';
import { runSpl, type Event } from './spl-interpreter.js';

const rules = new Map<string, SigmaRule>();
const raw: unknown[] = [];
const ruleIds = new Set<string>();

beforeAll(() => {
  for (const { result } of parsedCorpus(['rules', 'rules-emerging-threats', 'rules-threat-hunting'], { schema: true }))
    for (const d of result.documents)
      if (d.document?.kind === 'rule' && d.document.id) rules.set(d.document.id, d.document);
  const seen = new Set<string>();
  for (const info of yamlFiles(path.join(CORPUS, 'regression_data')).filter((f) => f.endsWith('info.yml'))) {
    const parsed = parseRegressionInfo(fs.readFileSync(info, 'utf8'), info);
    for (const id of parsed.ruleIds) ruleIds.add(id);
    for (const c of parsed.cases) {
      const file = path.join(CORPUS, c.eventsFile!);
      if (seen.has(file)) continue;
      seen.add(file);
      raw.push(...parseJsonEvents(fs.readFileSync(file, 'utf8'), file).events.map((e) => e.event));
    }
  }
}, 120_000);

/** An EVTX-as-JSON event as Splunk's Windows add-on shows it (classic source naming). */
function splunkEvent(e: unknown): Event {
  const root = (e as { Event?: Record<string, unknown> }).Event ?? {};
  const system = (root['System'] ?? {}) as Record<string, unknown>;
  const data = (root['EventData'] ?? {}) as Record<string, unknown>;
  const ev: Event = { index: 'main', _raw: JSON.stringify(e) };
  for (const [k, v] of Object.entries(data)) if (v !== null && typeof v !== 'object') ev[k] = String(v);
  ev['EventCode'] = String(system['EventID']);
  ev['Channel'] = String(system['Channel']);
  ev['Computer'] = String(system['Computer']);
  ev['source'] = `WinEventLog:${String(system['Channel'])}`;
  return ev;
}

describe('SPL on SigmaHQ regression events agrees with the evaluator', () => {
  it('for every regression rule, on every regression event', () => {
    // Events whose data is in UserData (WMI-Activity) are left out: how the add-on names those
    // fields is not modelled here.
    const events = raw
      .filter((e) => (e as { Event?: Record<string, unknown> }).Event?.['UserData'] === undefined)
      .map((e) => ({ spl: splunkEvent(e), view: normalizeEvent(e) }));
    expect(events.length).toBeGreaterThan(100);
    const disagreements: string[] = [];
    let compared = 0;
    let matched = 0;
    const unmodelled: string[] = [];
    for (const id of ruleIds) {
      const rule = rules.get(id);
      if (!rule) continue;
      const r = convertDocument(rule, { target: 'splunk' });
      if (!r.ok) continue;
      const query = r.queries[0]!;
      const matcher = compileRule(rule);
      const processed = processRule(rule, resolvePipelines(['splunk']).specs);
      const channels = (processed.table ?? '').split('|');
      const route = compilePredicate({ kind: 'and', items: processed.filters });
      const inScope = (ev: Event): boolean =>
        (channels.includes('*') || channels.includes(ev['Channel']!)) && route(toView(ev));
      try {
        for (const { spl, view } of events) {
          if (!inScope(spl)) continue;
          const got = runSpl(query, spl);
          const want = matcher.matches(view);
          compared++;
          if (want) matched++;
          if (got !== want) disagreements.push(`${rule.title}: SPL ${got}, evaluator ${want}\n${query}`);
        }
      } catch (e) {
        unmodelled.push(`${rule.title}: ${(e as Error).message}`);
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Checks that reached both outcomes on most rules.
    expect(matched).toBeGreaterThan(80);
    expect(compared).toBeGreaterThan(5000);
    expect(unmodelled.length, unmodelled.slice(0, 5).join('\n')).toBeLessThan(ruleIds.size / 10);
  });
});
