/**
 * Starts the local Virgil cloud on loopback: Cards v5, Keyknox v1/v2 and Pythia BrainKey, persisted in
 * `<dataDir>/virgil.sqlite`. Real clients (e3kit, virgil-sdk) reach it through `apiUrl` unchanged.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createVirgilApp, type RecordedRequest } from './app.js';
import { privateKeyFromBase64, publicKeyFromAppKey, publicKeyFromBase64 } from './jwt.js';
import { createBrainKeyService, PYTHIA_SCOPE_SETTING, PYTHIA_SECRET_SETTING } from './pythia.js';
import { VirgilStore, type CardRow, type KeyknoxV1Row, type KeyknoxV2Entry } from './store.js';

const SERVICE_KEY_SETTING = 'cards.service-key';
/** Requests kept for inspect(); older ones are dropped so a long dev session stays bounded. */
const MAX_RECORDED_REQUESTS = 10_000;

export interface VirgilCloudOptions {
  /** Folder for `virgil.sqlite`; created if missing. */
  dataDir: string;
  appId: string;
  appKeyId: string;
  /** Ed25519 App Key, base64 PKCS#8 DER; the public key to trust is derived from it. */
  appKey: string;
  /** More App Keys to trust, e.g. during key rotation. */
  extraAppKeys?: { id: string; publicKey: string /* SPKI base64 */ }[];
  /** 0 = ephemeral. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
  /** Seconds an expired token is still accepted, for clock skew. Default 60. */
  clockLeewaySeconds?: number;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** Everything the stand-in stores, plus the requests it received since it started. */
export interface VirgilInspection {
  cards: (Omit<CardRow, 'rawCard'> & { rawCard: unknown })[];
  keyknoxV1: KeyknoxV1Row[];
  keyknoxV2: KeyknoxV2Entry[];
  /** Service secrets are never exposed; this only says which exist. */
  secrets: { pythiaSecretStored: boolean; cardsServiceKeyStored: boolean };
  /** The `virgil` signer's public key (SPKI base64), for checking the service signature on cards. */
  cardsServicePublicKey: string;
  requests: RecordedRequest[];
}

export interface VirgilCloud {
  /** Base URL to pass as e3kit's `apiUrl` (no trailing slash). */
  url: string;
  /** Stops listening, drops open connections and closes the database. */
  close(): Promise<void>;
  inspect(): VirgilInspection;
}

function trustedKeys(opts: VirgilCloudOptions): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>([[opts.appKeyId, publicKeyFromAppKey(opts.appKey)]]);
  for (const extra of opts.extraAppKeys ?? []) keys.set(extra.id, publicKeyFromBase64(extra.publicKey));
  for (const [id, key] of keys) {
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`App Key "${id}" is not an Ed25519 key.`);
  }
  return keys;
}

function listen(server: Server, port: number, hostname: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts the stand-in. A later start with the same dataDir continues with all stored state.
 * @example const cloud = await startVirgilCloud({ dataDir, appId, appKeyId, appKey, port: 0 });
 *          await EThree.initialize(getToken, { apiUrl: cloud.url });
 */
export async function startVirgilCloud(opts: VirgilCloudOptions): Promise<VirgilCloud> {
  if (!opts.appId || !opts.appKeyId) throw new Error('startVirgilCloud needs appId and appKeyId.');
  const keys = { appId: opts.appId, publicKeys: trustedKeys(opts) };
  const store = new VirgilStore(opts.dataDir);
  const requests: RecordedRequest[] = [];
  let server: Server;
  let address: AddressInfo;
  try {
    const serviceKeyPkcs8 = store.setting(SERVICE_KEY_SETTING, () =>
      generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    );
    const serviceKey = privateKeyFromBase64(serviceKeyPkcs8);
    const app = createVirgilApp({
      store,
      keys,
      serviceKey,
      brainKeys: await createBrainKeyService(store, opts.appId),
      clockLeewaySeconds: opts.clockLeewaySeconds ?? 60,
      maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024,
      record(request) {
        requests.push(request);
        if (requests.length > MAX_RECORDED_REQUESTS) requests.shift();
      },
    });
    server = createAdaptorServer({ fetch: app.fetch }) as Server;
    address = await listen(server, opts.port ?? 0, opts.hostname ?? '127.0.0.1');
    const servicePublicKey = publicKeyFromAppKey(serviceKeyPkcs8).export({ format: 'der', type: 'spki' });

    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${address.port}`,
      close() {
        closing ??= new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        })
          // One more turn of the event loop lets in-process clients see their pooled sockets close.
          .then(() => new Promise<void>((resolve) => setTimeout(resolve, 10)))
          .finally(() => store.close());
        return closing;
      },
      inspect() {
        const settings = store.settingNames();
        return {
          cards: store.allCards().map((card) => ({ ...card, rawCard: JSON.parse(card.rawCard) as unknown })),
          keyknoxV1: store.allV1(),
          keyknoxV2: store.allEntries(),
          secrets: {
            pythiaSecretStored:
              settings.includes(PYTHIA_SECRET_SETTING) && settings.includes(PYTHIA_SCOPE_SETTING),
            cardsServiceKeyStored: settings.includes(SERVICE_KEY_SETTING),
          },
          cardsServicePublicKey: servicePublicKey.toString('base64'),
          requests: [...requests],
        };
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
