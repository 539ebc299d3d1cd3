/**
 * ATT&CK coverage of a whole rule repository: an ATT&CK Navigator layer (layer format 4.5 —
 * techniques scored by the number of rules tagged with them, rule titles as the comment, the
 * highest rule level as the colour) and the gaps — techniques of chosen tactics and platforms
 * no rule is tagged with — from the bundled ATT&CK snapshot. Rule text reaches the layer only
 * as JSON string values (JSON.stringify), so it stays data.
 */
import type { SigmaDocument } from '../ast/types.js';
import platformsData from '../data/attack/platforms.json' with { type: 'json' };
import type { AttackData } from './attack.js';
import { attackTagKind, splitTags } from './tags.js';

/** Layer format and Navigator versions this layer is written for. */
const LAYER_VERSION = '4.5';
const NAVIGATOR_VERSION = '5.1.0';

/** Rule levels, lowest first, and their colours (the layer's legend). */
const LEVEL_COLORS: [string, string][] = [
  ['informational', '#d9d9d9'],
  ['low', '#9ecae1'],
  ['medium', '#fdd835'],
  ['high', '#fb8c00'],
  ['critical', '#e53935'],
];
const LEVEL_RANK = new Map(LEVEL_COLORS.map(([l], i) => [l, i]));

interface LayerTechnique {
  techniqueID: string;
  score: number;
  color: string;
  comment: string;
  enabled: boolean;
  metadata: { name: string; value: string }[];
  showSubtechniques: boolean;
}

export interface NavigatorLayer {
  name: string;
  versions: { attack: string; navigator: string; layer: string };
  domain: 'enterprise-attack';
  description: string;
  sorting: number;
  hideDisabled: boolean;
  techniques: LayerTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  showTacticRowBackground: boolean;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
}

/** Technique id → the rules tagged with it (ids as ATT&CK writes them: T1059.001). */
function rulesByTechnique(docs: readonly SigmaDocument[]): Map<string, SigmaDocument[]> {
  const out = new Map<string, SigmaDocument[]>();
  for (const d of docs) {
    if (d.kind === 'filter') continue;
    const ids = new Set(
      splitTags(d.tags)
        .filter((t) => t.namespace === 'attack' && attackTagKind(t.name) === 'technique')
        .map((t) => t.name.toUpperCase()),
    );
    for (const id of ids) out.set(id, [...(out.get(id) ?? []), d]);
  }
  return out;
}

export function navigatorLayer(docs: readonly SigmaDocument[], attack: AttackData, name: string): NavigatorLayer {
  const byTechnique = rulesByTechnique(docs);
  const techniques: LayerTechnique[] = [...byTechnique.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, rules]) => {
      const top = rules.reduce((best, r) => Math.max(best, LEVEL_RANK.get(r.level ?? '') ?? -1), -1);
      const titles = rules.map((r) => r.title ?? r.id ?? '(untitled)');
      return {
        techniqueID: id,
        score: rules.length,
        color: top >= 0 ? LEVEL_COLORS[top]![1] : '',
        comment: titles.join('\n'),
        enabled: true,
        metadata: rules.map((r) => ({ name: r.level ?? 'rule', value: r.title ?? r.id ?? '(untitled)' })),
        // A technique unknown to the snapshot (newer, or a typo the linter reports) stays in the layer.
        showSubtechniques: false,
      };
    });
  const max = Math.max(1, ...techniques.map((t) => t.score));
  return {
    name,
    // Navigator names ATT&CK releases by major version ("18").
    versions: {
      attack: attack.version.replace(/^v/, '').split('.')[0]!,
      navigator: NAVIGATOR_VERSION,
      layer: LAYER_VERSION,
    },
    domain: 'enterprise-attack',
    description: `Sigma rules per ATT&CK technique (score: number of rules; colour: highest rule level). ${docs.length} rules.`,
    sorting: 3,
    hideDisabled: false,
    techniques,
    gradient: { colors: ['#ffffff', '#66b1ff'], minValue: 0, maxValue: max },
    legendItems: LEVEL_COLORS.map(([label, color]) => ({ label, color })),
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
  };
}

const PLATFORMS = platformsData as Record<string, string[]>;

export interface Gap {
  id: string;
  name: string;
  tactics: string[];
  platforms: string[];
}

/**
 * Active Enterprise techniques of the tactics (shortnames; all when empty) and platforms (any of
 * them, case-insensitive; all when empty) that no rule is tagged with. Each id stands alone: a
 * rule tagged T1059.001 covers T1059.001, not T1059 nor T1059.003.
 */
export function coverageGaps(
  docs: readonly SigmaDocument[],
  attack: AttackData,
  tactics: readonly string[],
  platforms: readonly string[],
): Gap[] {
  const covered = rulesByTechnique(docs);
  const wantPlatforms = platforms.map((p) => p.toLowerCase());
  const gaps: Gap[] = [];
  for (const [id, t] of Object.entries(attack.techniques)) {
    if (t.revoked || t.deprecated || covered.has(id)) continue;
    const techPlatforms = PLATFORMS[id] ?? [];
    if (tactics.length && !t.tactics.some((x) => tactics.includes(x))) continue;
    if (wantPlatforms.length && !techPlatforms.some((p) => wantPlatforms.includes(p.toLowerCase()))) continue;
    gaps.push({ id, name: t.name, tactics: t.tactics, platforms: techPlatforms });
  }
  return gaps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Known platform names (for usage errors). */
export function knownPlatforms(): string[] {
  return [...new Set(Object.values(PLATFORMS).flat())].sort();
}
