/** The SPL backend's operator tables. */
import type { BooleanSyntax } from '../boolean-printer.js';

/** Comparison operators, in search terms (`field>5`) and in eval (`=` is `==` there). */
export const NUMBER_OPS = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

const group = (text: string): string => `(${text})`;

/**
 * How search terms (the base search, tstats' `where`) write and / or / not. Whether `search`
 * binds AND or OR tighter is contested: every compound expression is grouped (parenthesize), so
 * no query depends on it. NOT's operand is always grouped: `NOT (User="SYSTEM")`.
 */
export const SPL_SEARCH: BooleanSyntax = {
  and: { token: 'AND', precedence: 1 },
  or: { token: 'OR', precedence: 1 },
  not: { prefix: 'NOT ', groupOperand: 'always', precedence: 2 },
  true: '*',
  group,
  parenthesize: true,
};

/** How eval expressions (`| where`) write and / or / not: compound expressions grouped as in search. */
export const SPL_EVAL: BooleanSyntax = {
  and: { token: 'AND', precedence: 1 },
  or: { token: 'OR', precedence: 1 },
  not: { prefix: 'NOT ', groupOperand: 'by-precedence', precedence: 2 },
  true: 'true()',
  group,
  parenthesize: true,
};
