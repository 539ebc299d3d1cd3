// ETW-only Windows categories (file_access, file_rename: Microsoft-Windows-Kernel-File) have no
// event log channel in splunk-windows: each rule is reported with the provider's name, and a
// deployment that forwards those events into a channel converts them with a route of its own.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../../src/parser/index.js';
import { convertDocument } from '../../../src/convert.js';
import type { PipelineSpec } from '../../../src/pipelines/types.js';
import type { SigmaDocument } from '../../../src/ast/types.js';
import { REPO_ROOT, SHARED } from '../../helpers/paths.js';
import { yamlFiles } from '../../helpers/files.js';

const CORPUS = path.join(SHARED, 'corpus/sigmahq');
const docs: { file: string; doc: SigmaDocument }[] = [];
for (const d of ['rules', 'rules-emerging-threats', 'rules-threat-hunting']) {
  for (const file of yamlFiles(path.join(CORPUS, d))) {
    const text = fs.readFileSync(file, 'utf8');
    if (!/category:\s*file_(access|rename)\b/.test(text)) continue;
    const doc = parse(text, { file }).documents[0]?.document;
    if (doc) docs.push({ file, doc });
  }
}

const kernelFileChannel: PipelineSpec = {
  name: 'kernel-file-etw',
  description: 'this deployment forwards Kernel-File ETW events into an event log channel',
  targets: ['splunk'],
  routes: ['file_access', 'file_rename'].map((category) => ({
    logsource: { product: 'windows', category },
    table: 'Microsoft-Windows-Kernel-File/Analytic',
  })),
  transformations: [],
};

describe('ETW-only categories in splunk-windows', () => {
  it('finds the corpus rules', () => expect(docs.length).toBeGreaterThanOrEqual(15));

  it('reports each one, naming the ETW provider and how to route it', () => {
    for (const { file, doc } of docs) {
      const r = convertDocument(doc, { target: 'splunk', pipelines: ['splunk-windows'] });
      expect(r.ok, file).toBe(false);
      if (r.ok) continue;
      expect(r.errors[0]!.code).toBe('C001');
      expect(r.errors[0]!.message).toContain('Microsoft-Windows-Kernel-File ETW provider');
      expect(r.errors[0]!.hint).toContain('routes:');
    }
  });

  it('converts every one with a route of the deployment (a pipeline placed before splunk-windows), restricted to that channel', () => {
    for (const { file, doc } of docs) {
      const r = convertDocument(doc, { target: 'splunk', pipelines: [kernelFileChannel, 'splunk-windows'] });
      expect(r.ok ? '' : r.errors.map((e) => e.message).join('; '), file).toBe('');
      if (!r.ok) continue;
      expect(r.queries[0]).toContain('source="WinEventLog:Microsoft-Windows-Kernel-File/Analytic"');
    }
  });
});

describe('the documented pipeline file (docs/backends/splunk.md)', () => {
  it('loads and routes the ETW categories', async () => {
    const { loadPipelineSpec } = await import('../../../src/pipelines/load.js');
    const md = fs.readFileSync(path.join(REPO_ROOT, 'docs/backends/splunk.md'), 'utf8');
    const yaml = /```yaml\n(# kernel-file\.yml[\s\S]*?)```/.exec(md)?.[1];
    expect(yaml).toBeDefined();
    const { spec, diagnostics } = loadPipelineSpec(yaml!, 'kernel-file.yml');
    expect(diagnostics.map((d) => d.message)).toEqual([]);
    const r = convertDocument(docs[0]!.doc, { target: 'splunk', pipelines: [spec!, 'splunk-windows'] });
    expect(r.ok && r.queries[0]).toContain('source="WinEventLog:Microsoft-Windows-Kernel-File/Analytic"');
  });
});
