// One lint setup for the repo (typescript-eslint). n8n-nodes/ has its own, n8n's strict community-node lint.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.svelte-kit/**',
      'n8n-nodes/**',
      'portal/**/*.svelte',
      'tests/artifacts/**',
      '.run/**',
      '**/.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Scripts and tests talk to a person on a terminal.
    files: ['deploy/**', 'tests/**', 'bench/**', 'backend/src/cli/**', 'backend/test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['portal/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
