/**
 * The YAML `sigil tune` writes: the rule with its proposed filters added in SigmaHQ's style
 * (`filter_main_*` / `filter_optional_*` identifiers, the condition extended with `and not 1 of
 * filter_main_*` …), or a Sigma filter document (the filters specification: `filter:` with
 * `rules:` and the identifiers and condition) that `--filter` applies. The rule's own text is
 * edited through the `yaml` Document API, so its comments and layout stay; the result is then
 * put in `sigil fmt`'s layout, so that `sigil fmt` leaves it unchanged. Every text is parsed
 * back and checked to match exactly the events the rule matches and no filter does.
 */
import { createHash } from 'node:crypto';
import { Document, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, Scalar, type YAMLMap } from 'yaml';
import type { SigmaRule } from '../../ast/types.js';
import { emitDocument } from '../../backends/sigma/emit.js';
import { formatSigmaText } from '../../backends/sigma/format.js';
import { compileRule, toView } from '../../eval/compile.js';
import type { EventObject } from '../../eval/event-shapes.js';
import { parse } from '../../parser/index.js';
import { printSigmaString } from '../../parser/strings.js';
import { applyFilters } from '../../pipelines/filters.js';
import { filterTest, type Proposal, type TuneResult } from './propose.js';

const key = (p: Proposal): string => (p.modifier ? `${p.field}|${p.modifier}` : p.field);

/** The comment above a proposed identifier: what it removes, and whether it fits one environment only. */
function comment(p: Proposal, result: TuneResult): string {
  const base = ` sigil tune: removes ${p.removes} hits; ${p.remaining} of ${result.examined} left`;
  return p.environmentSpecific
    ? `${base}\n environment-specific: an identity (host, user, SID, GUID, id, address) or a program in a user-writable folder`
    : base;
}

/** The condition part that excludes the proposals: `not 1 of filter_main_*` per group, or the names. */
function exclusions(existing: readonly string[], proposals: readonly Proposal[]): string[] {
  const out: string[] = [];
  for (const group of ['main', 'optional'] as const) {
    const names = proposals.filter((p) => p.group === group).map((p) => p.identifier);
    if (names.length === 0) continue;
    const prefix = `filter_${group}_`;
    // The pattern is used only when it names exactly the new identifiers.
    if (!existing.some((n) => n.startsWith(prefix))) out.push(`not 1 of ${prefix}*`);
    else for (const n of names) out.push(`not ${n}`);
  }
  return out;
}

const extend = (condition: string, parts: readonly string[]): string =>
  `${/\bor\b/i.test(condition) ? `(${condition})` : condition} and ${parts.join(' and ')}`;

/**
 * A literal value in Sigma's notation. A single trailing backslash stays single
 * (`C:\Program Files\Vendor\`, as SigmaHQ writes prefixes): at the end of a value it is a
 * literal backslash already.
 */
function sigmaText(value: string): string {
  const text = printSigmaString([value]);
  return /[^\\]\\$/.test(value) && text.endsWith('\\\\') ? text.slice(0, -1) : text;
}

function identifierNode(doc: Document, p: Proposal, result: TuneResult): [Scalar, YAMLMap] {
  const k = new Scalar(p.identifier);
  k.commentBefore = comment(p, result);
  // Quoted, as SigmaHQ writes values: a value is a string whatever it looks like (`'3'`, `'yes'`).
  const value = new Scalar(sigmaText(p.value));
  value.type = Scalar.QUOTE_SINGLE;
  const body = doc.createNode({}) as YAMLMap;
  body.items.push(doc.createPair(key(p), value));
  return [k, body];
}

function formatted(text: string, what: string): string {
  const r = formatSigmaText(text);
  if (r.diagnostics.length)
    throw new Error(`sigil tune built ${what} that does not format: ${r.diagnostics.map((d) => d.message).join(' ')}`);
  return r.text;
}

/**
 * The rule with the proposals added. `source` is the rule file's text, used when it holds this
 * one document (its comments and layout are kept); otherwise the rule is emitted as canonical Sigma.
 */
export function tunedRuleYaml(rule: SigmaRule, result: TuneResult, source?: string): string {
  let text = source;
  if (
    text === undefined ||
    parseAllDocuments(text).length !== 1 ||
    parse(text, { schema: false }).documents.length !== 1
  )
    text = emitDocument(rule);
  const doc = parseDocument(text);
  const root = doc.contents;
  const detection = isMap(root) ? root.get('detection', true) : undefined;
  if (!isMap(detection)) throw new Error('sigil tune: the rule has no detection mapping');
  const parts = exclusions(
    rule.detection.identifiers.map((i) => i.name),
    result.proposals,
  );
  const conditionIndex = detection.items.findIndex((it) => isScalar(it.key) && it.key.value === 'condition');
  const condition = detection.items[conditionIndex];
  if (!condition) throw new Error('sigil tune: the rule has no condition');
  detection.items.splice(
    conditionIndex,
    0,
    ...result.proposals.map((p) => {
      const [k, v] = identifierNode(doc, p, result);
      return doc.createPair(k, v);
    }),
  );
  const value = condition.value;
  if (isScalar(value)) value.value = extend(String(value.value), parts);
  else if (isSeq(value))
    for (const item of value.items) if (isScalar(item)) item.value = extend(String(item.value), parts);
  return formatted(doc.toString(), 'a rule');
}

/** A stable id for the filter document of a rule and its proposals (a UUID in form). */
function filterId(rule: SigmaRule, result: TuneResult): string {
  const h = createHash('sha256')
    .update(
      `${rule.id ?? rule.name ?? rule.title}\u0000${result.proposals.map((p) => `${key(p)}=${p.value}`).join('\u0000')}`,
    )
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A Sigma filter document for the rule (it needs an id or a name to refer to the rule). */
export function filterDocumentYaml(rule: SigmaRule, result: TuneResult, telemetryEvents: number): string {
  const ref = rule.id ?? rule.name;
  if (ref === undefined) throw new Error('sigil tune: a filter document needs the rule id or name');
  const doc = new Document();
  const logsource: Record<string, string> = {};
  for (const k of ['category', 'product', 'service'] as const) {
    const v = rule.logsource[k];
    if (v !== undefined) logsource[k] = v;
  }
  const filter = doc.createNode({ rules: [ref] }) as YAMLMap;
  for (const p of result.proposals) {
    const [k, v] = identifierNode(doc, p, result);
    filter.items.push(doc.createPair(k, v));
  }
  const parts = exclusions([], result.proposals).map((x) => x.replace(/^not /, ''));
  filter.items.push(doc.createPair('condition', parts.join(' or ')));
  doc.contents = doc.createNode({
    title: `Tuning of ${rule.title ?? ref}`,
    id: filterId(rule, result),
    description: `Proposed by sigil tune from ${telemetryEvents} events: removes ${result.examined - result.remaining} of ${result.examined} hits.`,
    logsource,
  }) as YAMLMap;
  (doc.contents as YAMLMap).items.push(doc.createPair('filter', filter));
  return formatted(doc.toString(), 'a filter document');
}

/**
 * Checks that a tuned text means what the proposals say: on every event given, the tuned rule
 * (or the rule with the filter document applied) matches exactly when the rule matches and no
 * proposal does. Throws on a difference (a Sigil bug, never a silently different rule).
 */
export function verifyTuned(
  rule: SigmaRule,
  result: TuneResult,
  events: readonly EventObject[],
  text: string,
  as: 'rule' | 'filter',
): void {
  const docs = parse(text, { file: '<tuned>' }).documents;
  let tuned: SigmaRule | undefined;
  if (as === 'rule') {
    const d = docs[0]?.document;
    if (d?.kind === 'rule') tuned = d;
  } else {
    const f = docs[0]?.document;
    if (f?.kind === 'filter') {
      const applied = applyFilters(rule, [f]);
      if (applied.applied.length === 1) tuned = applied.rule;
    }
  }
  if (!tuned) throw new Error(`sigil tune: the tuned ${as} does not parse back`);
  const before = compileRule(rule);
  const after = compileRule(tuned);
  const tests = result.proposals.map((p) => filterTest(p.field, p.modifier, p.value));
  for (const e of events) {
    const ev = toView(e);
    const want = before.matches(ev) && !tests.some((t) => t(ev));
    if (after.matches(ev) !== want)
      throw new Error(`sigil tune: the tuned ${as} of '${rule.title ?? rule.id}' does not mean what was proposed`);
  }
}
