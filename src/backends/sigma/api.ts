/** The Sigma emitter's and formatter's public API (re-exported by src/index.ts). */
export { emitSigma, emitDocument, CANONICAL_KEY_ORDER, type EmitOptions } from './emit.js';
export { formatSigmaText, type FormatResult, type FormatReason } from './format.js';
