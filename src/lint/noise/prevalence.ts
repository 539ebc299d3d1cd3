/**
 * Benign prevalence: how common process names, command-line tokens and file and registry path
 * segments and prefixes are in benign Windows telemetry, and how many events each log source
 * carries. Shipped as derived counts in src/data/noise-prevalence.json, built by
 * scripts/build-noise-prevalence.mjs from the tuning part of the shared telemetry (OTRF
 * Security-Datasets, Mordor lab; the held-out part is never read). The static score reads it
 * for the values it can look up, instead of counting characters.
 */
import type { LogSource } from '../../ast/types.js';
import { logsourcePlaced, logsourceSees } from '../../eval/logsource-map.js';
import data from '../../data/noise-prevalence.json' with { type: 'json' };
import type { Indicator } from './indicators.js';

interface PrevalenceIndex {
  events: number;
  minCount: number;
  kinds: Record<string, number>;
  sources: Record<string, number>;
  counts: Record<string, number>;
}

const INDEX = data as PrevalenceIndex;

const PROCESS_FIELD = /^(image|parentimage|sourceimage|targetimage|newprocessname|parentprocessname|processname)$/i;
const COMMAND_FIELD = /^(commandline|parentcommandline)$/i;
const PATH_FIELD = /^(targetfilename|targetobject|imageloaded|objectname|pipename)$/i;
const MAX_PREFIX_DEPTH = 6;

/** Events of a kind holding a value; a value below the index's minimum count reads as 0. */
function count(kind: string, value: string): number {
  return INDEX.counts[`${kind}|${value}`] ?? 0;
}

/** The share of a kind's events that hold the value, smoothed: (count + 0.5) / (events + 1). */
function share(kind: string, c: number): number {
  return (c + 0.5) / ((INDEX.kinds[kind] ?? 0) + 1);
}

/**
 * The benign share of events an indicator matches, where the index can tell: a whole process
 * file name, command-line tokens (all of them must occur: the rarest bounds the share), path
 * segments, or a path prefix. `undefined` when the value is none of those.
 */
export function indicatorShare(ind: Indicator): number | undefined {
  if (ind.leaf.kind !== 'string' || ind.value.includes('*') || ind.value.includes('?')) return undefined;
  const v = ind.value;
  if (PROCESS_FIELD.test(ind.field) || /^originalfilename$/i.test(ind.field)) {
    const whole = (ind.op === 'endswith' && /^\\[^\\]+$/.test(v)) || (ind.op === 'eq' && /\.[a-z0-9]{2,4}$/.test(v));
    if (!whole) return undefined;
    const name = v.replace(/^.*\\/, '');
    return share('proc', count('proc', name));
  }
  if (COMMAND_FIELD.test(ind.field) && ind.op === 'contains') {
    // Only a value that is one whole token (bounded by blanks or quotes on both sides, ` -enc `):
    // for several tokens the rarest one's share would overstate how often they come together.
    const parts = v.split(/[\s"']+/);
    if (parts.length !== 3 || parts[0] !== '' || parts[2] !== '' || parts[1]!.length < 2) return undefined;
    return share('tok', count('tok', parts[1]!));
  }
  if (PATH_FIELD.test(ind.field)) {
    const segs = v.split('\\');
    if (ind.op === 'startswith' && v.endsWith('\\') && segs.length - 1 <= MAX_PREFIX_DEPTH)
      return share('pre', count('pre', v.replace(/\\users\\[^\\]+\\/, '\\users\\*\\')));
    // Segments bounded by separators on both sides (or the end, for endswith).
    const inner = segs.slice(1, ind.op === 'endswith' || ind.op === 'eq' ? undefined : -1).filter((s) => s !== '');
    if (ind.op === 'startswith' || inner.length === 0) return undefined;
    return share('seg', Math.min(...inner.map((s) => count('seg', s))));
  }
  return undefined;
}

/** The share of benign events a Windows log source carries, when the tables place it. */
export function sourceShare(ls: LogSource): number | undefined {
  if (!logsourcePlaced(ls)) return undefined;
  // The share depends on product, category and service only (logsourceSees reads no more): a
  // corpus has a few hundred of them, and each walks every source of the index.
  const key = [ls.product, ls.category, ls.service].map((x) => x?.toLowerCase() ?? '').join('\u0000');
  let cached = SHARES.get(key);
  if (cached === undefined) SHARES.set(key, (cached = measuredShare(ls)));
  return cached;
}

const SHARES = new Map<string, number>();

function measuredShare(ls: LogSource): number {
  let n = 0;
  for (const [key, c] of Object.entries(INDEX.sources)) {
    const bar = key.lastIndexOf('|');
    const id = key.slice(bar + 1);
    if (logsourceSees(ls, { channel: key.slice(0, bar), eventId: /^\d+$/.test(id) ? Number(id) : null })) n += c;
  }
  return (n + 0.5) / (INDEX.events + 1);
}
