// @ts-check
/**
 * `npm run lint` (with `prettier --check`): ESLint with typescript-eslint's type-aware rules over src,
 * test, scripts and bench. The rules kept are the ones that find bugs (floating and misused promises,
 * `any` leaking through, needless assertions that hide type changes); the few switched off are listed
 * with the reason their findings are noise here.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default defineConfig(
  {
    // Everything outside the four source folders; generated.ts is the output of `npm run db:types`.
    ignores: [
      'bin/**',
      'content/**',
      'dist/**',
      'docs/**',
      'test-results/**',
      '*.config.{js,ts}',
      'src/server/db/generated.ts',
    ],
  },
  {
    // The rules of hooks and complete effect dependencies in the web app.
    files: ['src/web/**/*.tsx', 'src/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['**/*.{ts,tsx,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' },
          ],
        },
      ],
      // `_name` marks a deliberately unused binding (dropping a key with a rest pattern, draining an iterator).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Kysely spells "nothing selected yet" as `{}` (SelectQueryBuilder<DB, T, {}>); empty interfaces stay errors.
      '@typescript-eslint/no-empty-object-type': ['error', { allowObjectTypes: 'always' }],
      // `async` without `await` is how a function meets a Promise-returning contract (Hono handlers, stop(), getMigrations).
      '@typescript-eslint/require-await': 'off',
      // Input hygiene (core/text.ts, audit, PDF text) matches control and invisible characters on purpose.
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  {
    // Tests read JSON response bodies typed `any` (helpers.ts `call`) and assert on them field by field.
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The one plain-JavaScript script (outside the TypeScript project): syntax rules only, Node globals.
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
