/**
 * Template ids of the Sentinel artifacts. One Sigma rule becomes several artifacts (one per
 * pipeline and format), and Azure-Sentinel's `NoSameTemplateIdTwice` check refuses two templates
 * with one id: each artifact's id is a name-based UUID (RFC 9562 version 5, SHA-1) of the rule's
 * identity, the pipelines and the format, under Sigil's own namespace. The same inputs always give
 * the same id, so a redeployment updates the rule it deployed before.
 */
import { createHash } from 'node:crypto';

/** Sigil's namespace for artifact ids (a fixed random UUID; never change it: ids would move). */
const SIGIL_NAMESPACE = '4d0f6c1e-5b8a-4c3e-9a77-2f61d8b0c5e4';

/** RFC 9562 §5.5: SHA-1 of namespace bytes + name, version 5, variant 10. */
export function uuidV5(name: string, namespace: string = SIGIL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The id of one artifact: the rule's id (its name or title when it has none), the pipelines in
 * order and the format, joined by a separator none of them can hold unescaped.
 */
export function templateId(ruleKey: string, pipelines: readonly string[], format: string): string {
  return uuidV5(JSON.stringify([ruleKey, [...pipelines], format]));
}
