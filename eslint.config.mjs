// ESLint (flat config) with typescript-eslint, over the server, the client, the tests and scripts
// (npm run lint; scripts/test.sh runs it before the tests).
//
// Not type-aware, on purpose: the type-aware set (recommendedTypeChecked, with no-floating-promises)
// took 55 to 115 s on this project's 2-core machine (45 to 57 s of CPU: it builds a TypeScript
// program for each part), at or over the minute a lint may take, against 16 to 35 s (12 to 15 s of
// CPU) for this set; and it found no floating or misused promise in server/ or client/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['out/', 'dist/', 'node_modules/', 'test/e2e/.run/', 'test/e2e/.host/', 'test/fixtures/', 'test/e2e/fixtures/', '.scratch/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An unused name is an error, unless it starts with _ (a parameter a signature needs).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `==` only where it is meant: `x == null` (null or undefined).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A `let` assigned once after a closure that reads it was made (a tree view and its provider).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // A value compared with itself is a typo (NaN is tested with Number.isNaN).
      'no-self-compare': 'error',
    },
  },
  {
    // The build and test scripts: plain JavaScript run by Node.js.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
);
