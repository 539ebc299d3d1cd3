/**
 * docs/ci.md as written: its shell blocks and files, in document order, make a rules repository,
 * check it and a change to it with `sigil ci` (each command exits 0: a green check); the workflow
 * it shows uses the action's real inputs and outputs; and the action's script (action.yml), run
 * on that repository with `npx` standing for the published package, passes and fills the job
 * summary and outputs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs/ci.md'), 'utf8');

interface Block {
  lang: string;
  lines: string[];
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let current: Block | null = null;
  for (const line of markdown.split('\n')) {
    if (current === null) {
      const m = /^```(\w+)$/.exec(line.trim());
      if (m) current = { lang: m[1]!, lines: [] };
    } else if (line.trim() === '```') {
      out.push(current);
      current = null;
    } else current.lines.push(line);
  }
  return out;
}

/** A file block: its first line is `# file: PATH`. */
const fileOf = (b: Block): string | undefined => /^# file: (\S+)$/.exec(b.lines[0] ?? '')?.[1];

/** The document as one bash script: shell blocks verbatim, file blocks as here-documents. */
function script(): string {
  let s = `set -euo pipefail\nsigil() { node ${JSON.stringify(BIN)} "$@"; }\n`;
  for (const b of blocks(DOC)) {
    const file = fileOf(b);
    if (b.lang === 'sh') s += b.lines.join('\n') + '\n';
    else if (file) {
      s += `mkdir -p "$(dirname ${JSON.stringify(file)})"\ncat > ${JSON.stringify(file)} <<'SIGIL_DOC_EOF'\n${b.lines.slice(1).join('\n')}\nSIGIL_DOC_EOF\n`;
    }
  }
  return s;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'doc',
  GIT_AUTHOR_EMAIL: 'doc@example.com',
  GIT_COMMITTER_NAME: 'doc',
  GIT_COMMITTER_EMAIL: 'doc@example.com',
  NO_COLOR: '1',
};

let work = '';
let run: { status: number | null; stdout: string; stderr: string };
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-ci-doc-'));
  run = spawnSync('bash', ['-c', script()], { cwd: work, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('docs/ci.md', () => {
  it('runs as written, every sigil ci a green check', () => {
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.match(/sigil ci: .* — passed/g)).toHaveLength(2);
    const repo = path.join(work, 'rules-repo');
    const report = fs.readFileSync(path.join(repo, 'report.md'), 'utf8');
    expect(report).toContain('## Sigil CI: passed');
    expect(report).toContain('+| where tostring(EventData.CommandLine) contains " -decode -out "');
    expect(report).toContain('Tests: 2/2 passed');
    expect(fs.readFileSync(path.join(repo, 'junit.xml'), 'utf8')).toContain('tests="2" failures="0"');
    expect(JSON.parse(fs.readFileSync(path.join(repo, 'sigil.sarif'), 'utf8')).version).toBe('2.1.0');
    const layer = JSON.parse(fs.readFileSync(path.join(repo, 'attack-layer.json'), 'utf8'));
    expect(layer.techniques.map((t: { techniqueID: string }) => t.techniqueID)).toEqual(['T1140']);
    const gaps = JSON.parse(fs.readFileSync(path.join(repo, 'gaps.json'), 'utf8')) as { id: string }[];
    expect(gaps.map((g) => g.id)).not.toContain('T1140');
    expect(gaps.map((g) => g.id)).toContain('T1027');
  });

  it('shows a workflow that uses the action with its real inputs and uploads its SARIF output', () => {
    const workflow = YAML.parse(fs.readFileSync(path.join(work, 'rules-repo/.github/workflows/sigil.yml'), 'utf8')) as {
      permissions: Record<string, string>;
      jobs: Record<string, { steps: Record<string, unknown>[] }>;
    };
    const action = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
    };
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = Object.values(workflow.jobs)[0]!.steps;
    const checkout = steps.find((s) => String(s['uses']).startsWith('actions/checkout@'))!;
    expect((checkout['with'] as Record<string, unknown>)['fetch-depth']).toBe(0);
    const sigilStep = steps.find((s) => String(s['uses']).startsWith('sigil-project/sigil@'))!;
    for (const k of Object.keys(sigilStep['with'] as object)) expect(Object.keys(action.inputs)).toContain(k);
    const upload = steps.find((s) => String(s['uses']).startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload['if']).toBe('always()');
    const ref = /^\$\{\{ steps\.(\w+)\.outputs\.(\w+) \}\}$/.exec(
      String((upload['with'] as Record<string, unknown>)['sarif_file']),
    );
    expect(ref?.[1]).toBe(sigilStep['id']);
    expect(Object.keys(action.outputs)).toContain(ref?.[2]);
  });

  it("the action's script passes on the repository, fills the job summary and sets its outputs", () => {
    const action = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
      runs: { steps: { id?: string; run?: string }[] };
    };
    const step = action.runs.steps.find((s) => s.id === 'check')!;
    // `npx --yes PACKAGE@VERSION args…` stands for the published CLI: this checkout's.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-npx-'));
    fs.writeFileSync(
      path.join(bin, 'npx'),
      `#!/bin/sh\n[ "$1" = --yes ] && [ "$2" = "sigil@0.1.0" ] || { echo "unexpected npx $*" >&2; exit 99; }\nshift 2\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`,
      { mode: 0o755 },
    );
    const summary = path.join(bin, 'summary.md');
    const output = path.join(bin, 'output.txt');
    const repo = path.join(work, 'rules-repo');
    try {
      const r = spawnSync('bash', ['-e', '-c', step.run!], {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          ...GIT_ENV,
          PATH: `${bin}:${process.env['PATH']}`,
          RUNNER_TEMP: bin,
          GITHUB_STEP_SUMMARY: summary,
          GITHUB_OUTPUT: output,
          SIGIL_PACKAGE: 'sigil',
          SIGIL_VERSION: '0.1.0',
          SIGIL_BASE: 'main',
          SIGIL_CONFIG: '',
          SIGIL_SUMMARY: 'true',
          SIGIL_SARIF: 'sigil.sarif',
          SIGIL_JUNIT: '',
        },
      });
      expect(r.status, r.stderr).toBe(0);
      expect(fs.readFileSync(summary, 'utf8')).toContain('## Sigil CI: passed');
      expect(fs.readFileSync(output, 'utf8')).toBe(`sarif=sigil.sarif\nreport=${path.join(bin, 'sigil-report.md')}\n`);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
