/** Sigma emitter: layout and quoting goldens; fmt: comments survive, --check/--write behaviour. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from '../../../src/parser/index.js';
import { emitSigma } from '../../../src/backends/sigma/emit.js';
import { formatSigmaText } from '../../../src/backends/sigma/format.js';
import { convertDocument } from '../../../src/convert.js';
import { fmtCommand } from '../../../src/cli/commands/fmt.js';
import type { SigmaDocument } from '../../../src/ast/types.js';

const docsOf = (text: string): SigmaDocument[] => parse(text, { schema: false }).documents.map((d) => d.document!);

const MESSY = `detection:
  condition: sel and not filter
  sel:
    Image|endswith: "\\\\cmd.exe"
    CommandLine|wide|base64offset|contains: 'abc'
    Count: '5'
    Flag: 'true'
    Empty: ''
    Nothing: null
  filter:
    User: ["SYSTEM", 'it''s']
level: high
custom_field:
  nested: [1, 2]
logsource: {product: windows, category: process_creation}
title: "Messy rule: colon"
description: "line one\\nline two\\n"
id: 5b0f6e3c-8c6e-4b59-9a57-3a3f8e1a1c01
tags: [attack.t1546.003]
status: test
`;

describe('emitter', () => {
  it('emits the convention: key order, 4 spaces, block lists, quotes only where needed, | for multi-line', () => {
    expect(emitSigma(docsOf(MESSY))).toBe(`title: 'Messy rule: colon'
id: 5b0f6e3c-8c6e-4b59-9a57-3a3f8e1a1c01
status: test
description: |
    line one
    line two
tags:
    - attack.t1546.003
logsource:
    category: process_creation
    product: windows
detection:
    sel:
        Image|endswith: \\cmd.exe
        CommandLine|utf16le|base64offset|contains: abc
        Count: '5'
        Flag: 'true'
        Empty: ''
        Nothing: null
    filter:
        User:
            - SYSTEM
            - it's
    condition: sel and not filter
level: high
custom_field:
    nested:
        - 1
        - 2
`);
  });

  it('round-trips the messy rule (modifier alias normalised)', () => {
    const [a] = docsOf(MESSY);
    const [b] = docsOf(emitSigma(a!));
    expect(JSON.stringify(b!.kind === 'rule' && b.detection.identifiers.map((i) => i.node.type))).toBe(
      JSON.stringify(a!.kind === 'rule' && a.detection.identifiers.map((i) => i.node.type)),
    );
    expect(b!.custom).toEqual(a!.custom);
  });

  it('emits correlation and filter documents, separated by ---', () => {
    const text = `title: C
id: 11111111-1111-1111-1111-111111111111
correlation:
    timespan: 5m
    rules: [a]
    type: event_count
    group-by: [User]
    condition: {gte: 3}
---
title: F
logsource: {product: windows}
filter:
    rules: [a]
    sel: {User: x}
    condition: not sel
`;
    expect(emitSigma(docsOf(text))).toBe(`title: C
id: 11111111-1111-1111-1111-111111111111
correlation:
    type: event_count
    rules:
        - a
    group-by:
        - User
    timespan: 5m
    condition:
        gte: 3
---
title: F
logsource:
    product: windows
filter:
    rules:
        - a
    sel:
        User: x
    condition: not sel
`);
  });

  it('-t sigma -p PIPELINE emits the rule after the pipeline (field names mapped, routing conditions added)', () => {
    const [rule] = docsOf(
      `title: W\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID: 4625\n    condition: sel\n`,
    );
    const r = convertDocument(rule!, { target: 'sigma', pipelines: ['splunk-windows'] });
    expect(r.ok && r.queries[0]).toBe(`title: W
logsource:
    product: windows
    service: security
detection:
    sel:
        EventCode: 4625
    condition: sel
`);
    const r2 = convertDocument(
      docsOf(
        `title: P\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    sel:\n        Image|endswith: '\\\\x.exe'\n    condition: sel\n`,
      )[0]!,
      { target: 'sigma', pipelines: ['splunk-cim'] },
    );
    expect(r2.ok && r2.queries[0]).toContain('Processes.process_path|endswith:');
  });
});

describe('fmt', () => {
  const COMMENTED = `# leading comment
title: Commented
status: test  # inline comment
id: 5b0f6e3c-8c6e-4b59-9a57-3a3f8e1a1c02
logsource:
  product: windows
  category: process_creation
detection:
  sel:
    Image|endswith:
      - '\\a.exe'   # aligned
      - "\\\\b.exe"   # aligned too
  condition: sel
level: high
`;
  it('reorders keys, re-indents, normalises quotes and keeps every comment', () => {
    const r = formatSigmaText(COMMENTED);
    expect(r.diagnostics).toEqual([]);
    expect(r.reasons.sort()).toEqual(['indentation/layout', 'key order', 'quoting']);
    expect(r.text).toBe(`# leading comment
title: Commented
id: 5b0f6e3c-8c6e-4b59-9a57-3a3f8e1a1c02
status: test  # inline comment
logsource:
    product: windows
    category: process_creation
detection:
    sel:
        Image|endswith:
            - '\\a.exe'   # aligned
            - '\\b.exe'  # aligned too
    condition: sel
level: high
`);
    for (const c of ['# leading comment', '# inline comment', '# aligned', '# aligned too'])
      expect(r.text).toContain(c);
  });
  it('is idempotent and reports formatted text as unchanged', () => {
    const once = formatSigmaText(COMMENTED).text;
    const twice = formatSigmaText(once);
    expect(twice.changed).toBe(false);
    expect(twice.text).toBe(once);
  });
  it("refuses text whose YAML does not parse, returning it untouched with the parser's located error", () => {
    const bad = 'title: x\ndetection: [\n';
    const r = formatSigmaText(bad);
    expect(r.text).toBe(bad);
    expect(r.changed).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['P002', 3]]);
  });
  it('refuses a rule with errors (a schema error) and leaves it as written', () => {
    const bad = 'title: 5\nlogsource:\n  category: process_creation\ndetection: nope\n';
    const r = formatSigmaText(bad);
    expect(r.text).toBe(bad);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['P006']);
  });
  it('keeps values that YAML 1.2 would otherwise re-type (00000429 stays as written)', () => {
    const t =
      'title: x\nlogsource:\n    product: windows\ndetection:\n    sel:\n        Details|contains:\n            - 00000429\n    condition: sel\n';
    expect(formatSigmaText(t).changed).toBe(false);
  });
});

describe('sigil fmt (command)', () => {
  let dir: string;
  let output = '';
  const written = (): string => output;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-fmt-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (argv: Record<string, unknown>): void => {
    output = '';
    const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      output += String(chunk);
      return true;
    });
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.exitCode = 0;
    try {
      (fmtCommand.handler as (a: Record<string, unknown>) => void)({
        check: false,
        write: false,
        _: [],
        $0: 'sigil',
        ...argv,
      });
    } finally {
      outSpy.mockRestore();
      errSpy.mockRestore();
    }
  };
  it('--check lists deviating files and exits 1; formatted files pass', () => {
    const a = path.join(dir, 'a.yml');
    const b = path.join(dir, 'b.yml');
    fs.writeFileSync(a, COMMENTED_FOR_CLI);
    fs.writeFileSync(b, formatSigmaText(COMMENTED_FOR_CLI).text);
    run({ paths: [dir], check: true });
    expect(process.exitCode).toBe(1);
    expect(written()).toContain('a.yml');
    expect(written()).not.toContain('b.yml');
    expect(fs.readFileSync(a, 'utf8')).toBe(COMMENTED_FOR_CLI);
  });
  it('--write rewrites in place; a second --check passes', () => {
    run({ paths: [dir], write: true });
    expect(process.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.yml'), 'utf8')).toBe(formatSigmaText(COMMENTED_FOR_CLI).text);
    run({ paths: [dir], check: true });
    expect(process.exitCode).toBe(0);
  });
  it('--write never touches a file it cannot format safely (exit 1, a bad input: docs/cli.md)', () => {
    const c = path.join(dir, 'c.yml');
    fs.writeFileSync(c, 'title: x\ndetection: [\n');
    run({ paths: [c], write: true });
    expect(process.exitCode).toBe(1);
    expect(fs.readFileSync(c, 'utf8')).toBe('title: x\ndetection: [\n');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    fs.unlinkSync(c);
  });
});

const COMMENTED_FOR_CLI = `title: CLI # keep me
logsource:
  product: windows
detection:
  k:
    - 'x'
  condition: k
`;
