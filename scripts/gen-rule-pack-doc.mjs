// Writes the table of docs/rule-pack.md that lists each rule of the pack with its indicator, log
// source, level and, per target, whether the target can express it and why not (from
// rules/not-expressible.json, the list the conversion tests hold the pack to).
// Usage: node scripts/gen-rule-pack-doc.mjs [--check]
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';

const root = path.resolve(import.meta.dirname, '..');
const docPath = path.join(root, 'docs/rule-pack.md');
const START = '<!-- rules-table:start (node scripts/gen-rule-pack-doc.mjs) -->';
const END = '<!-- rules-table:end -->';
const TARGETS = [
  ['defender-xdr', 'Defender XDR'],
  ['sentinel', 'Sentinel'],
  ['splunk-windows', 'Splunk'],
];

const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
const notExpressible = JSON.parse(fs.readFileSync(path.join(root, 'rules/not-expressible.json'), 'utf8'));
const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

const rows = walk(path.join(root, 'rules'))
  .filter((f) => f.endsWith('.yml') && !f.endsWith('.tests.yml'))
  .sort()
  .map((file) => {
    const rule = load(fs.readFileSync(file, 'utf8'));
    const name = path.basename(file, '.yml');
    const ls = rule.logsource;
    const source = rule.correlation
      ? `correlation (${rule.correlation.type}) of ${rule.correlation.rules.join(', ')}`
      : (ls.category ?? `service: ${ls.service}`);
    const targets = TARGETS.map(([pipeline]) => {
      const why = notExpressible[pipeline]?.[name];
      return why ? `no: ${cell(why)}` : 'yes';
    });
    const technique = (rule.tags ?? []).filter((t) => /^attack\.t\d/.test(t)).map((t) => t.slice(7).toUpperCase());
    return `| ${cell(rule.title)} (\`${path.relative(path.join(root, 'rules/windows'), file)}\`) | ${source} | ${technique.join(', ')} | ${rule.level} | ${targets.join(' | ')} |`;
  });
const table = [
  START,
  `| Rule (file under rules/windows/) | Log source | Techniques | Level | ${TARGETS.map(([, t]) => t).join(' | ')} |`,
  `|---|---|---|---|${TARGETS.map(() => '---').join('|')}|`,
  ...rows,
  END,
].join('\n');

const doc = fs.readFileSync(docPath, 'utf8');
const a = doc.indexOf(START);
const b = doc.indexOf(END);
if (a < 0 || b < 0) {
  console.error(`docs/rule-pack.md lacks the markers ${START} … ${END}`);
  process.exit(2);
}
const next = doc.slice(0, a) + table + doc.slice(b + END.length);
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error('docs/rule-pack.md is out of date: run node scripts/gen-rule-pack-doc.mjs');
    process.exit(1);
  }
} else fs.writeFileSync(docPath, next);
