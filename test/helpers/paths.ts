/** Paths used by tests: the repository root and ../shared beside it (as in CI). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(REPO_ROOT, '../shared');
export const CORPUS = path.join(SHARED, 'corpus/sigmahq');
