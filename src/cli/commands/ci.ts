/** `sigil ci`: a rules repository's pull-request check (docs/ci.md). */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { resolveConfig, type RawConfig } from '../../lint/config.js';
import { atLeast } from '../../lint/engine.js';
import { toGithub, toSarif } from '../../lint/output.js';
import { loadPipelineSpec, type PipelineSpec } from '../../pipelines/index.js';
import { junitXml } from './test.js';
import { err, out, UsageError, writeFileAtomic } from '../io.js';
import { loadRules } from '../load.js';
import { sigilVersion } from '../version.js';
import { ciSpec, type CiArgs as Args } from '../specs/ci.js';
import { findConfig } from '../config-file.js';
import { resolveCiConfig } from '../ci/config.js';
import { changedFiles, gitRoot, isCommit, showFile, type FileChange } from '../ci/git.js';
import { buildIndex, relTo, selectFiles, type Selected } from '../ci/select.js';
import { evaluateSide, outputKey, type Output, type Side } from '../ci/side.js';
import { pairDocuments, renderReport, type CiEntry, type CiRun, type CiTotals } from '../ci/report.js';

const esc = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string): string => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function writeOutput(file: string, text: string, what: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export const ciCommand: CommandModule<object, Args> = {
  ...ciSpec,
  handler: async (argv) => {
    if (argv.base !== undefined && argv.all) throw new UsageError('--base and --all exclude each other');
    const configFile = argv.config ? path.resolve(argv.config) : findConfig(process.cwd());
    let raw: Record<string, unknown> = {};
    if (configFile) {
      const YAML = (await import('yaml')).default;
      try {
        raw = (YAML.parse(fs.readFileSync(configFile, 'utf8')) ?? {}) as Record<string, unknown>;
      } catch (e) {
        throw new UsageError(`cannot read configuration ${configFile}: ${(e as Error).message}`);
      }
      if (typeof raw !== 'object' || Array.isArray(raw))
        throw new UsageError(`configuration ${configFile}: the configuration must be a mapping`);
    }
    const lintConfig = resolveConfig(raw as RawConfig);
    const configRoot = configFile ? path.dirname(configFile) : process.cwd();
    const ci = resolveCiConfig(raw['ci'], configRoot);
    const problems = [...lintConfig.problems, ...ci.problems];
    if (problems.length)
      throw new UsageError(`configuration${configFile ? ' ' + configFile : ''}: ${problems.join('; ')}`);
    const config = ci.config;

    // The repository: git's root when there is one, else the configuration's folder.
    const git = gitRoot(configRoot);
    if (argv.base !== undefined && !git)
      throw new UsageError(`--base needs a git repository (${configRoot} is not in one, or git is not installed)`);
    if (argv.base !== undefined && !isCommit(git!, argv.base))
      throw new UsageError(`--base ${argv.base} is not a commit of the repository`);
    const root = git ?? configRoot;
    const base = argv.base;

    const index = buildIndex(root, config.rules);
    const pipelineRels = new Set(
      config.targets.flatMap((t) => (t.pipelines ?? []).filter((p) => path.isAbsolute(p)).map((p) => relTo(root, p))),
    );
    const baseCache = new Map<string, string | undefined>();
    const baseText = (rel: string): string | undefined => {
      if (!baseCache.has(rel)) baseCache.set(rel, base ? showFile(root, base, rel)?.toString('utf8') : undefined);
      return baseCache.get(rel);
    };
    const headText = (rel: string): string | undefined => {
      if (index.text.has(rel)) return index.text.get(rel);
      try {
        return fs.readFileSync(path.join(root, rel), 'utf8');
      } catch {
        return undefined;
      }
    };

    let selected: Map<string, Selected>;
    let scope: string;
    let changes: FileChange[] = [];
    if (base !== undefined) {
      changes = changedFiles(root, base);
      const spec = (text: string | undefined, rel: string): PipelineSpec | undefined =>
        text === undefined ? undefined : loadPipelineSpec(text, rel).spec;
      selected = selectFiles({
        root,
        ruleFolders: config.rules,
        testsFolders: config.tests,
        index,
        changes,
        baseText,
        ...(configFile ? { configRel: relTo(root, configFile) } : {}),
        pipelineRels,
        pipelineSpecs: (rel) => {
          const head = spec(headText(rel), rel);
          const b = spec(baseText(rel), rel);
          return { ...(head ? { head } : {}), ...(b ? { base: b } : {}) };
        },
        parseAll: () =>
          loadRules(
            config.rules.filter((f) => fs.existsSync(f)),
            { schema: false, resolve: false },
          ).results,
      });
      scope = `Base ${base} → working tree: ${changes.length} changed file${changes.length === 1 ? '' : 's'}`;
    } else {
      const reason = argv.all
        ? 'every rule file (--all)'
        : git
          ? 'every rule file (no --base)'
          : 'every rule file (not a git repository)';
      selected = new Map(
        index.files.map((rel) => [rel, { rel, status: 'unchanged', reasons: [reason], contextOnly: false }]),
      );
      scope = `Checked ${reason}`;
    }

    const checked = [...selected.values()]
      .filter((s) => !s.contextOnly)
      .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    // Filters and the other rules of correlations are read for conversion, on both sides.
    const filterFiles = new Set(index.referencing.filter((r) => r.doc.kind === 'filter').map((r) => r.rel));
    for (const c of changes)
      if (c.status === 'deleted' && /^filter:/m.test(baseText(c.path) ?? '')) filterFiles.add(c.path);
    const context = [
      ...new Set([...filterFiles, ...[...selected.values()].filter((s) => s.contextOnly).map((s) => s.rel)]),
    ];

    const head = evaluateSide({
      read: headText,
      checked: checked.filter((s) => s.status !== 'deleted').map((s) => s.rel),
      context,
      targets: config.targets,
      root,
      lint: lintConfig.config,
      onDisk: root,
    });
    let baseSide: Side | undefined;
    if (base !== undefined) {
      baseSide = evaluateSide({
        read: baseText,
        checked: checked.filter((s) => s.baseRel !== undefined).map((s) => s.baseRel!),
        context,
        targets: config.targets,
        root,
        lint: lintConfig.config,
      });
    }

    const entries: CiEntry[] = checked.map((s) => {
      const before = s.baseRel !== undefined ? baseSide?.files.get(s.baseRel) : undefined;
      const after = head.files.get(s.rel);
      return { selected: s, ...(before ? { before } : {}), ...(after ? { after } : {}) };
    });
    const outputKeys = config.targets.flatMap((t) => t.formats.map((f) => outputKey(t, f)));

    // Totals and what fails the check.
    const totals: CiTotals = {
      files: entries.length,
      byStatus: { added: 0, modified: 0, renamed: 0, deleted: 0, unchanged: 0 },
      errors: 0,
      warnings: 0,
      infos: 0,
      testsPassed: head.tests.filter((o) => o.passed).length,
      testsFailed: head.tests.filter((o) => !o.passed).length,
      testProblems: head.testProblems.length,
      outputsChanged: 0,
      conversionFailures: 0,
      newConversionFailures: 0,
    };
    const annotations: string[] = [];
    const show = (o: Output | undefined): string | undefined =>
      o ? ('text' in o ? o.text : `error ${o.error}`) : undefined;
    let lintFails = false;
    for (const e of entries) {
      totals.byStatus[e.selected.status] = (totals.byStatus[e.selected.status] ?? 0) + 1;
      const findings = [...(e.after?.findings ?? []), ...(e.after?.documents.flatMap((d) => d.findings) ?? [])];
      for (const f of findings) {
        if (f.severity === 'error') totals.errors++;
        else if (f.severity === 'warning') totals.warnings++;
        else totals.infos++;
        // A file that cannot be parsed fails whatever fail-on says: nothing in it was checked.
        if (
          (config.failOn !== 'never' && atLeast(f.severity, config.failOn)) ||
          (f.name === 'parse' && f.severity === 'error')
        )
          lintFails = true;
      }
      for (const [before, after] of pairDocuments(e.before, e.after)) {
        for (const key of outputKeys) {
          const a = before?.outputs.get(key);
          const b = after?.outputs.get(key);
          if ((a || b) && show(a) !== show(b)) totals.outputsChanged++;
          if (b && 'error' in b) {
            totals.conversionFailures++;
            // Not expressible now but expressible before (or a new rule): a regression.
            if (!a || 'text' in a) {
              totals.newConversionFailures++;
              annotations.push(
                `::error file=${prop(e.selected.rel)},line=1,title=${prop(`not expressible for ${key}`)}::${esc(`${after!.title ?? after!.id ?? 'rule'}: ${b.error}`)}\n`,
              );
            }
          }
        }
      }
    }
    for (const o of head.tests)
      if (!o.passed)
        annotations.push(
          `::error file=${prop(o.source)},line=${o.line},title=${prop(`rule test failed: ${o.name}`)}::${esc(`${o.title}: ${o.reason}`)}\n`,
        );
    const failed =
      lintFails ||
      totals.testsFailed > 0 ||
      totals.testProblems > 0 ||
      totals.newConversionFailures > 0 ||
      head.pipelineProblems.length > 0;
    const run: CiRun = {
      scope,
      ...(base !== undefined ? { base } : {}),
      entries,
      head,
      ...(baseSide ? { baseSide } : {}),
      totals,
      failed,
      outputKeys,
      pipelineProblems: head.pipelineProblems,
    };

    if (argv.annotations) out(toGithub(head.lint) + annotations.join(''));
    if (argv.sarif) writeOutput(argv.sarif, toSarif(head.lint, sigilVersion()), 'the SARIF file');
    if (argv.junit) writeOutput(argv.junit, junitXml(head.tests), 'the JUnit file');
    if (argv.summary) {
      try {
        // Appended: GitHub's job summary file collects every step's report.
        fs.appendFileSync(argv.summary, renderReport(run));
      } catch (e) {
        throw new UsageError(
          `cannot write the summary ${argv.summary}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
    err(
      `sigil ci: ${entries.length} rule files checked; lint ${totals.errors} errors, ${totals.warnings} warnings; tests ${totals.testsPassed} passed, ${totals.testsFailed} failed; ${totals.outputsChanged} outputs changed, not expressible ${totals.conversionFailures} (${totals.newConversionFailures} new) — ${failed ? 'failed' : 'passed'}\n`,
    );
    process.exitCode = failed ? 1 : 0;
  },
};
