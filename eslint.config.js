// Lint config. Besides the usual rules it enforces the dependency direction written in
// ARCHITECTURE.md: the engine imports nothing outside itself, the UI reaches the engine only
// through type imports (and pure formatters in engine/fields), zustand lives in ui/state only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-cli/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'zlib'], message: 'The engine runs in browsers too: no Node APIs.' },
          { group: ['**/worker/**', '**/ui/**', '**/cli/**', 'react', 'react-dom', 'comlink', 'zustand'], message: 'The engine imports only itself (and fflate).' },
        ],
      }],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    ignores: ['src/worker/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'No Node APIs in the worker.' },
          { group: ['**/ui/**', '**/cli/**', 'react', 'zustand'], message: 'The worker hosts the engine only.' },
        ],
      }],
    },
  },
  {
    files: ['src/ui/**/*.ts', 'src/ui/**/*.tsx'],
    ignores: ['src/ui/state/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'zustand', message: 'zustand is used only inside src/ui/state/.' }],
        patterns: [
          { group: ['**/engine/*', '**/engine/**', '!**/engine/fields/**', '!**/engine/model/**'], allowTypeImports: true, message: 'The UI reaches the engine through ui/engine-client only (type imports are fine).' },
          { group: ['**/worker/**'], allowTypeImports: true, message: 'Only type imports from the worker.' },
          { group: ['node:*', '**/cli/**'], message: 'No Node code in the UI.' },
        ],
      }],
    },
  },
);
