// Builds the widget: an ES module entry (the script-tag entry, `secure-chat.js`) plus lazy chunks for
// stream-chat, E3Kit and their WASM. See ../shared notes on why each plugin is here.
import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import inject from '@rollup/plugin-inject';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import type { Plugin, RollupOptions } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';

/** E3Kit's browser builds `import url from './x.wasm'` and hand it to emscripten: the import must be a URL. */
function wasmAsUrl(): Plugin {
  return {
    name: 'wasm-as-url',
    load(id) {
      if (!id.endsWith('.wasm')) return null;
      const ref = this.emitFile({ type: 'asset', name: basename(id), source: readFileSync(id) });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}

/** Empties the output folder first, so stale hashed chunks never pile up (or skew `npm run size`). */
function cleanOutputDir(): Plugin {
  return {
    name: 'clean-output-dir',
    renderStart(options) {
      if (options.dir) rmSync(options.dir, { recursive: true, force: true });
    },
  };
}

const production = process.env.NODE_ENV !== 'development';
/** `WIDGET_DIST=name` builds into dist/<name> instead of dist/widget (parallel work trees; see web-test-runner config). */
const widgetDir = `dist/${process.env.WIDGET_DIST || 'widget'}`;

function plugins(): Plugin[] {
  return [
    cleanOutputDir(),
    wasmAsUrl(),
    resolve({
      browser: true,
      exportConditions: ['browser', 'module', 'import', 'default'],
      preferBuiltins: false,
      extensions: ['.ts', '.mjs', '.js', '.json'],
    }),
    // rollup-plugin-esbuild resolves imports itself and would bypass package `browser` fields.
    { ...esbuild({ target: 'es2022', tsconfig: './tsconfig.json' }), resolveId: undefined } as Plugin,
    replace({ preventAssignment: true, values: { 'import.meta.env.DEV': JSON.stringify(!production) } }),
    commonjs(),
    // E3Kit's prebuilt dist expects Node's Buffer and process; keep the shims inside its chunk only.
    inject({ include: /e3kit-browser/, Buffer: ['buffer', 'Buffer'], process: 'process/browser.js' }),
    ...(production ? [terser({ format: { comments: false } })] : []),
  ];
}

const output = {
  format: 'es' as const,
  sourcemap: true,
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  assetFileNames: 'assets/[name]-[hash][extname]',
  // E3Kit's dist uses a bare `global`.
  intro: 'var global = globalThis;',
};

const widget: RollupOptions = {
  input: { 'secure-chat': 'widget/src/define.ts', index: 'widget/src/index.ts' },
  preserveEntrySignatures: 'allow-extension',
  output: { ...output, dir: widgetDir },
  plugins: plugins(),
};

const testVendor: RollupOptions = {
  // Test-only bundle: the real E3Kit for browser tests of the Virgil stand-in.
  input: { e3kit: 'widget/test/vendor/e3kit.ts' },
  preserveEntrySignatures: 'strict',
  output: { ...output, dir: 'dist/test-vendor' },
  plugins: plugins(),
};

// `npm run build:widget` (used by `npm start`) skips the test-only bundle.
export default process.env.WIDGET_ONLY ? [widget] : [widget, testVendor];
