/**
 * Pythia BrainKey: the server half of e3kit's password-derived keys. The transformation key derives from a
 * secret generated once and persisted, so brain keys (and the backups they protect) survive restarts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { initPythia, VirgilPythiaCrypto } from '@virgilsecurity/pythia-crypto';
import { Hono } from 'hono';
import { badRequest } from './errors.js';
import { base64Field, onlyFields, optionalString, readJsonObject, type VirgilEnv } from './http.js';
import type { VirgilStore } from './store.js';

/** Stored setting names; inspect() reports that they exist, never their values. */
export const PYTHIA_SECRET_SETTING = 'pythia.secret';
export const PYTHIA_SCOPE_SETTING = 'pythia.scope-secret';
/** The blinded password is a compressed group element of this many bytes. */
const BLINDED_PASSWORD_BYTES = 49;

export interface BrainKeyService {
  /** Transforms a blinded password for one user (and optional brainkey id); returns the seed bytes. */
  seed(blindedPassword: Buffer, identity: string, brainKeyId: string | undefined): Buffer;
}

/**
 * Loads the Pythia WASM and derives the transformation key from the persisted secrets.
 * @example const brainKeys = await createBrainKeyService(store, appId);
 */
export async function createBrainKeyService(store: VirgilStore, appId: string): Promise<BrainKeyService> {
  await initPythia();
  const pythia = new VirgilPythiaCrypto();
  const random = () => randomBytes(32).toString('base64');
  const { privateKey } = pythia.computeTransformationKeyPair({
    transformationKeyId: Buffer.from('brainkey-v1'),
    pythiaSecret: Buffer.from(store.setting(PYTHIA_SECRET_SETTING, random), 'base64'),
    pythiaScopeSecret: Buffer.from(store.setting(PYTHIA_SCOPE_SETTING, random), 'base64'),
  });
  return {
    seed(blindedPassword, identity, brainKeyId) {
      // The identity is part of the tweak, so equal passwords of different users give different keys.
      const tweak = createHash('sha256')
        .update(JSON.stringify([appId, identity, brainKeyId ?? '']))
        .digest();
      return pythia.transform({ blindedPassword, tweak, transformationPrivateKey: privateKey })
        .transformedPassword;
    },
  };
}

/** Hono routes for `/pythia/v1`. */
export function pythiaRoutes(brainKeys: BrainKeyService): Hono<VirgilEnv> {
  const routes = new Hono<VirgilEnv>();
  routes.post('/brainkey', async (c) => {
    const body = await readJsonObject(c);
    onlyFields(body, ['blinded_password', 'brainkey_id'], 'brainkey');
    const blinded = Buffer.from(base64Field(body, 'blinded_password'), 'base64');
    if (blinded.length !== BLINDED_PASSWORD_BYTES) {
      throw badRequest(`Field "blinded_password" must be ${BLINDED_PASSWORD_BYTES} bytes.`);
    }
    let seed: Buffer;
    try {
      seed = brainKeys.seed(blinded, c.get('identity'), optionalString(body, 'brainkey_id'));
    } catch {
      throw badRequest('Field "blinded_password" is not a valid blinded password.');
    }
    return c.json({ seed: seed.toString('base64') });
  });
  return routes;
}
