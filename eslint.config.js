// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.local-cloud/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Focused tests hide the rest of the suite.' },
        { object: 'describe', property: 'only', message: 'Focused tests hide the rest of the suite.' },
        { object: 'test', property: 'only', message: 'Focused tests hide the rest of the suite.' },
      ],
    },
  },
  {
    // The demo portal's page scripts run in the browser.
    files: ['demo/site/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The API core is Web-standard: only its runtime entries may touch Node.
    files: ['api/src/**/*.ts'],
    ignores: ['api/src/entries/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*'] }],
      'no-restricted-globals': ['error', 'process', 'Buffer'],
    },
  },
  {
    // Widget core is pure logic: no Lit, no SDKs, no DOM-bound modules.
    files: ['widget/src/core/**/*.ts'],
    ignores: ['widget/src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['lit', 'lit/*', 'stream-chat', '@virgilsecurity/*', 'virgil-*', 'node:*'] },
      ],
    },
  },
);
