/**
 * Reading events from text: a JSON array of events, one object, JSON Lines, or objects
 * written one after another (as EVTX-to-JSON tools do). Pure: the CLI reads the files.
 */
import type { Diagnostic } from '../diagnostics.js';
import { evalDiagnostic } from './codes.js';
import type { EventObject } from './event-shapes.js';

export interface ParsedEvents {
  events: { event: EventObject; line: number }[];
  diagnostics: Diagnostic[];
}

const isObject = (v: unknown): v is EventObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits text into top-level JSON values by bracket depth (strings and escapes respected). */
function topLevelValues(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      if (depth === 0 && start === -1) start = i;
    } else if (c === 123 || c === 91) {
      if (depth === 0 && start === -1) start = i;
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0 && start !== -1) {
        out.push({ start, end: i + 1 });
        start = -1;
      }
    } else if (depth === 0 && c > 32 && start === -1) {
      // A bare scalar at the top level: take it up to the next whitespace.
      let j = i;
      while (j < text.length && text.charCodeAt(j) > 32) j++;
      out.push({ start: i, end: j });
      i = j - 1;
    }
  }
  if (start !== -1) out.push({ start, end: text.length });
  return out;
}

/** Offsets → 1-based line/column, by binary search over the line starts. */
function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

/** Parses one JSON text holding one or more events. */
/**
 * Why JSON.parse failed, without the input: V8 quotes the text it read ("…" is not valid JSON,
 * Unexpected token 'r'), and an events file named by a rule test may be anything on disk.
 */
function jsonErrorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message
    .replace(/,? ".*"(?:\.\.\.)? is not valid JSON\.?$/s, '')
    .replace(/Unexpected token '.+?'/su, 'Unexpected character')
    .replace(/\.$/, '');
}

export function parseJsonEvents(text: string, file?: string): ParsedEvents {
  const result: ParsedEvents = { events: [], diagnostics: [] };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lineOf = lineLocator(text);
  for (const { start, end } of topLevelValues(text)) {
    const chunk = text.slice(start, end);
    let value: unknown;
    try {
      value = JSON.parse(chunk);
    } catch (e) {
      const d = evalDiagnostic(
        'E003',
        `Invalid JSON event: ${jsonErrorReason(e)}.`,
        lineOf(start),
        'Events are JSON objects: one per line (JSON Lines), a JSON array, or objects one after another.',
      );
      if (file !== undefined) d.file = file;
      result.diagnostics.push(d);
      continue;
    }
    const line = lineOf(start).line;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (isObject(item)) result.events.push({ event: item, line });
      else {
        const d = evalDiagnostic(
          'E003',
          `An event must be a JSON object, not ${item === null ? 'null' : typeof item}.`,
          lineOf(start),
        );
        if (file !== undefined) d.file = file;
        result.diagnostics.push(d);
      }
    }
  }
  return result;
}

/** Parses one line of a JSON Lines stream: an event, nothing (blank line) or a diagnostic. */
export function parseJsonLine(
  line: string,
  lineNo: number,
  file?: string,
): { event: EventObject } | { diagnostic: Diagnostic } | null {
  const t = line.trim();
  if (t === '') return null;
  try {
    const v: unknown = JSON.parse(t);
    if (isObject(v)) return { event: v };
    const d = evalDiagnostic(
      'E003',
      `An event must be a JSON object, not ${Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v}.`,
      { line: lineNo, column: 1 },
    );
    if (file !== undefined) d.file = file;
    return { diagnostic: d };
  } catch (e) {
    const d = evalDiagnostic(
      'E003',
      `Invalid JSON event: ${jsonErrorReason(e)}.`,
      { line: lineNo, column: 1 },
      'Each line of a JSON Lines file is one JSON object.',
    );
    if (file !== undefined) d.file = file;
    return { diagnostic: d };
  }
}
