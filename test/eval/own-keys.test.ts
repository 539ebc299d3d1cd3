/**
 * Only an event's own keys are fields: names that JavaScript objects inherit (`constructor`,
 * `toString`, `__proto__`) neither appear nor hide fields, in flat events or EVTX records; and
 * EventData names with spaces are reachable under Sigma's joined names.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import { normalizeEvent } from '../../src/eval/event-shapes.js';
import { parseJsonEvents } from '../../src/eval/json-events.js';
import { parse } from '../../src/parser/index.js';
import type { SigmaRule } from '../../src/ast/types.js';

function rule(detection: string): SigmaRule {
  const text = `title: t\nlogsource: {product: windows, service: security}\ndetection:\n${detection}\n`;
  const doc = parse(text, { file: 'r.yml' }).documents[0]?.document;
  if (doc?.kind !== 'rule') throw new Error('test rule does not parse');
  return doc;
}

const evtx = (data: { name: string; value: string }[]): unknown =>
  parseJsonEvents(
    JSON.stringify({
      Event: {
        System: { EventID: 1116, Channel: 'Microsoft-Windows-Windows Defender/Operational' },
        EventData: { Data: data.map((d) => ({ '#attributes': { Name: d.name }, '#text': d.value })) },
      },
    }),
    'e.json',
  ).events[0]!.event;

describe('inherited names are not fields', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    it(`'${name}' exists only when the event has it`, () => {
      const exists = rule(`    sel:\n        ${name}|exists: true\n    condition: sel`);
      const anything = rule(`    sel:\n        ${name}: '*'\n    condition: sel`);
      const absent = rule(`    sel:\n        ${name}: null\n    condition: sel`);
      expect(evaluate(exists, {})).toBe(false);
      expect(evaluate(anything, {})).toBe(false);
      expect(evaluate(absent, {})).toBe(true);
      const own = JSON.parse(`{"${name}": "x"}`) as unknown;
      expect(evaluate(exists, own)).toBe(true);
      expect(evaluate(anything, own)).toBe(true);
      expect(evaluate(absent, own)).toBe(false);
    });
  }

  it('an EVTX Data Name of __proto__ or constructor is an ordinary field and hides nothing', () => {
    const event = evtx([
      { name: '__proto__', value: 'evil' },
      { name: 'constructor', value: 'c' },
      { name: 'Image', value: 'C:\\x.exe' },
    ]);
    const normalised = normalizeEvent(event);
    expect(Object.keys(normalised)).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'Image']));
    expect(
      evaluate(rule(`    sel:\n        __proto__: evil\n        Image: 'C:\\x.exe'\n    condition: sel`), event),
    ).toBe(true);
    expect(evaluate(rule(`    sel:\n        constructor: c\n    condition: sel`), event)).toBe(true);
    expect(({} as Record<string, unknown>)['evil']).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('EventData names with spaces', () => {
  it("Defender's 'Threat Name' matches Sigma's ThreatName (and the spaced name still works)", () => {
    const event = evtx([
      { name: 'Threat Name', value: 'HackTool:Win32/Mimikatz' },
      { name: 'Process Name', value: 'C:\\Tools\\m.exe' },
    ]);
    expect(evaluate(rule(`    sel:\n        ThreatName|contains: Mimikatz\n    condition: sel`), event)).toBe(true);
    expect(evaluate(rule(`    sel:\n        ProcessName|endswith: '\\m.exe'\n    condition: sel`), event)).toBe(true);
    expect(evaluate(rule(`    sel:\n        Threat Name|contains: Mimikatz\n    condition: sel`), event)).toBe(true);
  });

  it('a real field of the joined name wins over the alias', () => {
    const event = evtx([
      { name: 'Threat Name', value: 'spaced' },
      { name: 'ThreatName', value: 'real' },
    ]);
    expect(evaluate(rule(`    sel:\n        ThreatName: real\n    condition: sel`), event)).toBe(true);
    expect(evaluate(rule(`    sel:\n        ThreatName: spaced\n    condition: sel`), event)).toBe(false);
  });
});
