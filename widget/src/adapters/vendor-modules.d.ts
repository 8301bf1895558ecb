// Types for vendor entry points imported by path (they ship without declarations).
declare module '*.wasm' {
  /** The emitted asset's URL (rollup.config.ts `wasmAsUrl`). */
  const url: string;
  export default url;
}

declare module 'virgil-crypto/dist/browser.es.js' {
  export function initCrypto(args?: { [name: string]: unknown[] }): Promise<void>;
}

declare module 'virtual:password-lists' {
  /** The heads of zxcvbn-ts's ranked word lists, by dictionary name (widget/scripts/password-lists.ts). */
  const lists: Record<string, string[]>;
  export default lists;
}
