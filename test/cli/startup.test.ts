/**
 * Start-up: each command loads only the code it needs (src/cli/lazy-command.ts, the chunks of
 * scripts/bundle.mjs), and lazily loaded handlers report errors exactly as before.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, REPO_ROOT } from '../helpers/paths.js';
import { BIN, sigil } from '../helpers/cli.js';

const RULE = path.join(
  REPO_ROOT,
  'rules/windows/process_creation/proc_creation_win_wmic_event_subscription_creation.yml',
);

let dir: string;
let hook: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-startup-'));
  // A module hook that logs every file the CLI loads from dist/ (the bundle's entry and chunks,
  // or the compiled modules when the bundle is stale).
  hook = path.join(dir, 'hook.mjs');
  fs.writeFileSync(
    hook,
    `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(`
import fs from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.includes('/dist/')) fs.appendFileSync(process.env.SIGIL_LOAD_LOG, url + '\\n');
  return next(url, context);
}`)}));
`,
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * What a command loaded, as the source paths the bundler notes in each chunk
 * (`// node_modules/chevrotain/…`, `// dist/lint/…`) plus the loaded file names themselves.
 */
function loaded(args: string[], env: Record<string, string> = { SIGIL_NO_WORKERS: '1' }): string {
  const log = path.join(dir, `load-${Math.random().toString(36).slice(2)}.log`);
  const r = spawnSync(process.execPath, ['--import', hook, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SIGIL_LOAD_LOG: log, ...env },
  });
  expect(r.status, r.stderr).not.toBe(null);
  const files = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((u) => new URL(u).pathname);
  return files
    .map(
      (f) =>
        f +
        '\n' +
        (f.endsWith('.mjs')
          ? (fs
              .readFileSync(f, 'utf8')
              .match(/^\/\/ .*$/gm)
              ?.join('\n') ?? '')
          : ''),
    )
    .join('\n');
}

const HEAVY = {
  parser: /node_modules\/chevrotain\//,
  attackData: /data\/attack\//,
  noiseIndex: /noise-index/,
  lint: /dist\/lint\//,
  backends: /dist\/backends\//,
  regexEngine: /node_modules\/re2js\//,
  yamlPackage: /node_modules\/yaml\//,
};

describe('commands load only what they need', () => {
  it('--version loads neither the parser, the backends, the linter nor their data', () => {
    const what = loaded(['--version']);
    for (const [name, marker] of Object.entries(HEAVY)) expect(marker.test(what), name).toBe(false);
  });

  it('parse loads the parser but not the linter, its data, the backends or the regex engine', () => {
    const what = loaded(['parse', RULE]);
    expect(HEAVY.parser.test(what)).toBe(true);
    for (const name of ['attackData', 'noiseIndex', 'lint', 'backends', 'regexEngine'] as const)
      expect(HEAVY[name].test(what), name).toBe(false);
  });

  it('convert loads the backends but not the linter or its data', () => {
    const what = loaded(['convert', RULE]);
    expect(HEAVY.backends.test(what)).toBe(true);
    for (const name of ['attackData', 'noiseIndex', 'lint'] as const) expect(HEAVY[name].test(what), name).toBe(false);
  });

  it('lint loads the linter and its data, but not the evaluator without --baseline', () => {
    const what = loaded(['lint', RULE]);
    for (const name of ['lint', 'attackData', 'noiseIndex'] as const) expect(HEAVY[name].test(what), name).toBe(true);
    expect(/dist\/eval\/(engine|compile)/.test(what)).toBe(false);
  });
});

describe('the parse pool finds its worker script', () => {
  it('a run over enough files starts a worker from the same build (bundle chunk or compiled module)', () => {
    // SIGIL_WORKERS forces one: by default a 2-core machine runs single-threaded (parse-pool.ts).
    const what = loaded(['parse', path.join(CORPUS, 'rules'), '-q'], { SIGIL_WORKERS: '1' });
    expect(what).toMatch(/\/dist\/(parse-worker\.mjs|cli\/parse-worker\.js)\n/);
  });
});

describe('errors of lazily loaded handlers print as before', () => {
  it('a usage error in a command handler prints the message alone and exits 2', () => {
    expect(sigil(['lint'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'sigil: name rule files or directories to lint\n',
    });
    expect(sigil(['parse', '/no/such/rule.yml'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'sigil: no such file or directory: /no/such/rule.yml\n',
    });
    expect(sigil(['lint', '--explain', 'Z999'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "sigil: unknown check 'Z999' (see sigil lint --list-checks)\n",
    });
    expect(sigil(['convert', RULE, '-t', 'nope']).stderr).toBe(
      "sigil: unknown target 'nope' (known: kql, splunk, sigma)\n",
    );
  });

  it("hunt's errors keep going through yargs, which adds the usage hint", () => {
    expect(sigil(['hunt', '-r', '/no/such/rules'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "sigil: no such file or directory: /no/such/rules\nRun 'sigil --help' for usage.\n",
    });
  });

  it('yargs validation errors are unchanged', () => {
    const r = sigil(['list', 'nothing']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^sigil: Invalid values:[\s\S]*Run 'sigil --help' for usage\.\n$/);
  });
});

describe('the package ships the bundle with its chunks', () => {
  it('every chunk the bundle imports exists under dist/ and package.json "files" includes dist', () => {
    const bundle = path.join(REPO_ROOT, 'dist/sigil.mjs');
    if (!fs.existsSync(bundle)) return expect.fail('dist/sigil.mjs is missing: run npm run build');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('dist');
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.\.?\/[^"]+\.mjs)"/g)) {
        const target = path.resolve(path.dirname(file), m[1]!);
        expect(fs.existsSync(target), `${path.relative(REPO_ROOT, file)} imports ${m[1]}`).toBe(true);
        visit(target);
      }
    };
    visit(bundle);
    visit(path.join(REPO_ROOT, 'dist/parse-worker.mjs'));
    // The entry, the worker and the chunks every command needs.
    expect(seen.size).toBeGreaterThan(5);
  });
});
