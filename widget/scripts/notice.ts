// Generates NOTICE: the third-party packages whose code rollup bundled into dist/widget, with their licenses.
// `npm run notice` writes it; notice.test.ts checks it against a fresh build.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { widgetDist } from './bundle-size.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const stubsDir = join(root, 'widget/scripts/stubs');

/**
 * Prebuilt bundles inline their own dependencies, so their source maps name only the bundle itself. E3Kit's browser
 * dist inlines its declared dependencies (Virgil's SDK and crypto among them): list those as bundled too.
 */
const PREBUILT = ['@virgilsecurity/e3kit-browser'];

/** Packages that are not under a plain open-source license: named with their terms, not just an SPDX id. */
// stream-chat's LICENSE names no SPDX id; its text is pointed to, not copied (it is long and not ours to restate).
const SPECIAL_TERMS: Record<string, string> = {
  'stream-chat':
    'Not an OSI open-source license. Its package.json says "SEE LICENSE IN LICENSE": Stream.io, Inc.\'s Source ' +
    'Code License Agreement, which licenses the software to current Stream customers who are not Stream competitors, ' +
    'for use with the Stream service. Read its full text in node_modules/stream-chat/LICENSE ' +
    '(https://github.com/GetStream/stream-js/blob/master/LICENSE) before redistributing dist/widget.',
};

/** Read at build time by the password-lists plugin and bundled as data, so no source map names them. */
const BUILD_TIME_DATA = ['@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en'];

type PackageJson = { name: string; version: string; license?: string; dependencies?: Record<string, string> };

/** `…/node_modules/@scope/name/…` or `…/node_modules/name/…` → the innermost package's folder and name. */
function packageOf(source: string): { dir: string; name: string } | undefined {
  const at = source.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = source.slice(at + 'node_modules/'.length).split('/');
  const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  return { dir: source.slice(0, at + 'node_modules/'.length) + name, name };
}

function* mapFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (entry.endsWith('.js.map')) yield join(dir, entry);
  }
}

/** Package folders (absolute) whose code is in the bundle, read from the source maps' `sources`. */
export function bundledPackageDirs(widgetDir = widgetDist()): string[] {
  if (!existsSync(widgetDir)) throw new Error(`${widgetDir} is missing: run \`npm run build\` first`);
  // A module rollup replaced with a stand-in keeps its node_modules path but not its code (see rollup.config.ts).
  const stubs = new Set(readdirSync(stubsDir).map((file) => readFileSync(join(stubsDir, file), 'utf8')));
  const dirs = new Set<string>();
  for (const file of mapFiles(widgetDir)) {
    const map = JSON.parse(readFileSync(file, 'utf8')) as {
      sources: string[];
      sourcesContent?: (string | null)[];
    };
    map.sources.forEach((source, i) => {
      const pkg = packageOf(join(file, '..', source));
      if (!pkg || stubs.has(map.sourcesContent?.[i] ?? '')) return;
      dirs.add(pkg.dir);
    });
  }
  for (const name of BUILD_TIME_DATA) dirs.add(join(root, 'node_modules', name));
  for (const dir of [...dirs]) {
    const pkg = readPackage(dir);
    if (!PREBUILT.includes(pkg.name)) continue;
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (dep.startsWith('@types/')) continue;
      const nested = join(dir, 'node_modules', dep);
      dirs.add(existsSync(nested) ? nested : join(root, 'node_modules', dep));
    }
  }
  return [...dirs];
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

function licenseFile(dir: string): string | undefined {
  return readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$|-)/i.test(file));
}

export function renderNotice(dirs: string[]): string {
  const packages = dirs
    .map((dir) => ({ dir, ...readPackage(dir) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const seen = new Set<string>();
  const texts: string[] = [];
  const lines = [
    'secure-chat',
    'Copyright 2026 the secure-chat authors. Licensed under the Apache License, Version 2.0 (see LICENSE).',
    '',
    'dist/widget bundles code from the third-party packages below, each under its own license. This file is',
    'generated from their package.json and license files (`npm run notice`); do not edit it by hand.',
    '',
  ];
  for (const pkg of packages) {
    const id = `${pkg.name}@${pkg.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const file = licenseFile(pkg.dir);
    lines.push(`- ${id}`, `  License: ${pkg.license ?? 'not declared'}`);
    if (SPECIAL_TERMS[pkg.name]) lines.push(`  Terms: ${SPECIAL_TERMS[pkg.name]}`);
    lines.push(
      `  License text: ${file ? relative(root, join(pkg.dir, file)) : 'none shipped in the package'}`,
      '',
    );
    // The build strips comments, so the bundle itself carries no license headers: the texts travel here instead.
    if (file && !SPECIAL_TERMS[pkg.name])
      texts.push(`----- ${id}: ${file} -----`, '', readFileSync(join(pkg.dir, file), 'utf8').trim(), '');
  }
  return [...lines, 'License texts', '', ...texts].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(root, 'NOTICE'), renderNotice(bundledPackageDirs()));
}
