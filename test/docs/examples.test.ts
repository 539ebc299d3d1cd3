/**
 * The documentation's examples run: every `sigil …` command in the shell blocks of the README,
 * docs/quickstart.md and docs/worked-example.md runs on the shipped rules and examples (exit 0, or 1
 * for rules a target cannot express: never a bad input, a usage error or a crash), and the
 * README's TypeScript library example type-checks (strict) and runs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const DOCS = ['README.md', 'docs/quickstart.md', 'docs/worked-example.md'];

/** The lines of fenced blocks of one language, continuation lines (`\`) joined. */
function blocks(markdown: string, lang: string): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (current === null) {
      if (line.trim() === '```' + lang) current = [];
    } else if (line.trim() === '```') {
      out.push(current);
      current = null;
    } else if (current.length && current[current.length - 1]!.endsWith('\\'))
      current[current.length - 1] = current[current.length - 1]!.slice(0, -1) + ' ' + line.trim();
    else current.push(line);
  }
  return out;
}

/** `sigil …` commands of the shell blocks, `list a|b|c` (notation) written out as three commands. */
function commands(markdown: string): string[] {
  const out: string[] = [];
  for (const block of blocks(markdown, 'sh'))
    for (const line of block) {
      const m = /^(?:npm ci && )?(?:npm run sigil --|sigil) (.*)$/.exec(line.trim());
      if (!m) continue;
      const args = m[1]!.replace(/\s+#.*$/, '');
      const list = /^list ([a-z]+(?:\s*\|\s*[a-z]+)+)$/.exec(args);
      if (list) for (const what of list[1]!.split('|')) out.push(`list ${what.trim()}`);
      else out.push(args);
    }
  return out;
}

let work = '';
beforeAll(() => {
  // Commands write (out/, savedsearches.conf, fmt --write): run them on a copy.
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-docs-'));
  for (const d of ['rules', 'examples']) fs.cpSync(path.join(REPO_ROOT, d), path.join(work, d), { recursive: true });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe.each(DOCS)('%s', (doc) => {
  const text = fs.readFileSync(path.join(REPO_ROOT, doc), 'utf8');
  const cmds = commands(text);

  it('has commands to run', () => {
    expect(cmds.length).toBeGreaterThan(2);
  });

  it.each(cmds)('sigil %s', (args) => {
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(BIN)} ${args}`], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 1 << 28,
    });
    expect(r.stderr, args).not.toMatch(/internal error|\n\s+at |: error [PI]\d{3} /);
    // Exit 1 only for what the pack documents as not expressible (rules/not-expressible.json).
    if (r.status === 1) expect(r.stderr, args).toMatch(/not expressible [1-9]/);
    else expect(r.status, `${args}\n${r.stderr}`).toBe(0);
  });
});

describe('README library example', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const [example] = blocks(readme, 'ts');
  // Inside the package, `import … from 'sigil'` resolves to the package itself (its exports).
  const dir = path.join(REPO_ROOT, 'test', '.docs-examples');
  const file = path.join(dir, 'readme-example.ts');

  beforeAll(() => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, example!.join('\n') + '\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('type-checks under the project’s strict settings', () => {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      skipLibCheck: true,
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diags).toEqual([]);
  });

  it('runs and prints the query, the lint counts and the match', () => {
    const js = ts.transpileModule(example!.join('\n'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    fs.writeFileSync(path.join(dir, 'readme-example.mjs'), js);
    const r = spawnSync(process.execPath, [path.join(dir, 'readme-example.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('DeviceProcessEvents');
    expect(r.stdout).toMatch(/error: 0/);
    expect(r.stdout.trim()).toMatch(/true$/);
    expect(r.status).toBe(0);
  });
});
