import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig } from '../../src/cli/config-file.js';

describe('lint CLI helpers', () => {
  it('finds .sigil.yml by walking up from the current directory', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sigil-cfg-'));
    const deep = path.join(root, 'a', 'b', 'c');
    fs.mkdirSync(deep, { recursive: true });
    expect(findConfig(deep)).toBeUndefined();
    fs.writeFileSync(path.join(root, 'a', '.sigil.yml'), 'preset: sigmahq\n');
    expect(findConfig(deep)).toBe(path.join(root, 'a', '.sigil.yml'));
    fs.writeFileSync(path.join(root, 'a', 'b', '.sigil.yaml'), 'checks: {}\n');
    expect(findConfig(deep)).toBe(path.join(root, 'a', 'b', '.sigil.yaml'));
    fs.rmSync(root, { recursive: true });
  });
});
