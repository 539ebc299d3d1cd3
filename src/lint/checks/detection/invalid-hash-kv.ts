import type { Check } from '../../types.js';
import { fieldMatches } from '../../walk.js';

/** Sysmon's `Hashes` / `Hash` fields hold `ALGO=hex` pairs; pySigma-validators-sigmahq checks these. */
const HASH_FIELDS = new Set(['Hashes', 'Hash']);
const HASH_LENGTH: Record<string, number> = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 };

/** The problem with one `ALGO=hex` text, or undefined when it is valid. */
export function hashKvProblem(text: string): string | undefined {
  const pair = text.split('=');
  if (pair.length !== 2) return `'${text}' is not ALGO=hash`;
  const [algo, hash] = pair as [string, string];
  const len = HASH_LENGTH[algo];
  if (len === undefined) return `'${algo}' is not one of ${Object.keys(HASH_LENGTH).join(', ')}`;
  if (!new RegExp(`^[a-fA-F0-9]{${len}}$`).test(hash))
    return `'${hash}' is not a ${len}-digit hexadecimal ${algo} hash`;
  return undefined;
}

export const invalidHashKv: Check = {
  meta: {
    code: 'D016',
    name: 'invalid-hash-kv',
    family: 'detection',
    defaultSeverity: 'warning',
    summary: 'A `Hashes`/`Hash` value is not a valid `MD5=`, `SHA1=`, `SHA256=` or `IMPHASH=` pair.',
    why: "Sysmon writes hashes as `ALGO=HEX` pairs; a wrong algorithm name, a truncated hash or a missing '=' never matches.",
    bad: "Hashes|contains: 'SHA256=2F4A6C'",
    good: "Hashes|contains: 'SHA256=2F4A6C9E8B1D3A5F7C9E0B2D4F6A8C0E2B4D6F8A0C2E4B6D8F0A2C4E6B8D0F2A'",
    pysigma: ['sigmahq_invalid_hash_kv'],
  },
  check(ctx) {
    for (const { match } of fieldMatches(ctx.document)) {
      if (match.field === null || !HASH_FIELDS.has(match.field)) continue;
      for (const v of match.values) {
        const at = v.loc ?? match.loc;
        if (v.type !== 'string') {
          ctx.report({ message: `'${match.field}' value is not a string ALGO=hash pair.`, loc: at });
          continue;
        }
        // Literal runs between wildcards are checked, as pySigma checks each plain part.
        for (const part of v.parts) {
          if (typeof part !== 'string') continue;
          const problem = hashKvProblem(part);
          if (problem)
            ctx.report({
              message: `Invalid '${match.field}' value: ${problem}.`,
              loc: at,
              hint: 'Write MD5=<32 hex>, SHA1=<40 hex>, SHA256=<64 hex> or IMPHASH=<32 hex>.',
            });
        }
      }
    }
  },
};
