/** Golden tests: every modifier and condition shape, as SPL (splunk-windows, Sysmon process_creation). */
import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/parser/index.js';
import { convertDocument } from '../../../src/convert.js';
import type { SigmaDocument } from '../../../src/ast/types.js';

const PREFIX = 'index=* source="WinEventLog:Microsoft-Windows-Sysmon/Operational" EventCode=1 ';

function rule(detection: string, logsource = 'category: process_creation\n    product: windows'): SigmaDocument {
  const text = `title: T\nid: 11111111-2222-3333-4444-555555555555\nstatus: test\nlevel: high\nlogsource:\n    ${logsource}\ndetection:\n${detection.replace(/^/gm, '    ')}\n`;
  const r = parse(text, { schema: false });
  const d = r.documents[0]!;
  const errors = [...r.diagnostics, ...d.diagnostics].filter((x) => x.severity === 'error');
  if (errors.length || !d.document) throw new Error(errors.map((e) => e.message).join('; '));
  return d.document;
}

/** The query with the common routing prefix removed (for readability of the expectations). */
function spl(detection: string, pipelines = ['splunk-windows']): string {
  const r = convertDocument(rule(detection), { target: 'splunk', pipelines });
  if (!r.ok) return 'ERROR ' + r.errors.map((e) => `${e.code}: ${e.message}`).join('; ');
  const q = r.queries[0]!;
  return q.startsWith(PREFIX) ? q.slice(PREFIX.length) : q;
}

describe('value modifiers', () => {
  const cases: [string, string, string][] = [
    ['plain value', 'sel:\n    Image: C:\\Windows\\cmd.exe\ncondition: sel', 'Image="C:\\\\Windows\\\\cmd.exe"'],
    [
      'list of values → IN',
      "sel:\n    Image:\n        - 'a.exe'\n        - 'b.exe'\ncondition: sel",
      'Image IN ("a.exe", "b.exe")',
    ],
    ['contains', "sel:\n    CommandLine|contains: 'x y'\ncondition: sel", 'CommandLine="*x y*"'],
    ['startswith', "sel:\n    CommandLine|startswith: 'x'\ncondition: sel", 'CommandLine="x*"'],
    ['endswith', "sel:\n    Image|endswith: '\\cmd.exe'\ncondition: sel", 'Image="*\\\\cmd.exe"'],
    [
      'contains|all',
      "sel:\n    CommandLine|contains|all:\n        - 'a'\n        - 'b'\ncondition: sel",
      'CommandLine="*a*" CommandLine="*b*"',
    ],
    ['exists true', 'sel:\n    Hashes|exists: true\ncondition: sel', 'Hashes=*'],
    ['exists false', 'sel:\n    Hashes|exists: false\ncondition: sel', 'NOT Hashes=*'],
    ['null', 'sel:\n    ParentImage: null\ncondition: sel', 'NOT ParentImage=*'],
    ['empty string', "sel:\n    ParentImage: ''\ncondition: sel", 'ParentImage=""'],
    ['cased', "sel:\n    CommandLine|cased: 'AbC'\ncondition: sel", '| regex CommandLine="(?s)^AbC\\\\z"'],
    ['cased|contains', "sel:\n    CommandLine|cased|contains: 'AbC'\ncondition: sel", '| regex CommandLine="(?s)AbC"'],
    ['neq', "sel:\n    User|neq: 'SYSTEM'\ncondition: sel", 'NOT (User="SYSTEM")'],
    [
      'windash',
      "sel:\n    CommandLine|windash|contains: '-enc'\ncondition: sel",
      'CommandLine IN ("*-enc*", "*/enc*", "*–enc*", "*—enc*", "*―enc*")',
    ],
    ['re', "sel:\n    CommandLine|re: '\\s-e\\w+'\ncondition: sel", '| regex CommandLine="\\\\s-e\\\\w+"'],
    ['re|i|m|s', "sel:\n    CommandLine|re|i|m|s: 'a.b'\ncondition: sel", '| regex CommandLine="(?ims)a.b"'],
    ['base64', "sel:\n    CommandLine|base64: 'abc'\ncondition: sel", 'CommandLine="YWJj"'],
    [
      'base64offset|contains',
      "sel:\n    CommandLine|base64offset|contains: 'http'\ncondition: sel",
      'CommandLine IN ("*aHR0c*", "*h0dH*", "*odHRw*")',
    ],
    [
      'utf16le|base64offset|contains',
      "sel:\n    CommandLine|utf16le|base64offset|contains: 'ab'\ncondition: sel",
      'CommandLine IN ("*YQBiA*", "*EAYg*", "*hAGIA*")',
    ],
    [
      'wide|base64offset|contains (alias of utf16le)',
      "sel:\n    CommandLine|wide|base64offset|contains: 'ab'\ncondition: sel",
      'CommandLine IN ("*YQBiA*", "*EAYg*", "*hAGIA*")',
    ],
    ['utf16be|base64', "sel:\n    CommandLine|utf16be|base64: 'ab'\ncondition: sel", 'CommandLine="AGEAYg=="'],
    ['utf16|base64', "sel:\n    CommandLine|utf16|base64: 'ab'\ncondition: sel", 'CommandLine="//5hAGIA"'],
    ['lt', 'sel:\n    IntegrityLevel|lt: 5\ncondition: sel', 'IntegrityLevel<5'],
    ['lte', 'sel:\n    IntegrityLevel|lte: 5\ncondition: sel', 'IntegrityLevel<=5'],
    ['gt', 'sel:\n    IntegrityLevel|gt: 5\ncondition: sel', 'IntegrityLevel>5'],
    ['gte', 'sel:\n    IntegrityLevel|gte: 5.5\ncondition: sel', 'IntegrityLevel>=5.5'],
    ['number equality', 'sel:\n    ProcessId: 4\ncondition: sel', 'ProcessId=4'],
    ['numbers → IN', 'sel:\n    ProcessId:\n        - 4\n        - 8\ncondition: sel', 'ProcessId IN (4, 8)'],
    ['boolean', 'sel:\n    Initiated: true\ncondition: sel', 'Initiated="true"'],
    ['cidr IPv4', "sel:\n    SourceIp|cidr: '10.0.0.0/8'\ncondition: sel", 'SourceIp="10.0.0.0/8"'],
    [
      'cidr IPv6',
      "sel:\n    SourceIp|cidr: 'fe80::/10'\ncondition: sel",
      'SourceIp="fe80:0000:0000:0000:0000:0000:0000:0000/10"',
    ],
    [
      'fieldref',
      'sel:\n    ParentImage|fieldref: Image\ncondition: sel',
      '| where (isnotnull(ParentImage) AND isnotnull(Image) AND lower(ParentImage)==lower(Image))',
    ],
    [
      'fieldref|cased',
      'sel:\n    ParentImage|fieldref|cased: Image\ncondition: sel',
      '| where (isnotnull(ParentImage) AND isnotnull(Image) AND ParentImage==Image)',
    ],
    [
      'fieldref|startswith',
      'sel:\n    CommandLine|fieldref|startswith: Image\ncondition: sel',
      '| where (isnotnull(CommandLine) AND isnotnull(Image) AND substr(lower(CommandLine), 1, len(Image))==lower(Image))',
    ],
    [
      'fieldref|endswith',
      'sel:\n    CommandLine|fieldref|endswith: Image\ncondition: sel',
      '| where (isnotnull(CommandLine) AND isnotnull(Image) AND (len(Image)==0 OR substr(lower(CommandLine), -len(Image))==lower(Image)))',
    ],
    [
      'fieldref|contains',
      'sel:\n    CommandLine|fieldref|contains: Image\ncondition: sel',
      '| where (isnotnull(CommandLine) AND isnotnull(Image) AND (len(Image)==0 OR mvcount(split(lower(CommandLine), lower(Image)))>1))',
    ],
    [
      '? wildcard → regex',
      "sel:\n    Image: 'C:\\a?c.exe'\ncondition: sel",
      '| regex Image="(?is)^C:\\\\\\\\a.c\\\\.exe\\\\z"',
    ],
    [
      'escaped \\* literal → regex',
      "sel:\n    CommandLine|contains: 'a\\*b'\ncondition: sel",
      '| regex CommandLine="(?is)a\\\\*b"',
    ],
    [
      'keywords',
      "keywords:\n    - 'mimikatz'\n    - 'say \"hi\"'\ncondition: keywords",
      '("*mimikatz*" OR "*say \\"hi\\"*")',
    ],
    ['keywords|all', "keywords:\n    '|all':\n        - 'a'\n        - 'b'\ncondition: keywords", '"*a*" "*b*"'],
    [
      'hour (time part) is reported',
      'sel:\n    UtcTime|hour: 3\ncondition: sel',
      "ERROR C003: 'hour' compares a part of a timestamp; the field's time format is unknown to the Splunk backend",
    ],
    [
      'expand without a value is reported',
      "sel:\n    User|expand: '%admins%'\ncondition: sel",
      'ERROR C005: placeholder %admins% has no value in the pipelines (splunk-windows)',
    ],
  ];
  for (const [what, detection, expected] of cases) it(what, () => expect(spl(detection)).toBe(expected));
});

describe('condition shapes', () => {
  const S = "a:\n    Image|endswith: '\\a.exe'\nb:\n    CommandLine|contains: 'x'\nc:\n    User: 'SYSTEM'\n";
  const cases: [string, string, string][] = [
    ['and', 'a and b', 'Image="*\\\\a.exe" CommandLine="*x*"'],
    ['or', 'a or b', '(Image="*\\\\a.exe" OR CommandLine="*x*")'],
    ['not', 'a and not b', 'Image="*\\\\a.exe" NOT (CommandLine="*x*")'],
    ['parentheses', '(a or b) and not c', '(Image="*\\\\a.exe" OR CommandLine="*x*") NOT (User="SYSTEM")'],
    ['nested', 'a or (b and not c)', '(Image="*\\\\a.exe" OR (CommandLine="*x*" AND NOT (User="SYSTEM")))'],
    ['1 of', '1 of a*', 'Image="*\\\\a.exe"'],
    ['all of them', 'all of them', 'Image="*\\\\a.exe" CommandLine="*x*" User="SYSTEM"'],
    ['1 of them', '1 of them', '(Image="*\\\\a.exe" OR CommandLine="*x*" OR User="SYSTEM")'],
    ['not 1 of', 'a and not 1 of b*', 'Image="*\\\\a.exe" NOT (CommandLine="*x*")'],
  ];
  for (const [what, cond, expected] of cases) it(what, () => expect(spl(S + `condition: ${cond}`)).toBe(expected));

  it('a condition list is OR-ed', () =>
    expect(spl(S + 'condition:\n    - a\n    - b')).toBe('(Image="*\\\\a.exe" OR CommandLine="*x*")'));

  it('a regex under OR makes the whole OR one where clause (the search keeps a superset)', () => {
    expect(spl("a:\n    Image|endswith: '\\a.exe'\nr:\n    CommandLine|re: '^x\\d'\ncondition: a or r")).toBe(
      '| where (match(Image, "(?is)\\\\\\\\a\\\\.exe\\\\z") OR match(CommandLine, "^x\\\\d"))',
    );
    expect(
      spl(
        "a:\n    Image|endswith: '\\a.exe'\nr:\n    CommandLine|re: '^x\\d'\nb:\n    User: 'x'\ncondition: b and (a or r)",
      ),
    ).toBe('User="x" | where (match(Image, "(?is)\\\\\\\\a\\\\.exe\\\\z") OR match(CommandLine, "^x\\\\d"))');
  });

  it('a regex under NOT keeps events without the field (null guard)', () => {
    expect(spl("a:\n    Image|endswith: '\\a.exe'\nr:\n    CommandLine|re: '^x'\ncondition: a and not r")).toBe(
      'Image="*\\\\a.exe" | where NOT (isnotnull(CommandLine) AND match(CommandLine, "^x"))',
    );
  });

  it('a search superset is kept before a where clause', () => {
    expect(spl("a:\n    Image|endswith: '\\a.exe'\nr:\n    CommandLine|re: '^x'\ncondition: (a and r) or a")).toBe(
      'Image="*\\\\a.exe" | where ((match(Image, "(?is)\\\\\\\\a\\\\.exe\\\\z") AND match(CommandLine, "^x")) OR match(Image, "(?is)\\\\\\\\a\\\\.exe\\\\z"))',
    );
  });

  it('never starts with a pipe and never splits an OR across pipes', () => {
    const q = convertDocument(rule("r:\n    CommandLine|re: '^x'\ncondition: r"), { target: 'splunk', pipelines: [] });
    expect(q.ok && q.queries[0]).toBe('* | regex CommandLine="^x"');
  });
});
