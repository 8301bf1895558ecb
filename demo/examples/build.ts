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
 * The widget's WASM is referenced as `new URL('../assets/…', import.meta.url)`, which esbuild leaves as it is
 * (Vite, webpack and Parcel copy such files themselves): copy the package's assets next to the chunks, then check that
 * every such URL in the output names a file that exists.
 */
cpSync(join(widgetDist, 'assets'), join(outdir, 'assets'), { recursive: true });
const assetUrls = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.js'))
  .flatMap((file) =>
    [...readFileSync(join(outdir, file), 'utf8').matchAll(/new URL\("([^"]+)",import\.meta\.url\)/g)].map(
      ([, url]) => join(outdir, dirname(file), url ?? ''),
    ),
  );
const missing = assetUrls.filter((asset) => !existsSync(asset));
if (!assetUrls.length || missing.length)
  throw new Error(`The bundle's asset URLs are missing or point at nothing: ${missing.join(', ')}`);
