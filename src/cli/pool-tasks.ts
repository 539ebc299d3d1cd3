/** The per-file tasks the worker pool (parse-pool.ts) can run: parse, or parse and convert. */
import { parse, type ParseResult } from '../parser/index.js';
import type { Diagnostic } from '../diagnostics.js';
import type { convertParsedFile, FileConversion, ConvertSettings } from './convert-file.js';
import { displayName, readInput } from './io.js';

export type PoolTask = { name: 'parse'; schema: boolean } | { name: 'convert'; settings: ConvertSettings };

// Conversion (the backends and their data) is loaded only by a process or worker that converts.
let convertFile: typeof convertParsedFile | undefined;

/** Loads what `task` needs beyond the parser; call it (and await it) before `runTask`. */
export async function prepareTask(task: PoolTask): Promise<void> {
  if (task.name === 'convert') convertFile ??= (await import('./convert-file.js')).convertParsedFile;
}

function parseOne(f: string, schema: boolean): ParseResult {
  const file = displayName(f);
  let bytes: Uint8Array;
  try {
    bytes = readInput(f);
  } catch (e) {
    const d: Diagnostic = {
      code: 'P001',
      severity: 'error',
      message: `Cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
      hint: 'Check the path and its permissions.',
      file,
      line: 1,
      column: 1,
    };
    return { file, documents: [], diagnostics: [d] };
  }
  return parse(bytes, { file, schema });
}

export function runTask(f: string, task: PoolTask): ParseResult | FileConversion {
  switch (task.name) {
    case 'parse':
      return parseOne(f, task.schema);
    case 'convert':
      if (!convertFile) throw new Error('runTask: the convert task was not prepared (call prepareTask first)');
      // Conversion needs only the parser's errors; schema findings are for parse and lint.
      return convertFile(parseOne(f, false), task.settings);
  }
}
