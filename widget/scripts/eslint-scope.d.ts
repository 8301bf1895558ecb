// eslint-scope (installed with eslint) ships no types; only `analyze` is used, by e3kit-without-groups.ts.
declare module 'eslint-scope' {
  export function analyze(
    ast: object,
    options?: { ecmaVersion?: number; sourceType?: 'module' | 'script' },
  ): unknown;
}
