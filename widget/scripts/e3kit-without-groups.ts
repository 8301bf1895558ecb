/**
 * Build-time trim of E3Kit's prebuilt browser bundle (see rollup.config.ts `withoutE3kitGroups`).
 *
 * E3Kit groups (createGroup/loadGroup) keep tickets in a LevelDB-over-IndexedDB store, which bundles levelup,
 * level-js, subleveldown, readable-stream and Node shims: about a quarter of E3Kit's code. secure-chat never uses
 * E3Kit groups. The store is replaced by one that holds nothing (`cleanup()`, the only non-group caller, still works;
 * any group call rejects), and then every top-level statement of the bundle that only the old store could reach is
 * dropped. Rollup cannot do that itself: the CommonJS-converted modules have top-level side effects.
 *
 * The same goes for the fetch ponyfill (whatwg-fetch over XMLHttpRequest, about 10 KB) that virgil-sdk's HTTP
 * connection is handed: every browser the widget supports has `fetch` and `Headers`, so the connection uses them.
 *
 * Safety: the result must reference exactly the same global names as the original (nothing removed is still used),
 * otherwise the build fails; the browser tests exercise E3Kit end to end.
 */
import type { Node } from 'acorn';
import { globalsOf, parseVendorModule, vendorScopes } from './vendor-ast.js';

const PATCHES: [string, string][] = [
  [
    'const { fetch, Request, Response, Headers } = fetchPonyfill();',
    `// secure-chat build: the browser's own fetch, not the bundled ponyfill over XMLHttpRequest.
const fetch = (input, init) => globalThis.fetch(input, init);
const { Headers } = globalThis;`,
  ],
  [
    'const groupStorageLeveldown = leveljs(opts.groupStorageName);',
    'const groupStorageLeveldown = undefined; // secure-chat build: E3Kit groups are not bundled',
  ],
  [
    'class GroupLocalStorage {',
    `class GroupLocalStorage {
    async reset() {}
    setEncryptionKeyPair() {}
    store() { return noGroups(); }
    retrieve() { return noGroups(); }
    delete() { return noGroups(); }
    addParticipants() { return noGroups(); }
}
function noGroups() {
    return Promise.reject(new Error('secure-chat build: E3Kit groups are not bundled'));
}
class UnusedGroupLocalStorage {`,
  ],
];

/** Top-level statements that may go if nothing kept needs them: the old store and the LevelDB stack's two regions. */
const REMOVABLE_CLASSES = new Set(['UnusedGroupLocalStorage', 'VirgilEncryptDown']);
const REGIONS: [string, string][] = [
  [
    // Node shims bundled for the LevelDB stack (events, process, util), then the stack itself.
    'var domain;',
    'var sub = /*@__PURE__*/getDefaultExportFromCjs(subleveldownExports);',
  ],
  ['var abstractLeveldown$1 = {};', 'var leveljs = /*@__PURE__*/getDefaultExportFromCjs(levelJs);'],
  // The fetch ponyfill, once nothing uses it.
  [
    'var fetchBrowser = createCommonjsModule(function (module, exports) {',
    'var fetchPonyfill = unwrapExports(fetchBrowser);',
  ],
];

type Statement = Node & { type: string; id?: { name: string } | null; range: [number, number] };
interface ScopeRef {
  identifier: { name: string; range: [number, number] };
  resolved: { scope: unknown } | null;
  init?: boolean;
}
interface Scope {
  references: ScopeRef[];
  childScopes: Scope[];
  variables: { name: string; defs: { name: { range: [number, number] } }[] }[];
  through: ScopeRef[];
}

const parseModule = (code: string) => parseVendorModule<Statement>(code);
const scopesOf = (ast: unknown) => vendorScopes<Scope>(ast);

export function withoutE3kitGroups(original: string): { code: string; removedChars: number } {
  let src = original;
  for (const [from, to] of PATCHES) {
    if (src.split(from).length !== 2) throw new Error(`E3Kit changed: cannot find "${from}"`);
    src = src.replace(from, to);
  }
  const regions = REGIONS.map(([start, end]) => {
    const from = src.indexOf(start);
    const to = src.indexOf(end) + end.length;
    if (from < 0 || to < from) throw new Error(`E3Kit changed: cannot find the region "${start}"`);
    return [from, to] as const;
  });

  const ast = parseModule(src);
  const scopes = scopesOf(ast);
  const moduleScope = scopes.globalScope.childScopes[0]!;
  const body = ast.body;
  const statementAt = (pos: number) => body.findIndex((s) => s.range[0] <= pos && pos < s.range[1]);
  const declares = body.map(() => new Set<string>());
  const uses = body.map(() => new Set<string>());
  for (const v of moduleScope.variables)
    for (const d of v.defs) declares[statementAt(d.name.range[0])]?.add(v.name);
  for (const scope of scopes.scopes)
    for (const ref of scope.references) {
      if (ref.resolved?.scope !== moduleScope) continue;
      const i = statementAt(ref.identifier.range[0]);
      if (i < 0 || (ref.init && declares[i]!.has(ref.identifier.name))) continue;
      uses[i]!.add(ref.identifier.name);
    }
  const removable = body.map(
    (s) =>
      regions.some(([from, to]) => s.range[0] >= from && s.range[1] <= to) ||
      (s.type === 'ClassDeclaration' && REMOVABLE_CLASSES.has(s.id?.name ?? '')),
  );
  const removableNames = new Set(body.flatMap((_, i) => (removable[i] ? [...declares[i]!] : [])));
  // Keep everything outside the candidates, then (to a fixpoint) any candidate that declares a name a kept
  // statement uses, or that mutates only kept names (e.g. `Buffer.prototype.x = …` of a kept Buffer).
  const kept = removable.map((r) => !r);
  for (let changed = true; changed;) {
    changed = false;
    const needed = new Set(body.flatMap((_, i) => (kept[i] ? [...uses[i]!] : [])));
    body.forEach((_, i) => {
      if (kept[i]) return;
      const own = [...uses[i]!].filter((n) => removableNames.has(n));
      const keep = declares[i]!.size
        ? [...declares[i]!].some((n) => needed.has(n))
        : own.length === 0 || own.every((n) => needed.has(n));
      if (keep) kept[i] = changed = true;
    });
  }
  let code = '';
  let pos = 0;
  body.forEach((s, i) => {
    if (kept[i]) return;
    code += src.slice(pos, s.range[0]);
    pos = s.range[1];
  });
  code += src.slice(pos);

  const before = globalsOf(original);
  const dangling = [...globalsOf(code)].filter((name) => !before.has(name));
  if (dangling.length) throw new Error(`E3Kit trim would leave dangling references: ${dangling.join(', ')}`);
  return { code, removedChars: original.length - code.length };
}
