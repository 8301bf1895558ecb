// The decryption worker's entry: a dedicated module Worker of the widget's origin (rollup emits it as its own chunk,
// sharing virgil-crypto's chunk and its one WASM asset with the E3Kit chunk). It exposes the engine (crypto-engine.ts)
// over Comlink; worker-decryptor.ts is the other end. See crypto-worker-protocol.ts for the messages.
import { expose, releaseProxy, type Remote } from 'comlink';
import foundationWasmUrl from '@virgilsecurity/e3kit-browser/dist/libfoundation.browser.wasm';
import { initCrypto, VirgilCrypto } from 'virgil-crypto/dist/browser.es.js';
import { createCryptoEngine } from './crypto-engine.js';
import type { CryptoWorkerApi } from './crypto-worker-protocol.js';

const engine = createCryptoEngine(async () => {
  await initCrypto({ foundation: [{ locateFile: () => foundationWasmUrl }] });
  return new VirgilCrypto();
});

const api: CryptoWorkerApi = {
  ...engine,
  async decryptFile(id, data, senderKey, onProgress) {
    // A Comlink proxy of the page's callback: released once the file is done.
    const progress = onProgress as Remote<(fraction: number) => void> | undefined;
    try {
      return await engine.decryptFile(id, data, senderKey, progress);
    } finally {
      progress?.[releaseProxy]();
    }
  },
};

expose(api);
