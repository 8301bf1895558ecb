// The password estimator's word lists, cut at build time to the heads of zxcvbn-ts's ranked dictionaries (most
// common first). The full lists are about 800 KB brotli; these heads keep what attackers try first at a size that
// suits a lazy chunk fetched only on the backup-password screen. Used by rollup.config.ts and vitest.config.ts.
import { createRequire } from 'node:module';
import type { Plugin } from 'rollup';

export const PASSWORD_LISTS_ID = 'virtual:password-lists';

/** How many of each ranked list to keep. */
export const LIST_HEADS = {
  'passwords-common': 10_000,
  'commonWords-en': 10_000,
  'firstnames-en': 3_000,
  'lastnames-en': 3_000,
} as const;

type Dictionary = Record<string, string[]>;

function lists(): Record<string, string[]> {
  const require = createRequire(import.meta.url);
  const dictionaries = {
    ...(require('@zxcvbn-ts/language-common') as { dictionary: Dictionary }).dictionary,
    ...(require('@zxcvbn-ts/language-en') as { dictionary: Dictionary }).dictionary,
  };
  return Object.fromEntries(
    Object.entries(LIST_HEADS).map(([name, size]) => {
      const list = dictionaries[name];
      if (!Array.isArray(list)) throw new Error(`zxcvbn-ts has no dictionary "${name}"`);
      return [name, list.slice(0, size)];
    }),
  );
}

export function passwordLists(): Plugin {
  return {
    name: 'password-lists',
    resolveId: (source) => (source === PASSWORD_LISTS_ID ? `\0${PASSWORD_LISTS_ID}` : null),
    load: (id) => (id === `\0${PASSWORD_LISTS_ID}` ? `export default ${JSON.stringify(lists())};` : null),
  };
}
