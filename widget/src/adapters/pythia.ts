// Pythia (password-hardened key backup) is only needed to back up or restore the private key. E3Kit's bundle imports
// `initPythia` and `VirgilBrainKeyCrypto` from pythia-crypto statically; rollup.config.ts points that import at this
// module instead, so pythia-crypto's JS and its WASM become one lazy chunk that loads on the first backup or restore.
import pythiaWasmUrl from '@virgilsecurity/e3kit-browser/dist/libpythia.browser.wasm';
import type * as PythiaCrypto from '@virgilsecurity/pythia-crypto/dist/browser.es.js';

type PythiaModule = typeof PythiaCrypto;
type InitArgs = Parameters<PythiaModule['initPythia']>[0];

let loaded: PythiaModule | undefined;
let loading: Promise<PythiaModule> | undefined;

/** Fetches and initializes Pythia once; later calls share the result. A failed load can be retried. */
export function loadPythia(args?: InitArgs): Promise<PythiaModule> {
  loading ??= import('@virgilsecurity/pythia-crypto/dist/browser.es.js')
    .then(async (pythia) => {
      await pythia.initPythia(args ?? { pythia: [{ locateFile: () => pythiaWasmUrl }] });
      return (loaded = pythia);
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/** True once Pythia's WASM has been fetched and initialized in this page. */
export const isPythiaLoaded = (): boolean => loaded !== undefined;

/** Stand-in for pythia-crypto's `initPythia` (only `EThree.initialize` calls it; the widget does not). */
export async function initPythia(args?: InitArgs): Promise<void> {
  await loadPythia(args);
}

/** Stand-in for pythia-crypto's `VirgilBrainKeyCrypto`: E3Kit constructs it eagerly but uses it only after `loadPythia`. */
export class VirgilBrainKeyCrypto {
  #real(): PythiaCrypto.VirgilBrainKeyCrypto {
    if (!loaded) throw new Error('Pythia is not loaded: call loadPythia() before a key backup or restore.');
    return new loaded.VirgilBrainKeyCrypto();
  }

  blind(password: Parameters<PythiaCrypto.VirgilBrainKeyCrypto['blind']>[0]) {
    return this.#real().blind(password);
  }

  deblind(options: Parameters<PythiaCrypto.VirgilBrainKeyCrypto['deblind']>[0]) {
    return this.#real().deblind(options);
  }
}
