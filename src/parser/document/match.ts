/** One `field|modifiers: value(s)` entry of a search identifier: its modifiers and typed values. */
import type { FieldMatch, Loc, Value } from '../../ast/types.js';
import { truncate } from '../../util/text.js';
import { parseCidr } from '../cidr.js';
import { checkModifiers, type ValueKind } from '../modifiers.js';
import { compileSigmaRegex } from '../regex.js';
import { hasWildcards, parseSigmaString } from '../strings.js';
import type { YNode, YScalar } from '../yaml-tree.js';
import { describe, locOf, report, type BuildContext } from './context.js';

/** Value ranges of the time modifiers (sigma-appendix-modifiers.md, "Time Modifiers"). */
const TIME_PART_RANGE = { minute: [0, 59], hour: [0, 23], day: [1, 31], week: [1, 52], month: [1, 12] } as const;

/** Where the `index`-th modifier of a `field|mod1|mod2` key starts (the key's start when the key is not written literally). */
function modifierLoc(ctx: BuildContext, key: YNode, index: number): Loc {
  if (key.kind !== 'scalar') return locOf(ctx, key);
  const quote = key.style === 2 || key.style === 3 ? 1 : 0;
  const contentStart = key.start + quote;
  if (ctx.text.slice(contentStart, contentStart + key.text.length) !== key.text) return locOf(ctx, key);
  let at = -1;
  for (let i = 0; i <= index; i++) {
    at = key.text.indexOf('|', at + 1);
    if (at === -1) return locOf(ctx, key);
  }
  return ctx.lines.loc(contentStart + at + 1);
}

/** Reads `field|mods: value(s)` (field null: keywords). */
export function readMatch(
  ctx: BuildContext,
  field: string | null,
  modNames: string[],
  valueNode: YNode,
  keyNode: YNode,
): FieldMatch | undefined {
  const analysis = checkModifiers(modNames, field === null);
  for (const p of analysis.problems)
    report(ctx, p.code, p.message, p.index === undefined ? keyNode : modifierLoc(ctx, keyNode, p.index), p.hint);
  const mods = analysis.modifiers;
  const match: FieldMatch = {
    type: 'match',
    field,
    modifiers: mods,
    values: [],
    list: valueNode.kind === 'seq',
    loc: locOf(ctx, keyNode),
  };
  let scalars: YNode[];
  if (valueNode.kind === 'seq') {
    scalars = valueNode.items;
    if (scalars.length === 0) {
      report(
        ctx,
        'P016',
        `'${field ?? 'keywords'}' has an empty list of values.`,
        valueNode,
        'Give at least one value.',
      );
      return undefined;
    }
  } else if (valueNode.kind === 'map') {
    report(
      ctx,
      'P017',
      `The value of '${field ?? '|' + modNames.join('|')}' is a mapping; Sigma expects a value or a list of values.`,
      valueNode,
      'Put nested fields in their own selection, or flatten with dots (Parent.child).',
    );
    return undefined;
  } else scalars = [valueNode];

  const kind = analysis.kind;
  const expand = mods.includes('expand');
  const stringMods = mods.some(
    (m) =>
      m === 'contains' ||
      m === 'startswith' ||
      m === 'endswith' ||
      m === 'windash' ||
      m === 'base64' ||
      m === 'base64offset' ||
      m === 'utf16le' ||
      m === 'utf16be' ||
      m === 'utf16' ||
      m === 'wide' ||
      m === 'cased' ||
      m === 'expand',
  );
  for (const v of scalars) {
    if (v.kind !== 'scalar') {
      report(
        ctx,
        'P017',
        `A value of '${field ?? 'keywords'}' is ${describe(v)}; values must be strings, numbers, booleans or null.`,
        v,
        'Flatten nested lists.',
      );
      continue;
    }
    const value = readValue(ctx, v, kind, mods, expand, stringMods, field);
    if (value) match.values.push(value);
  }
  if (scalars.length > 1 && match.values.some((x) => x.type === 'null')) {
    report(
      ctx,
      'P027',
      `'null' cannot be one of a list of values (field '${field ?? 'keywords'}').`,
      valueNode,
      "Put 'Field: null' in a selection of its own and combine the selections in the condition.",
    );
  }
  if (mods.includes('all') && scalars.length === 1) {
    report(
      ctx,
      'P023',
      `'all' on the single value of '${field ?? 'keywords'}' has no effect.`,
      keyNode,
      "Remove '|all', or list the values that must all match.",
    );
  }
  if (kind === 'exists' && scalars.length !== 1)
    report(ctx, 'P028', "'exists' takes exactly one value: true or false.", valueNode, "Write 'Field|exists: true'.");
  return match;
}

function readValue(
  ctx: BuildContext,
  v: YScalar,
  kind: ValueKind,
  mods: readonly string[],
  expand: boolean,
  stringMods: boolean,
  field: string | null,
): Value | undefined {
  const loc = locOf(ctx, v);
  const fieldName = field ?? 'keywords';
  switch (kind) {
    case 'exists':
      if (typeof v.value !== 'boolean') {
        report(
          ctx,
          'P028',
          `'exists' takes true or false, not '${truncate(v.text)}'.`,
          v,
          `Write '${fieldName}|exists: true'.`,
        );
        return undefined;
      }
      return { type: 'boolean', value: v.value, loc };
    case 'regex': {
      if (typeof v.value !== 'string' && typeof v.value !== 'number') {
        report(
          ctx,
          'P022',
          `'re' takes a string pattern, not ${describe(v)}.`,
          v,
          "Quote the pattern: 'Field|re: ^abc$'.",
        );
        return undefined;
      }
      const flags = ['i', 'm', 's'].filter((f) => mods.includes(f)).join('');
      const err = compileSigmaRegex(v.text, flags);
      if (typeof err === 'string')
        report(
          ctx,
          'P024',
          `Invalid regular expression for '${fieldName}': ${err}.`,
          v,
          "Check brackets and escapes; Sigma's regex flavour is a PCRE subset (see the modifiers appendix).",
        );
      return { type: 'regex', pattern: v.text, flags, loc };
    }
    case 'cidr': {
      if (typeof v.value !== 'string') {
        report(
          ctx,
          'P025',
          `'cidr' takes a network like 10.0.0.0/8, not ${describe(v)}.`,
          v,
          "Write 'Field|cidr: 10.0.0.0/8'.",
        );
        return undefined;
      }
      const c = parseCidr(v.text.trim());
      if (typeof c === 'string') {
        report(
          ctx,
          'P025',
          `Invalid CIDR '${truncate(v.text)}': ${c}.`,
          v,
          'Write an IPv4 network like 192.168.0.0/16 or an IPv6 one like fe80::/10.',
        );
        return undefined;
      }
      return { type: 'cidr', raw: v.text, version: c.version, network: c.network, prefix: c.prefix, loc };
    }
    case 'fieldref':
      if (typeof v.value !== 'string' || !v.text) {
        report(
          ctx,
          'P029',
          `'fieldref' takes a field name, not ${describe(v)}.`,
          v,
          "Write 'TargetField|fieldref: SourceField'.",
        );
        return undefined;
      }
      return { type: 'fieldref', field: v.text, loc };
    case 'number': {
      let n: number | null = typeof v.value === 'number' ? v.value : null;
      if (n === null && typeof v.value === 'string' && /^[-+]?\d+(\.\d+)?$/.test(v.text.trim()))
        n = Number(v.text.trim());
      if (n === null || !Number.isFinite(n)) {
        report(
          ctx,
          'P022',
          `'${mods.filter((m) => m !== 'all' && m !== 'neq').join('|')}' compares numbers; '${truncate(v.text)}' is not a number.`,
          v,
          `Write '${fieldName}|${mods[0]}: 10'.`,
        );
        return undefined;
      }
      const part = mods.find((m): m is keyof typeof TIME_PART_RANGE => m in TIME_PART_RANGE);
      const range = part ? TIME_PART_RANGE[part] : undefined;
      if (part && range && (!Number.isInteger(n) || n < range[0] || n > range[1])) {
        report(
          ctx,
          'P022',
          `'${part}' is a whole number from ${range[0]} to ${range[1]}; ${truncate(v.text)} is not.`,
          v,
          `Write e.g. '${fieldName}|${part}: ${range[0]}'.`,
        );
        return undefined;
      }
      if (mods.includes('year') && !Number.isInteger(n)) {
        report(
          ctx,
          'P022',
          `'year' is a whole number; ${truncate(v.text)} is not.`,
          v,
          `Write e.g. '${fieldName}|year: 2024'.`,
        );
        return undefined;
      }
      return { type: 'number', value: n, raw: v.text, loc };
    }
    default:
      break;
  }
  // Plain and string-modified values.
  if (v.value === null) {
    if (stringMods) {
      report(
        ctx,
        'P022',
        `'${mods.join('|')}' cannot apply to null.`,
        v,
        `To test that '${fieldName}' is empty or missing, write '${fieldName}: null' without modifiers.`,
      );
      return undefined;
    }
    if (field === null) {
      report(ctx, 'P017', 'A keyword search cannot be null.', v, 'Remove the null entry.');
      return undefined;
    }
    return { type: 'null', loc };
  }
  if (typeof v.value === 'boolean') {
    if (stringMods) {
      report(
        ctx,
        'P022',
        `'${mods.join('|')}' applies to strings, not to the boolean ${v.text}.`,
        v,
        `Quote it ('${v.text}') if the text is meant.`,
      );
      return undefined;
    }
    return { type: 'boolean', value: v.value, loc };
  }
  // Non-finite numbers (.inf, .nan) have no JSON form: such a value is matched as its text.
  if (typeof v.value === 'number' && !stringMods && Number.isFinite(v.value)) {
    return { type: 'number', value: v.value, raw: v.text, loc };
  }
  const parts = parseSigmaString(v.text, expand);
  if (hasWildcards(parts) && mods.some((m) => m === 'base64' || m === 'base64offset')) {
    report(
      ctx,
      'P026',
      `'${mods.find((m) => m.startsWith('base64'))}' cannot encode wildcards in '${truncate(v.text)}'.`,
      v,
      'Base64 of a wildcard is not a wildcard: encode a literal value, and use |base64offset|contains to find it inside a longer string.',
    );
  }
  if (expand && !parts.some((p) => typeof p !== 'string' && 'placeholder' in p)) {
    report(
      ctx,
      'P029',
      `'expand' is used but '${truncate(v.text)}' has no %placeholder%.`,
      v,
      "Write a placeholder like '%Administrators%', or remove '|expand'.",
      'warning',
    );
  }
  return { type: 'string', parts, raw: v.text, loc };
}
