/** `-t sigma` applies pipelines given as files (specs that are not registered), like every backend. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SigmaRule } from '../../../src/ast/types.js';
import { convertDocument } from '../../../src/convert.js';
import { parse } from '../../../src/parser/index.js';
import { loadPipelineSpec } from '../../../src/pipelines/index.js';
import { REPO_ROOT } from '../../helpers/paths.js';

const file = path.join(REPO_ROOT, 'rules/windows/process_creation/proc_creation_win_scrcons_execution.yml');
const rule = parse(fs.readFileSync(file, 'utf8'), { file }).documents[0]!.document as SigmaRule;

describe('sigma target with a pipeline file', () => {
  it('maps fields as the file says', () => {
    const { spec, diagnostics } = loadPipelineSpec(
      'name: mine\ntransformations:\n    - type: field_map\n      map: { Image: ProcessPath }\n',
      'mine.yml',
    );
    expect(diagnostics).toEqual([]);
    const res = convertDocument(rule, { target: 'sigma', pipelines: [spec!] });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.queries[0]).toContain('ProcessPath|endswith');
    expect(res.queries[0]).not.toMatch(/\bImage\|/);
  });
});
