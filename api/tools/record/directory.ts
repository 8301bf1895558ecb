/**
 * @module
 * Sender cards for the export, from the key directory: each identity's card chain (newest first, linked to the
 * cards it replaced), verified by virgil-sdk, cached for the run; `refresh` asks again.
 */
import type { ICard } from 'virgil-sdk';
import type { CardLookup } from './organization-crypto.js';
import { cardManager, type VirgilAccess } from './virgil.js';

export function directoryCards(access: VirgilAccess, asIdentity: string): CardLookup {
  const cache = new Map<string, Promise<ICard | undefined>>();
  const manager = cardManager(access, asIdentity);
  return (identity, refresh) => {
    let card = cache.get(identity);
    if (!card || refresh) {
      card = manager.then(async (m) => (await m.searchCards(identity)).find((c) => c.identity === identity));
      cache.set(identity, card);
    }
    return card;
  };
}
