/**
 * Pipelines applied to the AST itself, for targets that print Sigma (`-t sigma -p NAME`):
 * field renames, value prefix rewrites, placeholder expansion, dropped fields, routing
 * conditions and added conditions become visible in the rule. Transformations that have no
 * Sigma form (hash / domain splits) are reported as notes and left out.
 */
import type {
  Condition,
  DetectionNode,
  FieldMatch,
  Modifier,
  SearchIdentifier,
  SigmaRule,
  StringPart,
  Value,
} from '../ast/types.js';
import { printCondition } from '../parser/condition-print.js';
import { conversionError, conversionWarning } from '../backends/diagnostics.js';
import type { ConversionError, ConversionWarning, RewrittenRule } from '../backends/types.js';
import type { ConditionMap, PipelineSpec, PrefixReplacement, Scalar } from './types.js';
import { keepsPrefix, prefixReplacements } from './transforms.js';
import { whenHolds } from './match.js';
import { ruleEventIds, selectRoute } from './routes.js';
import { StepError, inScope, renamedField, replacedParts } from './transforms.js';

function conditionMapToNode(map: ConditionMap): DetectionNode {
  const items: FieldMatch[] = Object.entries(map).map(([key, raw]) => {
    const [field, ...mods] = key.split('|');
    const values: Scalar[] = Array.isArray(raw) ? raw : [raw];
    return {
      type: 'match',
      field: field!,
      modifiers: mods as Modifier[],
      values: values.map((v): Value =>
        typeof v === 'number'
          ? { type: 'number', value: v, raw: String(v) }
          : typeof v === 'boolean'
            ? { type: 'boolean', value: v }
            : { type: 'string', parts: v ? [v] : [], raw: v },
      ),
      list: Array.isArray(raw),
    };
  });
  return { type: 'allOf', items };
}

function mapMatches(node: DetectionNode, f: (m: FieldMatch) => DetectionNode | null): DetectionNode | null {
  if (node.type === 'match') return f(node);
  const items = node.items.map((i) => mapMatches(i, f)).filter((x): x is DetectionNode => x !== null);
  return items.length ? { ...node, items } : null;
}

function rewriteStrings(m: FieldMatch, f: (parts: StringPart[]) => StringPart[][]): FieldMatch {
  const values = m.values.flatMap((v): Value[] =>
    v.type === 'string'
      ? f(v.parts).map((parts) => ({
          ...v,
          parts,
          raw: parts
            .map((x) =>
              typeof x === 'string' ? x : 'wildcard' in x ? (x.wildcard === 'multi' ? '*' : '?') : `%${x.placeholder}%`,
            )
            .join(''),
        }))
      : [v],
  );
  return { ...m, values, list: m.list || values.length > 1 };
}

const withText = (v: Extract<Value, { type: 'string' }>, parts: StringPart[]): Value => ({
  ...v,
  parts,
  raw: parts
    .map((x) =>
      typeof x === 'string' ? x : 'wildcard' in x ? (x.wildcard === 'multi' ? '*' : '?') : `%${x.placeholder}%`,
    )
    .join(''),
});

/**
 * `replace_prefix` on a field match, with the semantics of transforms.ts: an anchored value
 * (no contains/endswith, text first) is rewritten (several replacements: one value each); a
 * contains/endswith value stays and, where the replacement changes the prefix, gains the
 * start-anchored rewrite (startswith / equals) as an alternative match.
 */
function replacePrefixInMatch(m: FieldMatch, reps: readonly PrefixReplacement[]): DetectionNode {
  const unanchoredByModifier = m.modifiers.includes('contains') || m.modifiers.includes('endswith');
  const anchoredModifiers = m.modifiers.flatMap((x): Modifier[] =>
    x === 'contains' ? ['startswith'] : x === 'endswith' || x === 'all' ? [] : [x],
  );
  const ownModifiers = m.modifiers.filter((x) => x !== 'all');
  let changed = false;
  const perValue = m.values.map((v): DetectionNode => {
    const one: FieldMatch = { ...m, modifiers: ownModifiers, values: [v], list: false };
    if (v.type !== 'string') return one;
    const [first, second] = v.parts;
    const leadingStar =
      first !== undefined && typeof first !== 'string' && 'wildcard' in first && first.wildcard === 'multi';
    const text = typeof first === 'string' ? first : leadingStar && typeof second === 'string' ? second : undefined;
    if (text === undefined) return one;
    const rest = v.parts.slice(typeof first === 'string' ? 1 : 2);
    const rewritten = (r: PrefixReplacement): Value => withText(v, [r.with + text.slice(r.prefix.length), ...rest]);
    const hits = prefixReplacements(text, reps);
    if (!unanchoredByModifier && !leadingStar) {
      if (!hits.length) return one;
      changed = true;
      const values = hits.map(rewritten);
      return { ...one, values, list: values.length > 1 };
    }
    const changing = hits.filter((r) => !keepsPrefix(r));
    if (!changing.length) return one;
    changed = true;
    const values = changing.map(rewritten);
    const anchored: FieldMatch = {
      ...m,
      modifiers: anchoredModifiers,
      values,
      list: values.length > 1,
    };
    return { type: 'anyOf', items: [one, anchored] };
  });
  if (!changed) return m;
  return perValue.length === 1
    ? perValue[0]!
    : { type: m.modifiers.includes('all') ? 'allOf' : 'anyOf', items: perValue };
}

/** Applies pipelines to the rule's AST. */
export function applyPipelineToRule(rule: SigmaRule, pipelines: readonly PipelineSpec[]): RewrittenRule {
  let identifiers: SearchIdentifier[] = rule.detection.identifiers.map((i) => ({ ...i }));
  const added: DetectionNode[] = [];
  const errors: ConversionError[] = [];
  const notes: ConversionWarning[] = [];
  let table: string | undefined;
  const ls = rule.logsource;
  const usedFields = (): Set<string> => {
    const s = new Set<string>();
    const walk = (n: DetectionNode): void => {
      if (n.type === 'match') {
        if (n.field) s.add(n.field);
      } else n.items.forEach(walk);
    };
    identifiers.forEach((i) => walk(i.node));
    return s;
  };
  /** Fields compared (no modifier) with one of `values`, any case. */
  const comparedWith = (values: readonly string[]): Set<string> => {
    const wanted = new Set(values.map((v) => v.toLowerCase()));
    const s = new Set<string>();
    const walk = (n: DetectionNode): void => {
      if (n.type !== 'match') return n.items.forEach(walk);
      if (
        n.field &&
        n.modifiers.length === 0 &&
        n.values.some((v) => v.type === 'string' && wanted.has(v.raw.toLowerCase()))
      )
        s.add(n.field);
    };
    identifiers.forEach((i) => walk(i.node));
    return s;
  };
  const eachMatch = (f: (m: FieldMatch) => DetectionNode | null): void => {
    identifiers = identifiers.map((i) => ({ ...i, node: mapMatches(i.node, f) ?? { type: 'allOf', items: [] } }));
  };
  const eventIds = ruleEventIds(rule);
  for (const spec of pipelines) {
    if (table === undefined && spec.routes) {
      const route = selectRoute(spec.routes, ls, eventIds);
      if (route) {
        table = route.table;
        if (route.conditions) added.push(conditionMapToNode(route.conditions));
      }
    }
    for (const t of spec.transformations) {
      if (!whenHolds(t.when, ls, table, eventIds)) continue;
      switch (t.type) {
        case 'field_map':
          eachMatch((m) => {
            const target = m.field === null || !Object.hasOwn(t.map, m.field) ? undefined : t.map[m.field];
            if (target === undefined) return m;
            const list = Array.isArray(target) ? target : [target];
            return list.length === 1
              ? { ...m, field: list[0]! }
              : { type: 'anyOf', items: list.map((f) => ({ ...m, field: f })) };
          });
          break;
        case 'field_template': {
          const except = new Set(t.except ?? []);
          eachMatch((m) =>
            m.field === null || except.has(m.field) ? m : { ...m, field: t.template.replace('{field}', m.field) },
          );
          break;
        }
        case 'field_rename':
          eachMatch((m) => {
            if (m.field === null || !inScope(t, m.field)) return m;
            const list = renamedField(t, m.field);
            return list.length === 1
              ? { ...m, field: list[0]! }
              : { type: 'anyOf', items: list.map((f) => ({ ...m, field: f })) };
          });
          break;
        case 'replace_regex':
          eachMatch((m) => {
            if (m.field === null || !inScope(t, m.field)) return m;
            const field = m.field;
            try {
              return rewriteStrings(m, (parts) => [replacedParts(t, parts, field) as StringPart[]]);
            } catch (e) {
              if (!(e instanceof StepError)) throw e;
              errors.push(e.error);
              return m;
            }
          });
          break;
        case 'add_condition':
          added.push(conditionMapToNode(t.conditions));
          break;
        case 'replace_prefix': {
          const fields = new Set(t.fields);
          eachMatch((m) => (m.field !== null && fields.has(m.field) ? replacePrefixInMatch(m, t.replacements) : m));
          break;
        }
        case 'expand_placeholders': {
          const vars = { ...(spec.vars ?? {}), ...(t.vars ?? {}) };
          eachMatch((m) => {
            if (!m.modifiers.includes('expand')) return m;
            const r = rewriteStrings(m, (parts) => {
              let alts: StringPart[][] = [[]];
              for (const p of parts) {
                const values =
                  typeof p !== 'string' && 'placeholder' in p && Object.hasOwn(vars, p.placeholder)
                    ? vars[p.placeholder]
                    : undefined;
                alts = values ? alts.flatMap((a) => values.map((v) => [...a, v])) : alts.map((a) => [...a, p]);
              }
              return alts;
            });
            const stillPlaceholders = r.values.some(
              (v) => v.type === 'string' && v.parts.some((p) => typeof p !== 'string' && 'placeholder' in p),
            );
            return stillPlaceholders ? r : { ...r, modifiers: r.modifiers.filter((x) => x !== 'expand') };
          });
          break;
        }
        case 'drop_fields': {
          const fields = new Set(t.fields);
          eachMatch((m) => (m.field !== null && fields.has(m.field) ? null : m));
          break;
        }
        case 'fail': {
          if (t.eventIdRequired && eventIds === undefined) {
            errors.push(
              conversionError('C004', `${spec.name}: the detection does not restrict EventID: ${t.reason}`, {
                field: 'EventID',
              }),
            );
            break;
          }
          if (t.eventIdRequired && !t.fields && !t.except && !t.keywords) break;
          let keyword = false;
          if (t.keywords)
            eachMatch((m) => {
              if (m.field === null) keyword = true;
              return m;
            });
          const unlisted = t.except ? [...usedFields()].find((f) => !t.except!.includes(f)) : undefined;
          if (keyword) errors.push(conversionError('C004', `${spec.name}: keyword search: ${t.reason}`));
          else if (unlisted !== undefined)
            errors.push(conversionError('C004', `${spec.name}: field ${unlisted}: ${t.reason}`, { field: unlisted }));
          else if ((t.keywords || t.except) && !t.fields) break;
          else if (!t.fields) errors.push(conversionError('C004', `${spec.name}: ${t.reason}`));
          else {
            const used = t.values ? comparedWith(t.values) : usedFields();
            const hit = t.fields.find((f) => used.has(f));
            if (hit) errors.push(conversionError('C004', `${spec.name}: field ${hit}: ${t.reason}`, { field: hit }));
          }
          break;
        }
        case 'split_hashes':
        case 'split_domain_user':
        case 'path_to_name':
          if (usedFields().has(t.field))
            notes.push(
              conversionWarning(
                'C101',
                `${spec.name}: ${t.type} of ${t.field} has no Sigma form; the field is kept as written`,
              ),
            );
          break;
        case 'set_state':
          break;
      }
    }
  }
  let conditions: Condition[] = rule.detection.conditions;
  if (added.length) {
    const taken = new Set(identifiers.map((i) => i.name));
    const refs: Condition[] = added.map((node, k) => {
      let name = `_pipeline${k === 0 ? '' : '_' + (k + 1)}`;
      while (taken.has(name)) name += '_';
      taken.add(name);
      identifiers.push({ name, node });
      return { type: 'ref', name };
    });
    conditions = conditions.map((c): Condition => ({ type: 'and', items: [...refs, c] }));
  }
  const out: SigmaRule = {
    ...rule,
    detection: { ...rule.detection, identifiers, conditions, conditionText: conditions.map(printCondition) },
  };
  const res: RewrittenRule = { rule: out, errors, notes };
  if (table !== undefined) res.table = table;
  return res;
}
