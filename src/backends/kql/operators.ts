import { ATOM, type BooleanSyntax } from '../boolean-printer.js';

/**
 * The KQL backend's operator table: every target-specific spelling in one place.
 * `ci` = Sigma's default case-insensitive match, `cs` = the `cased` modifier.
 * `has`/`has_any` are deliberately absent: they match whole terms, which no Sigma string
 * operator does (see docs/backends/kql.md, "Why no has").
 */
export const KQL_OPERATORS = {
  eq: { ci: '=~', cs: '==' },
  in: { ci: 'in~', cs: 'in' },
  contains: { ci: 'contains', cs: 'contains_cs' },
  startswith: { ci: 'startswith', cs: 'startswith_cs' },
  endswith: { ci: 'endswith', cs: 'endswith_cs' },
  regex: 'matches regex',
  compare: { eq: '==', lt: '<', lte: '<=', gt: '>', gte: '>=' },
} as const;

/** Sigma time modifiers → datetime_part() part names. */
export const KQL_TIME_PARTS = {
  minute: 'minute',
  hour: 'hour',
  day: 'day',
  week: 'week_of_year',
  month: 'month',
  year: 'year',
} as const;

/** windash classes expand into at most this many literal alternatives; beyond, a regex. */
export const MAX_WINDASH_EXPANSION = 16;

/** How KQL writes and / or / not (src/backends/boolean-printer.ts). */
export const KQL_BOOLEAN: BooleanSyntax = {
  and: { token: 'and', precedence: 2 },
  // Kusto's parser rejects very deep operator chains: long ORs are nested in chunks.
  or: { token: 'or', precedence: 1, maxOperands: 48 },
  // not() is a function: its result binds like an atom.
  not: { prefix: 'not', groupOperand: 'always', precedence: ATOM },
  true: 'true',
  group: (text) => `(${text})`,
  wrap: { width: 110, indent: ' ' },
};
