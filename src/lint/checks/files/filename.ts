/** Helpers for the file-name convention checks: the base name of a document's file. */
import type { DocumentInfo } from '../../types.js';

/** The file's base name, or undefined when the document has no real file (stdin, API input). */
export function baseName(doc: Pick<DocumentInfo, 'file'>): string | undefined {
  if (!doc.file || doc.file === '<stdin>') return undefined;
  return doc.file.replace(/\\/g, '/').split('/').pop() || undefined;
}
