/** The Sigma emitter's and formatter's public API (re-exported by src/index.ts). */
export { emitSigma, emitDocument } from './emit.js';
export { formatSigmaText, type FormatResult } from './format.js';
