/**
 * `sigil coverage --technique T…`: the authoring guide for one ATT&CK technique — rules tagged
 * with it (by source), the fields they filter on, the top indicator values with how many rules
 * of the technique use each and their corpus reach, and the technique's ATT&CK/D3FEND data.
 */
import type { SigmaDocument } from '../ast/types.js';
import { BUILTIN_ATTACK, type AttackData } from './attack.js';
import { BUILTIN_CATALOG, type NoiseCatalog } from './noise/catalog.js';
import { documentIndicators, indicatorKey } from './noise/indicators.js';

export interface CoverageInput {
  document: SigmaDocument;
  file?: string;
}

export interface CoverageReport {
  technique: {
    id: string;
    name: string | null;
    tactics: string[];
    revoked: boolean;
    replacedBy: string | null;
    d3fend: string[][];
    defenses: { id: string; name: string }[];
    attackVersion: string;
  };
  rules: {
    source: string;
    rules: {
      file: string | null;
      id: string | null;
      title: string | null;
      level: string | null;
      status: string | null;
    }[];
  }[];
  total: number;
  fields: { field: string; rules: number; operators: Record<string, number> }[];
  values: { field: string; op: string; value: string; rules: number; reach: number }[];
}

/** The rule source of a file: the first path segment named rules*, else the parent folder. */
function sourceOf(file: string | undefined): string {
  if (!file) return '<input>';
  const parts = file.replace(/\\/g, '/').split('/');
  const r = parts.find((p) => /^rules/.test(p) || p === 'deprecated' || p === 'unsupported');
  return r ?? parts[parts.length - 2] ?? '.';
}

export function normalizeTechnique(t: string): string | undefined {
  const m = /^(?:attack\.)?(t\d{4}(?:\.\d{3})?)$/i.exec(t.trim());
  return m ? m[1]!.toUpperCase() : undefined;
}

export function coverageReport(
  technique: string,
  inputs: readonly CoverageInput[],
  attack: AttackData = BUILTIN_ATTACK,
  catalog: NoiseCatalog = BUILTIN_CATALOG,
  limit = 20,
): CoverageReport {
  const id = normalizeTechnique(technique) ?? technique.toUpperCase();
  const info = attack.techniques[id];
  const tag = `attack.${id.toLowerCase()}`;
  const matchesTag = (t: string): boolean => {
    const l = t.toLowerCase();
    return l === tag || (!id.includes('.') && l.startsWith(tag + '.'));
  };
  const tagged = inputs.filter((i) => i.document.kind === 'rule' && (i.document.tags ?? []).some(matchesTag));
  const bySource = new Map<string, CoverageReport['rules'][number]['rules']>();
  const fieldStats = new Map<string, { rules: Set<SigmaDocument>; ops: Map<string, number> }>();
  const valueStats = new Map<string, { field: string; op: string; value: string; rules: Set<SigmaDocument> }>();
  for (const i of tagged) {
    const d = i.document;
    const src = sourceOf(i.file);
    const list = bySource.get(src) ?? [];
    list.push({
      file: i.file ?? null,
      id: d.id ?? null,
      title: d.title ?? null,
      level: d.level ?? null,
      status: d.status ?? null,
    });
    bySource.set(src, list);
    for (const ind of documentIndicators(d)) {
      const fs = fieldStats.get(ind.field) ?? { rules: new Set(), ops: new Map() };
      fs.rules.add(d);
      fs.ops.set(ind.op, (fs.ops.get(ind.op) ?? 0) + 1);
      fieldStats.set(ind.field, fs);
      const k = indicatorKey(ind);
      const vs = valueStats.get(k) ?? { field: ind.field, op: ind.op, value: ind.value, rules: new Set() };
      vs.rules.add(d);
      valueStats.set(k, vs);
    }
  }
  const defenses = (info?.defenses ?? []).map((d) => ({ id: d, name: attack.d3fend.techniques[d] ?? d }));
  return {
    technique: {
      id,
      name: info?.name ?? null,
      tactics: info?.tactics ?? [],
      revoked: !!info?.revoked,
      replacedBy: info?.replacedBy ?? null,
      d3fend: info?.d3fend ?? [],
      defenses,
      attackVersion: attack.version,
    },
    rules: [...bySource]
      .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
      .map(([source, rules]) => ({ source, rules })),
    total: tagged.length,
    fields: [...fieldStats]
      .map(([field, s]) => ({
        field,
        rules: s.rules.size,
        operators: Object.fromEntries([...s.ops].sort((a, b) => b[1] - a[1])),
      }))
      .sort((a, b) => b.rules - a.rules || (a.field < b.field ? -1 : 1))
      .slice(0, limit),
    values: [...valueStats.entries()]
      .map(([k, v]) => ({
        field: v.field,
        op: v.op,
        value: v.value,
        rules: v.rules.size,
        reach: catalog.reach[k] ?? (v.rules.size > 0 ? 1 : 0),
      }))
      .sort((a, b) => b.rules - a.rules || b.reach - a.reach || (a.value < b.value ? -1 : 1))
      .slice(0, limit),
  };
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function coverageMarkdown(r: CoverageReport): string {
  const t = r.technique;
  const out: string[] = [];
  out.push(`# ${t.id}${t.name ? ' ' + t.name : ''}`, '');
  if (!t.name) out.push(`${t.id} is not in the ATT&CK ${t.attackVersion} snapshot (newer or mistyped id).`, '');
  if (t.revoked) out.push(`Revoked in ATT&CK ${t.attackVersion}${t.replacedBy ? `: use ${t.replacedBy}` : ''}.`, '');
  out.push(`- Tactics: ${t.tactics.join(', ') || '—'}`);
  if (t.d3fend.length) out.push(`- D3FEND lineage: ${t.d3fend.map((l) => l.join(' → ')).join('; ')}`);
  if (t.defenses.length) out.push(`- D3FEND defenses: ${t.defenses.map((d) => `${d.id} ${d.name}`).join(', ')}`);
  out.push('', `## Rules (${r.total})`, '');
  for (const s of r.rules) {
    out.push(`### ${s.source} (${s.rules.length})`, '');
    for (const x of s.rules)
      out.push(`- ${x.title ?? '(untitled)'} — ${x.level ?? '?'}/${x.status ?? '?'} — \`${x.file ?? ''}\``);
    out.push('');
  }
  out.push('## Fields filtered on', '', '| field | rules | operators |', '| --- | ---: | --- |');
  const name = (f: string): string => (f === '*' ? '(keywords)' : cell(f));
  for (const f of r.fields)
    out.push(
      `| ${name(f.field)} | ${f.rules} | ${Object.entries(f.operators)
        .map(([o, n]) => `${o} ×${n}`)
        .join(', ')} |`,
    );
  out.push(
    '',
    '## Top indicator values',
    '',
    'Reach = rules of the whole catalog using the same (field, operator, value). High reach: likely noisy alone — combine it with a specific indicator.',
    '',
    '| field | op | value | rules here | corpus reach |',
    '| --- | --- | --- | ---: | ---: |',
  );
  for (const v of r.values) out.push(`| ${name(v.field)} | ${v.op} | \`${cell(v.value)}\` | ${v.rules} | ${v.reach} |`);
  return out.join('\n') + '\n';
}
