/**
 * `npm run build:examples` (after the widget build): bundles the React example with esbuild the way an application
 * bundles the published package, `secure-chat/react` resolving through package.json `exports` to dist/.
 * Output: dist/examples/react/{index.html,main.js,chunks/,assets/}.
 */
import { build } from 'esbuild';
import { copyFileSync, cpSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const widgetDist = join(root, 'dist/widget');
const outdir = join(root, 'dist/examples/react');

if (!existsSync(join(widgetDist, 'react.js'))) throw new Error('Build the widget first (npm run build).');
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: [join(root, 'demo/examples/react/main.tsx')],
  outdir,
  bundle: true,
  // The widget loads stream-chat and E3Kit on demand: keep those dynamic imports as chunks of their own.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  minify: true,
  sourcemap: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
copyFileSync(join(root, 'demo/examples/react/index.html'), join(outdir, 'index.html'));

/**
 * The widget refers to files of its own (its WASM, the decryption worker) as `new URL('…', import.meta.url)`, which
 * esbuild leaves as it is (Vite, webpack and Parcel copy such files themselves): copy the package's assets and chunks
 * next to esbuild's (never over them), then check that every such URL in the output names a file that exists.
 * `frame.html` is the exception: frame isolation loads it from the widget's own origin (docs/isolation.md), never
 * from an application bundle, so the bundle does not carry it.
 */
cpSync(join(widgetDist, 'assets'), join(outdir, 'assets'), { recursive: true });
cpSync(join(widgetDist, 'chunks'), join(outdir, 'chunks'), { recursive: true, force: false });
const assetUrls = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.js'))
  .flatMap((file) =>
    [...readFileSync(join(outdir, file), 'utf8').matchAll(/new URL\("([^"]+)",import\.meta\.url\)/g)].map(
      ([, url]) => join(outdir, dirname(file), url ?? ''),
    ),
  )
  .filter((url) => !url.endsWith('/frame.html'));
const missing = assetUrls.filter((asset) => !existsSync(asset));
if (!assetUrls.length || missing.length)
  throw new Error(`The bundle's asset URLs are missing or point at nothing: ${missing.join(', ')}`);
