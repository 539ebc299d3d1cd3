/**
 * Value modifiers: which exist, how they combine, and which value types each accepts
 * (sigma-appendix-modifiers.md v2.1). The parser calls `checkModifiers` once per field key.
 */
import { MODIFIERS, type Modifier } from '../ast/types.js';
import { closest } from '../util/text.js';

const MODIFIER_SET: ReadonlySet<string> = new Set(MODIFIERS);

const STRING_POSITION = ['contains', 'startswith', 'endswith'] as const;
const ENCODINGS = ['utf16le', 'utf16be', 'utf16', 'wide'] as const;
const BASE64 = ['base64', 'base64offset'] as const;
const COMPARE = ['lt', 'lte', 'gt', 'gte'] as const;
const TIME_PARTS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
const REGEX_FLAGS = ['i', 'm', 's'] as const;

/** What a modifier chain makes of its values. */
export type ValueKind = 'string' | 'regex' | 'cidr' | 'fieldref' | 'exists' | 'number' | 'any';

interface ModifierProblem {
  code: 'P020' | 'P021';
  message: string;
  hint: string;
  /** Index (into the names given) of the modifier the problem is about, when it is one modifier. */
  index?: number;
}

interface ModifierAnalysis {
  modifiers: Modifier[];
  kind: ValueKind;
  problems: ModifierProblem[];
}

const has = (mods: readonly string[], group: readonly string[]): string[] => mods.filter((m) => group.includes(m));

/** Validates a modifier chain (names already split off the key). */
export function checkModifiers(names: readonly string[], keyword: boolean): ModifierAnalysis {
  const problems: ModifierProblem[] = [];
  const modifiers: Modifier[] = [];
  names.forEach((name, index) => {
    if (name === '') {
      problems.push({
        code: 'P020',
        message: 'Empty modifier (two | in a row, or a trailing |).',
        hint: 'Remove the extra |.',
        index,
      });
      return;
    }
    if (MODIFIER_SET.has(name)) {
      if (modifiers.includes(name as Modifier)) {
        problems.push({
          code: 'P021',
          message: `Modifier '${name}' is given twice.`,
          hint: `Remove the second '|${name}'.`,
          index,
        });
      } else modifiers.push(name as Modifier);
      return;
    }
    const lower = name.toLowerCase();
    const guess = MODIFIER_SET.has(lower) ? lower : closest(name, MODIFIERS, Math.max(2, Math.floor(name.length / 3)));
    problems.push({
      code: 'P020',
      message: `Unknown modifier '${name}'.`,
      hint: guess ? `Did you mean '${guess}'? Modifiers are lower case.` : `Known modifiers: ${MODIFIERS.join(', ')}.`,
      index,
    });
  });
  const bad = (message: string, hint: string): void => {
    problems.push({ code: 'P021', message, hint });
  };
  const pos = has(modifiers, STRING_POSITION);
  if (pos.length > 1)
    bad(
      `Modifiers ${pos.map((m) => `'${m}'`).join(' and ')} cannot be combined.`,
      'Use one of contains, startswith or endswith (or a wildcard inside the value).',
    );
  const enc = has(modifiers, ENCODINGS);
  if (enc.length > 1)
    bad(`Encoding modifiers ${enc.join(', ')} cannot be combined.`, 'Use one of utf16le (wide), utf16be or utf16.');
  const b64 = has(modifiers, BASE64);
  if (b64.length > 1)
    bad(
      'base64 and base64offset cannot be combined.',
      'Use base64offset when the value sits inside a longer encoded string, otherwise base64.',
    );
  const cmp = has(modifiers, COMPARE);
  if (cmp.length > 1)
    bad(
      `Comparison modifiers ${cmp.join(', ')} cannot be combined.`,
      'Use one comparison per field; add a second selection for a range.',
    );
  const time = has(modifiers, TIME_PARTS);
  if (time.length > 1) bad(`Time modifiers ${time.join(', ')} cannot be combined.`, 'Use one time part per field.');
  if (enc.length && b64.length && modifiers.indexOf(enc[0] as Modifier) > modifiers.indexOf(b64[0] as Modifier)) {
    bad(
      `'${enc[0]}' must come before '${b64[0]}'.`,
      `Modifiers apply left to right: write |${enc[0]}|${b64[0]} to encode the UTF-16 bytes in base64.`,
    );
  }
  // Modifiers apply left to right: a position modifier before an encoding would encode its
  // wildcards, which cannot be done (pySigma rejects it). Written after, it searches the encoded text.
  const firstEncoding = modifiers.findIndex(
    (m) => (BASE64 as readonly string[]).includes(m) || (ENCODINGS as readonly string[]).includes(m),
  );
  if (firstEncoding !== -1) {
    const early = pos.find((m) => modifiers.indexOf(m as Modifier) < firstEncoding);
    if (early)
      bad(
        `'${early}' must come after '${modifiers[firstEncoding]}'.`,
        `Modifiers apply left to right and wildcards cannot be encoded: write |${modifiers[firstEncoding]}|${early} to find the encoded value.`,
      );
  }
  for (const f of has(modifiers, REGEX_FLAGS)) {
    if (!modifiers.includes('re'))
      bad(`Modifier '${f}' is a regular-expression flag and needs 're'.`, `Write |re|${f}.`);
  }
  const isRe = modifiers.includes('re');
  const isCidr = modifiers.includes('cidr');
  const isExists = modifiers.includes('exists');
  const isRef = modifiers.includes('fieldref');
  let kind: ValueKind = 'string';
  if (isExists) {
    kind = 'exists';
    const others = modifiers.filter((m) => m !== 'exists');
    if (others.length)
      bad(
        `'exists' cannot be combined with ${others.map((m) => `'${m}'`).join(', ')}.`,
        "Write the existence check on its own: 'Field|exists: true'.",
      );
    if (keyword) bad("'exists' needs a field name.", "Write 'FieldName|exists: true'.");
  } else if (isRe) {
    kind = 'regex';
    const others = modifiers.filter((m) => !['re', 'i', 'm', 's', 'neq', 'all'].includes(m));
    if (others.length)
      bad(
        `'re' cannot be combined with ${others.map((m) => `'${m}'`).join(', ')}.`,
        'A regular expression already says where it matches (use ^ and $) and its case (|i).',
      );
  } else if (isCidr) {
    kind = 'cidr';
    const others = modifiers.filter((m) => !['cidr', 'neq', 'all'].includes(m));
    if (others.length)
      bad(
        `'cidr' cannot be combined with ${others.map((m) => `'${m}'`).join(', ')}.`,
        "Write 'Field|cidr: 10.0.0.0/8'.",
      );
    if (keyword) bad("'cidr' needs a field name.", "Write 'DestinationIp|cidr: 10.0.0.0/8'.");
  } else if (isRef) {
    kind = 'fieldref';
    const others = modifiers.filter(
      (m) => !['fieldref', 'neq', 'all', 'contains', 'startswith', 'endswith', 'cased'].includes(m),
    );
    if (others.length)
      bad(
        `'fieldref' cannot be combined with ${others.map((m) => `'${m}'`).join(', ')}.`,
        "Write 'TargetField|fieldref: SourceField'.",
      );
    if (keyword) bad("'fieldref' needs a field name.", "Write 'TargetField|fieldref: SourceField'.");
  } else if (cmp.length || time.length) {
    kind = 'number';
    const others = modifiers.filter(
      (m) =>
        !(COMPARE as readonly string[]).includes(m) &&
        !(TIME_PARTS as readonly string[]).includes(m) &&
        m !== 'neq' &&
        m !== 'all',
    );
    if (others.length)
      bad(
        `'${[...time, ...cmp].join('|')}' cannot be combined with ${others.map((m) => `'${m}'`).join(', ')}.`,
        'Numeric and time modifiers compare numbers; string modifiers do not apply.',
      );
    if (keyword) bad(`'${[...time, ...cmp][0]}' needs a field name.`, "Write 'Field|gte: 10'.");
  }
  if (modifiers.includes('neq') && cmp.length)
    bad("'neq' cannot be combined with a comparison modifier.", 'Use lt/gt for a numeric inequality.');
  // (`expand` with a non-string kind is reported above, among the modifiers that kind excludes.)
  return { modifiers, kind, problems };
}
