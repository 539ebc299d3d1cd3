/**
 * Sigil's library API. The CLI is built on it; it does no file or process I/O.
 */
export * from './ast/types.js';
export * as semantics from './ast/semantics.js';
export { lowerDetection, patternShape, patternToRegex, type Predicate, type PatternPart } from './ast/semantics.js';
export { parse, resolveReferences, type ParseResult, type ParsedDocument, type ParseOptions } from './parser/index.js';
export { type Diagnostic, type Severity, PARSE_DIAGNOSTICS } from './diagnostics.js';
