/**
 * Kusto keywords as field names (`EventData.title` does not parse): the backend's keyword list
 * (src/backends/kql/literals.ts) is recomputed here from Microsoft's parser — every
 * identifier-shaped keyword of Kusto.Language's SyntaxFacts that fails as a bare dynamic member —
 * and every keyword, as a WindowsEvent event data field, gives a query that binds.
 */
import { describe, expect, it } from 'vitest';
import { convertDocument } from '../../../src/convert.js';
import { isBracketedKeyword } from '../../../src/backends/kql/literals.js';
import { parse } from '../../../src/parser/index.js';
import { kqlErrors } from './kusto.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bridge is untyped global JS
type K = any;

function kustoKeywords(): string[] {
  kqlErrors('print 1', 'sentinel'); // loads the bridge
  const kusto = (globalThis as unknown as { Kusto: K }).Kusto;
  const kinds = kusto.Language.Syntax.SyntaxKind as Record<string, unknown>;
  const words = new Set<string>();
  for (const [name, kind] of Object.entries(kinds)) {
    if (!name.endsWith('Keyword') || typeof kind !== 'number') continue;
    const text: unknown = kusto.Language.Syntax.SyntaxFacts.GetText(kind);
    if (typeof text === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) words.add(text);
  }
  return [...words].sort();
}

describe('Kusto keywords as field names', () => {
  const words = kustoKeywords();
  it('the parser has keywords to check', () => {
    expect(words.length).toBeGreaterThan(100);
  });
  it('the backend brackets exactly the keywords the parser refuses as a dynamic member', () => {
    const refused = words.filter(
      (w) => kqlErrors(`WindowsEvent | where tostring(EventData.${w}) == "x"`, 'sentinel').length,
    );
    expect(refused).toContain('title');
    expect(words.filter((w) => isBracketedKeyword(w))).toEqual(refused);
  });
  it('every keyword as an event data field converts to a query that binds', () => {
    const bad: string[] = [];
    for (const w of words) {
      const rule = `title: t\nlogsource:\n  product: windows\n  service: application\ndetection:\n  sel:\n    ${w}: 'x'\n  condition: sel\n`;
      const doc = parse(rule, { file: 'k.yml' }).documents[0]!.document!;
      const r = convertDocument(doc, { target: 'kql', pipelines: ['sentinel'] });
      if (!r.ok || kqlErrors(r.queries[0]!, 'sentinel').length) bad.push(w);
    }
    expect(bad).toEqual([]);
  });
});
