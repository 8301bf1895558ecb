// Builds the widget: an ES module entry (the script-tag entry, `secure-chat.js`), the class-only `index.js` and the
// React wrapper `react.js`, plus lazy chunks for
// stream-chat, E3Kit and their WASM, plus a test-only whole E3Kit bundle. Each plugin says why it is here.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import inject from '@rollup/plugin-inject';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import type { Plugin, RollupOptions } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { withoutE3kitGroups } from './widget/scripts/e3kit-without-groups.js';
import { passwordLists } from './widget/scripts/password-lists.js';
import { streamChatCore } from './widget/scripts/stream-chat-core.js';

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

/**
 * `import url from './x.js?worker-url'`: emits `x` as its own chunk (a module worker's entry, sharing chunks with the
 * rest of the build, e.g. virgil-crypto and its WASM) and gives its URL, resolved against the importing chunk.
 */
function workerUrl(): Plugin {
  const PREFIX = '\0worker-url:';
  return {
    name: 'worker-url',
    async resolveId(source, importer) {
      if (!source.endsWith('?worker-url')) return null;
      const target = source.slice(0, -'?worker-url'.length).replace(/\.js$/, '.ts');
      const resolved = await this.resolve(target, importer, { skipSelf: true });
      if (!resolved) this.error(`worker-url: cannot resolve ${target}`);
      return PREFIX + resolved.id;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const ref = this.emitFile({ type: 'chunk', id: id.slice(PREFIX.length), name: basename(id, '.ts') });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}

/**
 * Replaces modules that our code paths never execute with small stand-ins (widget/scripts/stubs), to keep the total
 * bundle within budget. Each stub says why it is dead and fails loudly if ever used; the browser tests prove it.
 */
const STUBS: [RegExp, string][] = [
  [/\/node_modules\/linkifyjs\//, 'widget/scripts/stubs/linkifyjs.js'],
  [/\/node_modules\/axios\/lib\/adapters\/fetch\.js$/, 'widget/scripts/stubs/axios-fetch-adapter.js'],
];

function stubUnusedModules(): Plugin {
  return {
    name: 'stub-unused-modules',
    load(id) {
      const stub = STUBS.find(([pattern]) => pattern.test(id));
      return stub ? readFileSync(stub[1], 'utf8') : null;
    },
  };
}

/**
 * E3Kit imports pythia-crypto statically, but Pythia is only needed for key backup and restore: send E3Kit's import to
 * a stand-in that loads the real module (and its WASM) on demand, as its own lazy chunk. See widget/src/adapters/pythia.ts.
 */
function lazyPythia(): Plugin {
  return {
    name: 'lazy-pythia',
    async resolveId(source, importer) {
      if (source !== '@virgilsecurity/pythia-crypto/dist/browser.es.js') return null;
      if (!importer || !/\/@virgilsecurity\/e3kit-browser\/dist\//.test(importer)) return null;
      return this.resolve('./widget/src/adapters/pythia.ts', undefined, { skipSelf: true });
    },
  };
}

/**
 * Subresource Integrity: writes `<entry>.sri` (the `integrity` value for the script tag) next to each entry, and
 * `integrity.json` with the hash of every JS chunk (for import maps that carry integrity). Hashes the written bytes.
 */
function subresourceIntegrity(): Plugin {
  const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  return {
    name: 'subresource-integrity',
    writeBundle(options, bundle) {
      if (!options.dir) return;
      const manifest: Record<string, string> = {};
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const integrity = sri(readFileSync(join(options.dir, file.fileName)));
        manifest[file.fileName] = integrity;
        if (file.isEntry) writeFileSync(join(options.dir, `${file.fileName}.sri`), `${integrity}\n`);
      }
      writeFileSync(join(options.dir, 'integrity.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

/** Drops E3Kit's group-chat store and the LevelDB stack only it uses (widget/scripts/e3kit-without-groups.ts). */
function withoutE3kitGroupStore(): Plugin {
  return {
    name: 'without-e3kit-groups',
    transform(code, id) {
      if (!/\/@virgilsecurity\/e3kit-browser\/dist\/browser\.es\.js$/.test(id)) return null;
      try {
        return { code: withoutE3kitGroups(code).code, map: null };
      } catch (error) {
        this.error(error as Error);
      }
    },
  };
}

/** Ships the isolation frame's page (widget/src/frame/frame.html) next to the entries: it loads `frame.js`. */
function framePage(): Plugin {
  return {
    name: 'frame-page',
    generateBundle() {
      const source = readFileSync('widget/src/frame/frame.html', 'utf8');
      this.emitFile({ type: 'asset', fileName: 'frame.html', source });
    },
  };
}

/**
 * Swaps stream-chat's UI SDK helpers (message composer, thread/poll/reminder managers, campaigns, …) for stand-ins,
 * so rollup can drop them (widget/scripts/stream-chat-core.ts).
 */
function streamChatCoreOnly(): Plugin {
  return {
    name: 'stream-chat-core',
    transform(code, id) {
      if (!/\/node_modules\/stream-chat\/dist\/esm\/index\.mjs$/.test(id)) return null;
      try {
        return { code: streamChatCore(code).code, map: null };
      } catch (error) {
        this.error(error as Error);
      }
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

/** `trimVendors`: the widget's size cuts (stubs, lazy Pythia, no E3Kit groups); the test-only E3Kit stays whole. */
function plugins({ trimVendors }: { trimVendors: boolean }): Plugin[] {
  return [
    cleanOutputDir(),
    subresourceIntegrity(),
    ...(trimVendors
      ? [stubUnusedModules(), lazyPythia(), withoutE3kitGroupStore(), streamChatCoreOnly()]
      : []),
    wasmAsUrl(),
    workerUrl(),
    resolve({
      browser: true,
      exportConditions: ['browser', 'module', 'import', 'default'],
      preferBuiltins: false,
      extensions: ['.ts', '.mjs', '.js', '.json'],
      // package.json `sideEffects` describes the published dist for consumers' bundlers, not widget/src.
      ignoreSideEffectsForRoot: true,
    }),
    passwordLists(),
    // rollup-plugin-esbuild resolves imports itself and would bypass package `browser` fields.
    { ...esbuild({ target: 'es2022', tsconfig: './tsconfig.json' }), resolveId: undefined } as Plugin,
    replace({ preventAssignment: true, values: { 'import.meta.env.DEV': JSON.stringify(!production) } }),
    commonjs(),
    // E3Kit's prebuilt dist expects Node's Buffer and process; keep the shims inside its chunk only. (Since the group
    // store trim, nothing left in E3Kit uses them, so nothing is injected; this stays as a safety net.)
    inject({ include: /e3kit-browser/, Buffer: ['buffer', 'Buffer'], process: 'process/browser.js' }),
    ...(production ? [terser({ format: { comments: false } })] : []),
  ];
}

/** virgil-crypto and what both the E3Kit chunk and the decryption worker use beside it: one shared chunk. */
const VIRGIL_CRYPTO_CHUNK =
  /\/(virgil-crypto\/dist\/browser\.es\.js|e3kit-browser\/dist\/libfoundation\.browser\.wasm|comlink\/dist\/esm\/comlink\.mjs|adapters\/(e3kit-support|key-material)\.ts)$/;

const output = {
  format: 'es' as const,
  sourcemap: true,
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  // Named so `npm run size` can tell the lazy Pythia chunk and the frame host proxy apart (and so the proxy, small
  // as it is, is never merged into the entry).
  // virgil-crypto (and the small modules beside it) is shared by the E3Kit chunk and the decryption worker's chunk.
  manualChunks: (id: string) =>
    id.includes('/@virgilsecurity/pythia-crypto/')
      ? 'pythia'
      : /\/widget\/src\/frame\/(frame-host|protocol)\.ts$/.test(id)
        ? 'frame-host'
        : VIRGIL_CRYPTO_CHUNK.test(id)
          ? 'virgil-crypto'
          : undefined,
  assetFileNames: 'assets/[name]-[hash][extname]',
  // Small shared chunks (a few core modules that two lazy chunks both use) cost a request and their own compression
  // window each; rollup merges them into a chunk that loads with them instead.
  experimentalMinChunkSize: 8 * 1024,
  // E3Kit's dist uses a bare `global`.
  intro: 'var global = globalThis;',
};

/** React belongs to the host application (`secure-chat/react` lists it as a peer dependency): never bundled. */
const isReact = (id: string) => /^react(-dom)?($|\/)/.test(id);

const widget: RollupOptions = {
  // `frame`: the bootstrap of the isolation frame (frame.html), which loads the widget only where it is allowed.
  input: {
    'secure-chat': 'widget/src/define.ts',
    index: 'widget/src/index.ts',
    react: 'widget/src/react.ts',
    frame: 'widget/src/frame/frame.ts',
  },
  external: isReact,
  preserveEntrySignatures: 'allow-extension',
  output: { ...output, dir: widgetDir },
  plugins: [...plugins({ trimVendors: true }), framePage()],
};

const testVendor: RollupOptions = {
  // Test-only bundle: the real, whole E3Kit (groups included) for browser tests of the Virgil stand-in.
  input: { e3kit: 'widget/test/vendor/e3kit.ts' },
  preserveEntrySignatures: 'strict',
  output: { ...output, dir: 'dist/test-vendor' },
  plugins: plugins({ trimVendors: false }),
};

// `npm run build:widget` (used by `npm start`) skips the test-only bundle.
export default process.env.WIDGET_ONLY ? [widget] : [widget, testVendor];
