// Builds the Node entry of the token API into one ES module, dist/api/node.js, run with plain `node` (no tsx).
// npm packages stay external: they are the package's runtime `dependencies`, installed with `npm ci --omit=dev`.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outdir = `${root}dist/api`;

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { node: `${root}api/src/entries/node.ts` },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log('built dist/api/node.js');
