/**
 * A detection (of a rule, or the `filter` of a filter document): its search identifiers and
 * their bodies, and its condition(s) with the P012 check for unused identifiers.
 */
import { foldCondition, type ConditionFold } from '../../ast/fold.js';
import type { Detection, DetectionNode, Loc } from '../../ast/types.js';
import { truncate } from '../../util/text.js';
import { parseCondition } from '../condition/index.js';
import type { YMap, YNode, YScalar } from '../yaml-tree.js';
import { describe, keyText, locOf, report, type BuildContext } from './context.js';
import { readMatch } from './match.js';

/** Builds a detection from a mapping of search identifiers plus `condition`. */
export function readDetection(ctx: BuildContext, node: YNode | undefined, owner: YMap, section: string): Detection {
  const empty: Detection = { identifiers: [], conditions: [], conditionText: [] };
  if (!node) {
    report(
      ctx,
      'P007',
      `The document has no '${section}'.`,
      owner,
      `Add a '${section}' with at least one search identifier and a 'condition'.`,
    );
    return empty;
  }
  if (node.kind !== 'map') {
    report(
      ctx,
      'P006',
      `'${section}' must be a mapping of search identifiers and a condition, not ${describe(node)}.`,
      node,
      'Write:\ndetection:\n    selection:\n        Field: value\n    condition: selection',
    );
    return empty;
  }
  const det: Detection = { ...empty, loc: locOf(ctx, node) };
  // Identifiers whose body was reported as invalid: the condition may still name them
  // without a second, misleading "not defined" diagnostic.
  const invalid: string[] = [];
  let conditionNode: YNode | undefined;
  for (const { key, value } of node.entries) {
    const name = keyText(key);
    if (name === null) {
      report(ctx, 'P006', 'Search identifiers must be plain names.', key);
      continue;
    }
    if (name === 'condition') {
      conditionNode = value;
      continue;
    }
    if (name === 'timeframe') {
      det.timeframe = value.kind === 'scalar' ? value.text : undefined;
      report(
        ctx,
        'P035',
        "'timeframe' in a detection is a Sigma 1 construct.",
        key,
        'Express time windows with a correlation rule (timespan).',
        'warning',
      );
      continue;
    }
    if (name.includes('|')) {
      report(
        ctx,
        'P017',
        `Search identifier '${truncate(name)}' contains '|': modifiers on an identifier are ignored.`,
        key,
        `Put the modifier on the field inside the selection (e.g. 'Image|endswith:'), and name the identifier '${truncate(name.split('|')[0]!)}'.`,
        'warning',
      );
    } else if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      report(
        ctx,
        'P017',
        `Search identifier '${truncate(name)}' has characters a condition cannot name.`,
        key,
        'Use letters, digits and underscores (e.g. selection_img).',
        'warning',
      );
    }
    const body = readIdentifierBody(ctx, value, name);
    if (body) det.identifiers.push({ name, node: body, loc: locOf(ctx, key) });
    else invalid.push(name);
  }
  if (!conditionNode) {
    report(
      ctx,
      'P010',
      `'${section}' has no 'condition'.`,
      node,
      `Add e.g. 'condition: ${det.identifiers[0]?.name ?? 'selection'}'.`,
    );
    return det;
  }
  const texts: { text: string; node: YScalar }[] = [];
  if (conditionNode.kind === 'scalar' && conditionNode.value !== null)
    texts.push({ text: conditionNode.text, node: conditionNode });
  else if (conditionNode.kind === 'seq') {
    for (const item of conditionNode.items) {
      if (item.kind === 'scalar' && item.value !== null) texts.push({ text: item.text, node: item });
      else report(ctx, 'P006', 'Each condition of a condition list must be a string.', item);
    }
    if (conditionNode.items.length === 0)
      report(ctx, 'P010', 'The condition list is empty.', conditionNode, 'Add a condition such as "selection".');
  } else
    report(
      ctx,
      'P006',
      `'condition' must be a string or a list of strings, not ${describe(conditionNode)}.`,
      conditionNode,
      "Write 'condition: selection and not filter'.",
    );

  const names = [...det.identifiers.map((i) => i.name), ...invalid];
  const used = new Set<string>();
  for (const { text, node: scalar } of texts) {
    const position = conditionPositionMapper(ctx, scalar);
    const res = parseCondition(text, names, position);
    ctx.diagnostics.push(...res.diagnostics);
    det.conditionText.push(text);
    if (res.condition) {
      det.conditions.push(res.condition);
      for (const name of foldCondition(res.condition, USED_NAMES)) used.add(name);
    }
  }
  if (texts.length > 0 && det.conditions.length === texts.length) {
    for (const id of det.identifiers) {
      if (!used.has(id.name)) {
        report(
          ctx,
          'P012',
          `Search identifier '${id.name}' is never used in the condition.`,
          id.loc,
          `Use it in the condition or remove it (condition: ${det.conditionText[0] ?? ''}).`,
        );
      }
    }
  }
  return det;
}

/** The search identifiers a condition uses: its references and the names its `of`s matched. */
const USED_NAMES: ConditionFold<readonly string[]> = {
  and: (items) => items.flat(),
  or: (items) => items.flat(),
  not: (item) => item,
  ref: (node) => [node.name],
  of: (node) => node.names,
};

/** Maps a character index of a condition string to its file position (exact for single-line scalars). */
function conditionPositionMapper(ctx: BuildContext, scalar: YScalar): (index: number) => Loc {
  const quote = scalar.style === 2 || scalar.style === 3 ? 1 : 0;
  const contentStart = scalar.start + quote;
  const exact = ctx.text.slice(contentStart, contentStart + scalar.text.length) === scalar.text;
  // Folded, block or escaped scalars do not map character for character: point at where their text starts.
  let first = scalar.start;
  while (!exact && (ctx.text[first] === ' ' || ctx.text[first] === '\t')) first++;
  return (index: number) =>
    ctx.lines.loc(exact ? contentStart + Math.max(0, Math.min(index, scalar.text.length)) : first);
}

function readIdentifierBody(ctx: BuildContext, node: YNode, name: string): DetectionNode | undefined {
  if (node.kind === 'map') {
    if (node.entries.length === 0) {
      report(ctx, 'P016', `Search identifier '${name}' is empty.`, node, 'Add at least one field: value pair.');
      return undefined;
    }
    return readMap(ctx, node);
  }
  if (node.kind === 'seq') {
    if (node.items.length === 0) {
      report(
        ctx,
        'P016',
        `Search identifier '${name}' is an empty list.`,
        node,
        'Add values or field maps, or remove the identifier.',
      );
      return undefined;
    }
    const allScalars = node.items.every((i) => i.kind === 'scalar');
    if (allScalars) return readMatch(ctx, null, [], node, node);
    const items: DetectionNode[] = [];
    for (const item of node.items) {
      if (item.kind === 'map') {
        if (item.entries.length === 0)
          report(
            ctx,
            'P016',
            `An entry of '${name}' is an empty mapping.`,
            item,
            'Remove it or add field: value pairs.',
          );
        else items.push(readMap(ctx, item));
      } else if (item.kind === 'scalar') {
        const m = readMatch(ctx, null, [], item, item);
        if (m) items.push(m);
      } else
        report(
          ctx,
          'P017',
          `A list inside the list of '${name}' is not valid Sigma.`,
          item,
          'Flatten the list, or use a list of maps.',
        );
    }
    return { type: 'anyOf', items, loc: locOf(ctx, node) };
  }
  if (node.value === null) {
    report(
      ctx,
      'P016',
      `Search identifier '${name}' has no value.`,
      node,
      'Give it a map of field: value pairs, or a list of keywords.',
    );
    return undefined;
  }
  return readMatch(ctx, null, [], node, node);
}

function readMap(ctx: BuildContext, node: YMap): DetectionNode {
  const items: DetectionNode[] = [];
  for (const { key, value } of node.entries) {
    const k = keyText(key);
    if (k === null) {
      report(ctx, 'P017', 'Field names must be plain strings.', key);
      continue;
    }
    if (k === '<<') {
      report(
        ctx,
        'P017',
        "YAML merge keys ('<<') are not part of Sigma's YAML.",
        key,
        'Write the fields out in the selection.',
      );
      continue;
    }
    const pieces = k.split('|');
    const field = pieces[0]!;
    const m = readMatch(ctx, field === '' ? null : field, pieces.slice(1), value, key);
    if (m) items.push(m);
  }
  return { type: 'allOf', items, loc: locOf(ctx, node) };
}
