/**
 * A small YAML printer for the Sigma emitter: block maps and lists with 4-space indentation
 * (lists indented under their key, as SigmaHQ writes them), literal blocks for multi-line
 * text, and scalars quoted only where YAML 1.2's core schema needs it — single quotes
 * preferred, double quotes only for text single quotes cannot hold (control characters).
 */
import { resolvePlain } from '../../parser/yaml.js';

export type Node =
  | { t: 'scalar'; text: string }
  | { t: 'block'; value: string }
  | { t: 'map'; entries: [string, Node][] }
  | { t: 'seq'; items: Node[] };

const INDENT = 4;

export const map = (entries: [string, Node][]): Node => ({ t: 'map', entries });
export const seq = (items: Node[]): Node => ({ t: 'seq', items });
export const pair = (key: string, value: Node): [string, Node] => [key, value];

export function scalar(v: boolean | null): Node {
  return { t: 'scalar', text: v === null ? 'null' : String(v) };
}

/** A number, printed as written when YAML reads that text back as the same number. */
export function numberNode(raw: string, value: number): Node {
  const t = raw.trim();
  const back = t === '' || /^[-+]?\.?(inf|nan)/i.test(t) ? null : resolvePlain(t);
  if (typeof back === 'number' && (back === value || (Number.isNaN(back) && Number.isNaN(value))))
    return { t: 'scalar', text: t };
  if (Number.isNaN(value)) return { t: 'scalar', text: '.nan' };
  if (!Number.isFinite(value)) return { t: 'scalar', text: value > 0 ? '.inf' : '-.inf' };
  return { t: 'scalar', text: String(value) };
}

/** A string: a literal block when it spans lines (and a block can hold it), else a scalar. */
export function text(s: string): Node {
  if (s.includes('\n') && blockSafe(s)) return { t: 'block', value: s };
  return { t: 'scalar', text: quoteIfNeeded(s) };
}

// Characters that cannot start a plain scalar, and sequences that cannot appear in one (block context).
const PLAIN_FIRST_BAD = /^[\s\-?:,[\]{}#&*!|>'"%@`]/;
const PLAIN_INDICATOR_OK = /^[-?:][^\s,[\]{}]/;
const PLAIN_BAD = /: |:$| #|[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]|\s$/;

function quoteIfNeeded(s: string): string {
  if (plainSafe(s)) return s;
  if (/[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return doubleQuoted(s);
  return "'" + s.replace(/'/g, "''") + "'";
}

function plainSafe(s: string): boolean {
  if (s === '' || PLAIN_BAD.test(s)) return false;
  if (PLAIN_FIRST_BAD.test(s) && !PLAIN_INDICATOR_OK.test(s)) return false;
  if (s.startsWith('---') || s.startsWith('...')) return false;
  return resolvePlain(s) === s;
}

/** JSON string escapes are valid YAML double-quoted escapes. */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(
    /[\u0085\u2028\u2029\ufeff\x7f]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** Literal blocks cannot carry trailing spaces, a leading space/blank first line or control characters reliably. */
function blockSafe(s: string): boolean {
  if (/[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return false;
  if (/[ \t]\n/.test(s) || /[ \t]$/.test(s) || /^[\s]/.test(s)) return false;
  return s.trim() !== '';
}

function blockLines(value: string, indent: number, out: string[], head: string): void {
  const body = value.replace(/\n+$/, '');
  const trailing = value.length - body.length;
  out.push(head + (trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+'));
  const pad = ' '.repeat(indent);
  for (const line of body.split('\n')) out.push(line === '' ? '' : pad + line);
  for (let i = 1; i < trailing; i++) out.push('');
}

function mapLines(entries: [string, Node][], indent: number, out: string[], firstPrefix?: string): void {
  const pad = ' '.repeat(indent);
  entries.forEach(([k, v], i) => {
    const head = (i === 0 && firstPrefix !== undefined ? firstPrefix : pad) + quoteIfNeeded(k) + ':';
    valueLines(v, indent, out, head);
  });
}

/** Writes `head` + the value (a map or list on the following lines, indented one level). */
function valueLines(v: Node, indent: number, out: string[], head: string): void {
  switch (v.t) {
    case 'scalar':
      out.push(head + ' ' + v.text);
      break;
    case 'block':
      blockLines(v.value, indent + INDENT, out, head + ' ');
      break;
    case 'map':
      if (v.entries.length === 0) out.push(head + ' {}');
      else {
        out.push(head);
        mapLines(v.entries, indent + INDENT, out);
      }
      break;
    case 'seq':
      if (v.items.length === 0) out.push(head + ' []');
      else {
        out.push(head);
        seqLines(v.items, indent + INDENT, out);
      }
      break;
  }
}

function seqLines(items: Node[], indent: number, out: string[], firstPrefix?: string): void {
  const pad = ' '.repeat(indent);
  items.forEach((item, i) => {
    const dash = (i === 0 && firstPrefix !== undefined ? firstPrefix : pad) + '- ';
    switch (item.t) {
      case 'scalar':
        out.push(dash + item.text);
        break;
      case 'block':
        blockLines(item.value, indent + INDENT, out, dash);
        break;
      case 'map':
        // `- id: …` with the following keys aligned after the dash.
        if (item.entries.length === 0) out.push(dash + '{}');
        else mapLines(item.entries, indent + 2, out, dash);
        break;
      case 'seq':
        if (item.items.length === 0) out.push(dash + '[]');
        else seqLines(item.items, indent + 2, out, dash);
        break;
    }
  });
}

/** Prints a document whose root is a map. */
export function printYaml(root: Node): string {
  const out: string[] = [];
  if (root.t === 'map') mapLines(root.entries, 0, out);
  else valueLines(root, 0, out, '');
  return out.join('\n') + '\n';
}
