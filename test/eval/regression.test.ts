/**
 * SigmaHQ regression data: every info.yml's rule matches its own events (with the exact
 * match_count when given), and no corpus rule throws on any regression event.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRule, type RuleMatcher } from '../../src/eval/compile.js';
import { createEngine } from '../../src/eval/engine.js';
import { normalizeEvent, type EventObject } from '../../src/eval/event-shapes.js';
import { parseJsonEvents } from '../../src/eval/json-events.js';
import { parseRegressionInfo, runCase } from '../../src/eval/rule-tests.js';
import { CORPUS, isRule, loadCorpus, walkFiles } from './corpus.js';
import type { SigmaRule } from '../../src/ast/types.js';

interface Case {
  info: string;
  ruleId: string;
  name: string;
  eventsFile: string;
  matchCount?: number;
}

let rules: SigmaRule[] = [];
const cases: Case[] = [];
const eventsByFile = new Map<string, EventObject[]>();

beforeAll(() => {
  rules = loadCorpus([
    'rules',
    'rules-emerging-threats',
    'rules-threat-hunting',
    'rules-compliance',
    'rules-dfir',
    'rules-placeholder',
    'deprecated',
  ])
    .map((d) => d.document)
    .filter(isRule);
  for (const info of walkFiles(path.join(CORPUS, 'regression_data'), /^info\.yml$/)) {
    const parsed = parseRegressionInfo(fs.readFileSync(info, 'utf8'), info);
    for (const c of parsed.cases) {
      for (const ruleId of parsed.ruleIds) {
        const x: Case = { info, ruleId, name: c.name, eventsFile: path.join(CORPUS, c.eventsFile!) };
        if (c.matchCount !== undefined) x.matchCount = c.matchCount;
        cases.push(x);
      }
      const file = path.join(CORPUS, c.eventsFile!);
      if (!eventsByFile.has(file)) {
        const ev = parseJsonEvents(fs.readFileSync(file, 'utf8'), file);
        expect(ev.diagnostics).toEqual([]);
        eventsByFile.set(
          file,
          ev.events.map((e) => e.event),
        );
      }
    }
  }
}, 60_000);

describe('SigmaHQ regression data', () => {
  it('finds the corpus', () => {
    expect(rules.length).toBeGreaterThan(3000);
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it('each rule matches its own regression events', () => {
    const byId = new Map(rules.map((r) => [r.id, r]));
    const failures: string[] = [];
    let checked = 0;
    for (const c of cases) {
      const rule = byId.get(c.ruleId);
      if (!rule) {
        failures.push(`${c.info}: rule ${c.ruleId} not in the corpus`);
        continue;
      }
      const matcher: RuleMatcher = compileRule(rule);
      const r = runCase(
        matcher,
        {
          name: c.name,
          match: true,
          eventsFile: c.eventsFile,
          line: 1,
          ...(c.matchCount !== undefined ? { matchCount: c.matchCount } : {}),
        },
        eventsByFile.get(c.eventsFile)!,
      );
      checked++;
      if (!r.passed) failures.push(`${c.ruleId} ${rule.title}: ${r.reason}\n${JSON.stringify(r.explanation, null, 1)}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(cases.length);
  });

  it('no corpus rule throws on any regression event; the index agrees with testing every rule', () => {
    const events = [...eventsByFile.values()].flat().map(normalizeEvent);
    const indexed = createEngine(rules);
    const full = createEngine(rules, { index: false });
    let matches = 0;
    let tested = 0;
    for (const ev of events) {
      const a = indexed.evaluate(ev).map((m) => m.rule.id);
      tested += indexed.lastTested;
      const b = full.evaluate(ev).map((m) => m.rule.id);
      expect(a).toEqual(b);
      matches += a.length;
    }
    const measured = `regression: ${rules.length} rules (${indexed.diagnostics.length} not evaluable) × ${events.length} events: ${matches} matches; index tested ${tested} rule/event pairs of ${rules.length * events.length}`;
    expect(matches, measured).toBeGreaterThanOrEqual(cases.length);
  });

  it('with the logsource filter (as lint --telemetry runs), the per-channel indexes agree with testing every rule', () => {
    const events = [...eventsByFile.values()].flat().map(normalizeEvent);
    const indexed = createEngine(rules, { logsourceFilter: true });
    const full = createEngine(rules, { logsourceFilter: true, index: false });
    let matches = 0;
    for (const ev of events) {
      const a = indexed.evaluate(ev).map((m) => m.rule.id);
      expect(a).toEqual(full.evaluate(ev).map((m) => m.rule.id));
      matches += a.length;
    }
    // Most regression cases are Windows events of their rule's own log source.
    expect(matches).toBeGreaterThanOrEqual(cases.length * 0.9);
  });
});
