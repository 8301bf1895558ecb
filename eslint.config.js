// @ts-check
import js from '@eslint/js';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The SDKs: only `widget/src/adapters/` may import them. */
const SDK_IMPORTS = ['stream-chat', 'stream-chat/*', '@virgilsecurity/*', 'virgil-*', 'idb', 'idb/*'];
const SDK_MESSAGE = 'Only widget/src/adapters/ talks to the SDKs; use a port from core/ports.ts.';

export default tseslint.config(
  // rollup.config-*.mjs: the bundled config rollup writes beside rollup.config.ts while a build runs.
  { ignores: ['node_modules/', 'dist/', '.local-cloud/', 'coverage/', 'rollup.config-*.mjs'] },
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
    // The element, its controllers and views: Lit templates and custom elements.
    files: ['widget/src/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['widget/src/**/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  {
    // Layers (docs/architecture.md): only the adapters import SDKs.
    files: ['widget/src/**/*.ts'],
    ignores: ['widget/src/adapters/**', 'widget/src/core/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: SDK_IMPORTS, message: SDK_MESSAGE }] }],
    },
  },
  {
    // Widget core is pure logic: no Lit, no SDKs, no DOM-bound modules.
    files: ['widget/src/core/**/*.ts'],
    ignores: ['widget/src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: SDK_IMPORTS, message: SDK_MESSAGE },
            { group: ['lit', 'lit/*', 'node:*'], message: 'core/ is plain TypeScript: no Lit, no Node.' },
          ],
        },
      ],
    },
  },
  {
    // Views render view models and call intents: the session stays behind the controllers.
    files: ['widget/src/ui/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: SDK_IMPORTS, message: SDK_MESSAGE },
            {
              group: ['**/core/session.js', '**/core/session'],
              message: 'Views get a view model and intents from a controller, never the session.',
            },
          ],
        },
      ],
    },
  },
);
