/**
 * SPL output formats: the plain search, savedsearches.conf stanzas (scheduled correlation
 * searches for Enterprise Security: action.correlationsearch.*, action.notable.*, action.risk.*
 * with ATT&CK annotations), and Splunk ESCU detection YAML.
 */
import { Document } from 'yaml';
import type { CorrelationRule, SigmaRule } from '../../ast/types.js';
import { conversionError } from '../diagnostics.js';
import { oneLine } from '../../util/inert-text.js';
import type { BackendOptions, ConversionSuccess, OutputFormat } from '../types.js';

const LEVEL_SEVERITY: Record<string, string> = {
  informational: 'informational',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};
const LEVEL_RISK: Record<string, number> = { informational: 10, low: 25, medium: 50, high: 75, critical: 100 };

/** ATT&CK tags (`attack.t1059.001`, `attack.execution`) → technique ids and tactic names. */
function attackAnnotations(tags: readonly string[] = []): { techniques: string[]; tactics: string[] } {
  const techniques: string[] = [];
  const tactics: string[] = [];
  for (const t of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t);
    if (m) techniques.push(m[1]!.toUpperCase());
    else if (/^attack\.[a-z][a-z-_]+$/i.test(t) && !/^attack\.(g|s)\d{4}$/i.test(t))
      tactics.push(t.slice(7).replace(/_/g, '-'));
  }
  return { techniques: [...new Set(techniques)], tactics: [...new Set(tactics)] };
}

/** Line breaks as a .conf reader or an editor sees them. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/;

/** No trailing backslash (nor white space before one): it would continue the line into the next setting. */
const withoutContinuation = (line: string): string => line.replace(/[\s\\]+$/, '');

/** One line of a .conf file from rule text: control characters escaped (src/util/inert-text.ts), no continuation. */
function confLine(text: string): string {
  return withoutContinuation(oneLine(text));
}

/**
 * A .conf value from rule text (a description): each line break becomes a continuation
 * (` \` at the line's end), so a line of the text can never start a stanza or a setting. Only
 * the last line can end the value, so only it loses a trailing backslash.
 */
function confText(text: string): string {
  const lines = text.split(LINE_BREAK).map(oneLine);
  lines[lines.length - 1] = withoutContinuation(lines[lines.length - 1]!);
  return lines.join(' \\\n');
}

/** The search as a .conf value: its lines joined by continuations (`check` refuses other breaks). */
function confSearch(query: string): string {
  return query.replace(/\n/g, ' \\\n');
}

function stanzaName(rule: SigmaRule | CorrelationRule): string {
  // `[` `]` end a stanza name; keep the title readable otherwise.
  return confLine((rule.title ?? rule.id ?? 'Sigma rule').replace(/[[\]]/g, '').trim());
}

const opt = (options: BackendOptions, name: string, fallback: string): string => {
  const v = options[name] ?? options[name.replace(/_/g, '-')];
  return confLine(v === undefined ? fallback : String(v));
};

export const plainFormat: OutputFormat = {
  name: 'query',
  description: 'the SPL search text',
  render: (result) => ({ text: result.queries.join('\n') + '\n', extension: '.spl' }),
};

export const savedSearchesFormat: OutputFormat = {
  name: 'savedsearches',
  description:
    'a savedsearches.conf stanza (scheduled Enterprise Security correlation search with notable and risk actions)',
  options: {
    cron_schedule: "cron_schedule of the search (default '*/10 * * * *')",
    earliest_time: "dispatch.earliest_time (default '-10m@m')",
    latest_time: "dispatch.latest_time (default 'now')",
    security_domain: "action.notable.param.security_domain (default 'threat')",
    risk_object: "action.risk.param._risk_object (default 'dest')",
    risk_object_type: "action.risk.param._risk_object_type (default 'system')",
  },
  // The query is code: what a .conf value cannot carry exactly is refused, not altered.
  check: (result) => {
    const search = result.queries.join('\n');
    if (/[\r\u0085\u2028\u2029]/.test(search))
      return conversionError(
        'C015',
        'the search holds a line break other than \\n, which savedsearches.conf cannot carry',
      );
    if (search.endsWith('\\'))
      return conversionError(
        'C015',
        'the search ends in a backslash, which savedsearches.conf reads as a line continuation',
      );
    return undefined;
  },
  render: (result: ConversionSuccess, rule, options) => {
    const level = rule.level ?? 'medium';
    const { techniques } = attackAnnotations(rule.tags);
    const annotations = JSON.stringify({ mitre_attack: techniques });
    const title = stanzaName(rule);
    const description = (rule.description ?? '').trim();
    const lines: string[] = [
      ...(rule.id ? [`# Sigma rule ${confLine(rule.id)}`] : []),
      `[${title}]`,
      `search = ${confSearch(result.queries.join('\n'))}`,
      `description = ${confText(description)}`,
      `cron_schedule = ${opt(options, 'cron_schedule', '*/10 * * * *')}`,
      // A correlation's window may start before the run's 10 minutes: read the timespan more.
      `dispatch.earliest_time = ${opt(options, 'earliest_time', rule.kind === 'correlation' ? `-${10 + Math.ceil(rule.correlation.timespan.seconds / 60)}m@m` : '-10m@m')}`,
      `dispatch.latest_time = ${opt(options, 'latest_time', 'now')}`,
      'enableSched = 1',
      'counttype = number of events',
      'relation = greater than',
      'quantity = 0',
      'alert.track = 1',
      'alert.suppress = 0',
      'action.correlationsearch.enabled = 1',
      `action.correlationsearch.label = ${title}`,
      `action.correlationsearch.annotations = ${annotations}`,
      'action.notable = 1',
      `action.notable.param.rule_title = ${title}`,
      `action.notable.param.rule_description = ${confText(description)}`,
      `action.notable.param.severity = ${LEVEL_SEVERITY[level] ?? 'medium'}`,
      `action.notable.param.security_domain = ${opt(options, 'security_domain', 'threat')}`,
      'action.risk = 1',
      `action.risk.param._risk_score = ${LEVEL_RISK[level] ?? 50}`,
      `action.risk.param._risk_object = ${opt(options, 'risk_object', 'dest')}`,
      `action.risk.param._risk_object_type = ${opt(options, 'risk_object_type', 'system')}`,
      `action.risk.param._risk_message = ${title}`,
    ];
    return { text: lines.join('\n') + '\n', extension: '.conf' };
  },
};

export const escuFormat: OutputFormat = {
  name: 'escu',
  description: 'a Splunk ESCU (security_content) detection YAML',
  render: (result: ConversionSuccess, rule) => {
    const { techniques } = attackAnnotations(rule.tags);
    const level = rule.level ?? 'medium';
    const body = {
      name: rule.title ?? 'Sigma rule',
      id: rule.id ?? '',
      version: 1,
      date: rule.modified ?? rule.date ?? '',
      author: rule.author ?? '',
      status: rule.status === 'stable' ? 'production' : 'experimental',
      type: 'TTP',
      description: (rule.description ?? '').trim(),
      data_source: [] as string[],
      search: result.queries.join('\n'),
      how_to_implement: `Converted from Sigma by Sigil (pipelines: ${String(result.meta['pipelines'] ?? 'splunk-windows')}).`,
      known_false_positives: (rule.falsepositives ?? ['Unknown']).join('; '),
      references: rule.references ?? [],
      tags: {
        analytic_story: [] as string[],
        asset_type: 'Endpoint',
        mitre_attack_id: techniques,
        product: ['Splunk Enterprise', 'Splunk Enterprise Security', 'Splunk Cloud'],
        security_domain: 'endpoint',
        risk_score: LEVEL_RISK[level] ?? 50,
      },
    };
    const doc = new Document(body);
    return { text: doc.toString({ lineWidth: 0 }), extension: '.yml' };
  },
};
