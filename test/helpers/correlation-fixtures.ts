/**
 * Two detection rules (by name rule_a and rule_b) that the correlation tests refer to: the
 * matrix of correlation types (test/backends/correlation-matrix.test.ts) and the CLI's
 * `generate` behaviour (test/cli/convert-generate.test.ts).
 */
export const CORRELATION_BASE_RULES = `title: whoami run
id: 5e0c4f8e-7d1a-4c3e-9a51-000000000001
name: rule_a
status: test
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: whoami}
  condition: sel
level: low
---
title: net user run
id: 5e0c4f8e-7d1a-4c3e-9a51-000000000002
name: rule_b
status: test
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: net user}
  condition: sel
level: low
`;
