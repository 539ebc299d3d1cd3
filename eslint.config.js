// ESLint (`npm run lint:code`): the recommended rules of ESLint and typescript-eslint.
// Not the type-aware presets: they need a type-checked program over src/, test/ and scripts/,
// which triples the run's time (20 s of CPU against 7 s, over 30 s on a loaded 2-core machine).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build output, generated validators and vendored data are not written by hand.
  globalIgnores(['dist/', 'coverage/', 'src/parser/generated/', 'src/data/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // A leading underscore marks a parameter kept for a signature, and `{ file: _file, ...rest }` drops a key.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Control characters are this tool's subject matter: YAML and SPL escaping, the control-character
      // check, and \x00 as a separator that no Sigma value contains; every such regex is deliberate.
      'no-control-regex': 'off',
    },
  },
);
