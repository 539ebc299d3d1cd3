/**
 * Rule → SPL: routing prefix (index, source / sourcetype) from the splunk-windows pipeline,
 * tstats over a CIM data model for splunk-cim, or a bare search without a pipeline.
 */
import { someLeaf } from '../../ast/fold.js';
import { predicateFields, type Predicate } from '../../ast/semantics.js';
import { conversionError, conversionWarning } from '../diagnostics.js';
import { presenceFields } from '../presence.js';
import {
  failure,
  type BackendOptions,
  type ConversionResult,
  type ConvertContext,
  type ConversionError,
  type ConversionWarning,
  type ProcessedRule,
} from '../types.js';
import { EncodeError, encodeConjunction, renderQuery, searchExpr, type EncodedQuery } from './encode.js';
import { quoteString, searchField } from './escape.js';
import {
  ANY_CHANNEL,
  ANY_LINUX_MACRO,
  CIM_GROUP_FIELDS,
  MACRO_NAME,
  SOURCE_CONVENTIONS,
  type SourceConvention,
} from './contract.js';

/** A setting from the backend options (`-O name=value`), else the pipeline state, else the default. */
function setting(name: string, options: BackendOptions, stateValue: string | undefined, fallback: string): string {
  const alt = name.replace(/_/g, '-');
  const o = options[name] ?? options[alt];
  if (o !== undefined) return String(o);
  return stateValue ?? fallback;
}

/**
 * Windows categories whose events come from an ETW provider, not from an event log channel
 * (Sysmon does not record them): reported with the provider's name rather than guessed.
 */
const ETW_ONLY_CATEGORIES: Record<string, string> = {
  file_access: 'Microsoft-Windows-Kernel-File',
  file_rename: 'Microsoft-Windows-Kernel-File',
};

/** `source=…` / `sourcetype=…` terms for the route's channel(s). */
function sourceTerms(channels: string[], convention: SourceConvention): string[] {
  const one = (key: string, values: string[]): string =>
    values.length === 1 ? `${key}=${quoteString(values[0]!)}` : `${key} IN (${values.map(quoteString).join(', ')})`;
  switch (convention) {
    case 'classic':
      return [
        one(
          'source',
          channels.map((c) => `WinEventLog:${c}`),
        ),
      ];
    case 'xml':
      return [
        'sourcetype="XmlWinEventLog"',
        one(
          'source',
          channels.map((c) => `XmlWinEventLog:${c}`),
        ),
      ];
    case 'legacy':
      return [
        one(
          'sourcetype',
          channels.map((c) => `WinEventLog:${c}`),
        ),
      ];
  }
}

export interface RuleQuery {
  /** The base search and post-filter commands. */
  encoded: EncodedQuery;
  /** True for a tstats (generating) query, which Splunk requires to start with `|`. */
  generating: boolean;
  text: string;
  tables: string[];
  fields: string[];
  /** The search macros the query uses → their default definitions (empty when the pipeline gives none). */
  macros: Record<string, string>;
  /** Set when the query is not scoped to a log source (the `unscoped` option). */
  unscoped?: ConversionWarning;
}

/** Marks an unscoped query in its text (an SPL comment, Search Manual "Add comments to searches"). */
const UNSCOPED_COMMENT = '```sigil: unscoped, no route for this log source```';

/** Whether the backend option `unscoped` is set (a boolean, or the text true / 1). */
function unscopedAllowed(options: BackendOptions): boolean {
  const v = options['unscoped'];
  return v === true || v === 'true' || v === 1 || v === '1';
}

/**
 * Builds the query of one processed rule, or the per-rule errors that prevent it. `events`: the
 * query must return the matching events themselves (a correlation aggregates them), so a CIM
 * data model is searched with `| datamodel`, never with tstats (which returns counts per field
 * combination).
 */
export function ruleQuery(
  rule: ProcessedRule,
  ctx: ConvertContext,
  { events = false }: { events?: boolean } = {},
): RuleQuery | ConversionError[] {
  const routing = rule.state.splunk_routing;
  const at = rule.rule.logsource.loc ? { loc: rule.rule.logsource.loc } : {};
  const ls = rule.rule.logsource;
  const lsText =
    ['category', 'product', 'service']
      .filter((k) => ls[k as 'category'] !== undefined)
      .map((k) => `${k}: ${ls[k as 'category']}`)
      .join(', ') || 'empty';
  const unknownWindows =
    (routing === 'windows' && rule.table === ANY_CHANNEL && (ls.category !== undefined || ls.service !== undefined)) ||
    (routing === 'macro' && rule.table === ANY_LINUX_MACRO && (ls.category !== undefined || ls.service !== undefined));
  let unscoped: ConversionWarning | undefined;
  const etwProvider = routing === 'windows' && unknownWindows ? ETW_ONLY_CATEGORIES[ls.category ?? ''] : undefined;
  const allowUnscoped = unscopedAllowed(ctx.options) && routing !== 'cim';
  if (etwProvider && !allowUnscoped) {
    return [
      conversionError(
        'C001',
        `${rule.pipelines.join(', ')}: logsource {${lsText}} is recorded by the ${etwProvider} ETW provider, not by an event log channel the Windows add-on collects`,
        {
          ...at,
          hint: `if your deployment forwards these events into an event log channel, route them with a pipeline of your own placed before splunk-windows (-p yours.yml -p splunk-windows; routes: [{logsource: {product: windows, category: ${ls.category}}, table: <channel>}]; see docs/backends/splunk.md)`,
        },
      ),
    ];
  }
  if (routing !== undefined && (rule.table === undefined || unknownWindows)) {
    if (!allowUnscoped)
      return [
        conversionError(
          'C001',
          `${rule.pipelines.join(', ')}: no Splunk ${routing === 'cim' ? 'CIM data model' : routing === 'windows' ? 'event log source' : 'log source route'} for logsource {${lsText}}`,
          {
            ...at,
            hint:
              routing === 'cim'
                ? 'splunk-cim covers process_creation, registry_*, file_event, network_connection, firewall, dns_query/dns, proxy, webserver'
                : routing === 'windows'
                  ? 'add a route for this logsource in a pipeline of your own (routes: [{logsource: …, table: <channel>}])'
                  : 'add a route in a pipeline of your own, placed first: routes: [{logsource: …, table: sigma_<name>}] and a set_state {when: {table: sigma_<name>}, state: {splunk_routing: macro, macro_definition: \'sourcetype="…"\'}} (docs/backends/splunk.md); or --set unscoped=true to search without a scope',
          },
        ),
      ];
    unscoped = {
      ...conversionWarning(
        'C109',
        `logsource {${lsText}} has no route: the query is not scoped to a log source (unscoped=true) and searches every event the user may read`,
        'add a route for this logsource to scope the search (docs/backends/splunk.md)',
      ),
      ...at,
    };
  }
  const fieldSet = predicateFields(rule.predicate);
  for (const f of rule.filters) predicateFields(f, fieldSet);
  const fields = [...fieldSet];
  // Splunk reads a field name with a line break or control character as something else (and a
  // saved search's .conf cannot carry it): refused rather than written differently.
  const unwritable = fields.find((f) => /[\x00-\x1f\x7f\u0085\u2028\u2029]/.test(f));
  if (unwritable !== undefined)
    return [
      conversionError(
        'C003',
        `the field name ${JSON.stringify(unwritable)} holds a control character or line break, which SPL cannot carry`,
        {
          ...at,
          field: unwritable,
        },
      ),
    ];
  try {
    if (routing === 'cim') return cimQuery(rule, fields, events);
    const prefix: string[] = [];
    const index = setting('index', ctx.options, rule.state.index, '');
    if (index) prefix.push(`index=${/^[A-Za-z0-9_*-]+$/.test(index) ? index : quoteString(index)}`);
    let tables: string[] = [];
    const macros: Record<string, string> = {};
    if (unscoped) {
      prefix.unshift(UNSCOPED_COMMENT);
    } else if (routing === 'macro' && rule.table !== undefined) {
      if (!MACRO_NAME.test(rule.table))
        return [
          conversionError(
            'C025',
            `the route's macro name ${JSON.stringify(rule.table)} is not a search macro name (letters, digits, _ and -, starting with a letter or _)`,
            { ...at, hint: 'name the route table like sigma_aws_cloudtrail' },
          ),
        ];
      tables = [rule.table];
      macros[rule.table] = rule.state.macro_definition ?? '';
      prefix.push('`' + rule.table + '`');
    } else if (routing === 'windows' && rule.table !== undefined) {
      // An option may name any convention: checked below.
      const convention = setting(
        'source_convention',
        ctx.options,
        rule.state.source_convention,
        'classic',
      ) as SourceConvention;
      if (!SOURCE_CONVENTIONS.includes(convention))
        return [
          conversionError(
            'C012',
            `unknown source_convention '${convention}' (known: ${SOURCE_CONVENTIONS.join(', ')})`,
          ),
        ];
      tables = rule.table.split('|');
      prefix.push(...sourceTerms(tables, convention));
    } else if (rule.table !== undefined) {
      tables = [rule.table];
    }
    const encoded = encodeConjunction(prefix, [...rule.filters, rule.predicate]);
    return {
      encoded,
      generating: false,
      text: renderQuery(encoded),
      tables,
      fields,
      macros,
      ...(unscoped ? { unscoped } : {}),
    };
  } catch (e) {
    if (e instanceof EncodeError)
      return [conversionError('C003', e.message, { ...at, ...(e.field ? { field: e.field } : {}) })];
    throw e;
  }
}

function cimQuery(rule: ProcessedRule, fields: string[], events: boolean): RuleQuery | ConversionError[] {
  const table = rule.table!;
  const object = table.split('.').slice(1).join('.');
  const errors: ConversionError[] = [];
  const at = rule.rule.detection.loc ? { loc: rule.rule.detection.loc } : {};
  if (hasKeyword(rule.predicate))
    errors.push(conversionError('C009', `tstats over ${table} cannot search the raw event (keywords)`, at));
  for (const f of fields) {
    if (!f.startsWith(object + '.'))
      errors.push(
        conversionError('C002', `field ${f} has no CIM counterpart in ${table}`, {
          ...at,
          field: f,
          hint: 'use the splunk-windows pipeline for this rule, or map the field in a pipeline of your own',
        }),
      );
  }
  if (errors.length) return errors;
  if (events) return datamodelQuery(rule, fields);
  const parts: string[] = [];
  for (const item of [...rule.filters, rule.predicate]) {
    const s = searchExpr(item);
    if (s === null) return datamodelQuery(rule, fields);
    if (s !== '*') parts.push(s);
  }
  const by = [...new Set([...(CIM_GROUP_FIELDS[table] ?? []), ...fields])];
  const where = parts.length ? ` where ${parts.join(' ')}` : '';
  const text = `| tstats summariesonly=false allow_old_summaries=true fillnull_value="null" count min(_time) as firstTime max(_time) as lastTime from datamodel=${table}${where} by ${by.map(searchField).join(' ')}`;
  return { encoded: { search: text, post: [] }, generating: true, text, tables: [table], fields, macros: {} };
}

/**
 * tstats' where clause takes search terms only; a rule that needs a regex or an eval comparison
 * (?, a literal *, cased, re, fieldref) searches the data model with the `datamodel` command
 * (unaccelerated, but exact), whose events carry the same dataset-prefixed field names. A
 * correlation, which aggregates events, always searches this way.
 */
function datamodelQuery(rule: ProcessedRule, fields: string[]): RuleQuery {
  const table = rule.table!;
  const [model, ...rest] = table.split('.');
  const encoded = encodeConjunction([], [...rule.filters, rule.predicate]);
  const head = `| datamodel ${model} ${rest.join('.')} search`;
  const post = encoded.search === '*' ? encoded.post : [`search ${encoded.search}`, ...encoded.post];
  const text = [head, ...post].join(' | ');
  return { encoded: { search: head, post }, generating: true, text, tables: [table], fields, macros: {} };
}

/** Keywords are the string and regex leaves without a field. */
function hasKeyword(p: Predicate): boolean {
  return someLeaf(p, (leaf) => leaf.field === null);
}

export function convertRule(rule: ProcessedRule, ctx: ConvertContext): ConversionResult {
  const q = ruleQuery(rule, ctx);
  if (Array.isArray(q)) return failure(q);
  // Whether an empty value makes a field depends on the extraction: absent and empty may read alike.
  const presence = presenceFields([...rule.filters, rule.predicate]);
  return {
    ok: true,
    queries: [q.text],
    tables: q.tables,
    fields: q.fields,
    warnings: [
      ...(q.unscoped ? [q.unscoped] : []),
      ...(presence.length
        ? [
            conversionWarning(
              'C118',
              `${presence.join(', ')}: whether Splunk tells an absent field from an empty value depends on the add-on's field extraction, so exists, null and '' on ${presence.length > 1 ? 'them' : 'it'} may read both alike`,
              'docs/backends/splunk.md#presence-and-emptiness',
            ),
          ]
        : []),
    ],
    meta: { generating: q.generating, macros: q.macros, routing: rule.state.splunk_routing ?? null },
  };
}
