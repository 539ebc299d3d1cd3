/** The per-file tasks the worker pool (parse-pool.ts) can run: parse, or parse and convert. */
import fs from 'node:fs';
import { parse, type ParseResult } from '../parser/index.js';
import { ioDiagnostic } from './codes.js';
import type { convertParsedFile, FileConversion, ConvertSettings } from './convert-file.js';
import { displayName, readInput } from './io.js';

export type PoolTask = { name: 'parse'; schema: boolean } | { name: 'convert'; settings: ConvertSettings };

// Conversion (the backends and their data) is loaded only by a process or worker that converts.
let convertFile: typeof convertParsedFile | undefined;

/** Loads what `task` needs beyond the parser; call it (and await it) before `runTask`. */
export async function prepareTask(task: PoolTask): Promise<void> {
  if (task.name === 'convert') convertFile ??= (await import('./convert-file.js')).convertParsedFile;
}

function isDirectory(f: string): boolean {
  try {
    return fs.statSync(f).isDirectory();
  } catch {
    return false;
  }
}

function parseOne(f: string, schema: boolean): ParseResult {
  const file = displayName(f);
  let bytes: Uint8Array;
  try {
    bytes = readInput(f);
  } catch (e) {
    const d = ioDiagnostic(
      'I001',
      `Cannot read the ${isDirectory(f) ? 'directory' : 'file'}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
      undefined,
      'Check the path and its permissions; rules are read from regular files (links are followed).',
    );
    d.file = file;
    return { file, documents: [], diagnostics: [d] };
  }
  return parse(bytes, { file, schema });
}

/**
 * Runs `task` on one file. An exception here is a Sigil bug; it is reported against that file
 * (I002) so that one pathological input never stops the rest of a run.
 */
export function runTask(f: string, task: PoolTask): ParseResult | FileConversion {
  try {
    return runTaskUnguarded(f, task);
  } catch (e) {
    const file = displayName(f);
    const d = ioDiagnostic(
      'I002',
      `Sigil failed on this file: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}.`,
      undefined,
      'This is a bug in Sigil: please report it with the file. The other files are processed.',
    );
    d.file = file;
    const failed: ParseResult = { file, documents: [], diagnostics: [d] };
    return task.name === 'convert' && convertFile ? convertFile(failed, task.settings) : failed;
  }
}

function runTaskUnguarded(f: string, task: PoolTask): ParseResult | FileConversion {
  switch (task.name) {
    case 'parse':
      return parseOne(f, task.schema);
    case 'convert':
      if (!convertFile) throw new Error('runTask: the convert task was not prepared (call prepareTask first)');
      // Conversion needs only the parser's errors; schema findings are for parse and lint.
      return convertFile(parseOne(f, false), task.settings);
  }
}
