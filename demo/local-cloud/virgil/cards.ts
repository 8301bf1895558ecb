/**
 * Cards v5: publish, search, get and revoke. Cards are stored with the snapshot string exactly as received,
 * and e3kit's own card checks are off for a custom apiUrl, so the self signature is verified here.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { Hono } from 'hono';
import { badRequest, VirgilError, VirgilErrorCode } from './errors.js';
import { base64Field, onlyFields, readJsonObject, stringArray, type Json, type VirgilEnv } from './http.js';
import { publicKeyFromBase64 } from './jwt.js';
import type { VirgilStore } from './store.js';
import { isEd25519, signVirgil, verifyVirgil } from './virgil-signature.js';

/** e3kit's findUsers chunks at 50; the real service presumably enforces the same limit. */
const MAX_SEARCH_IDENTITIES = 50;
const CARD_VERSION = '5.0';
const SNAPSHOT_FIELDS = ['identity', 'public_key', 'version', 'created_at', 'previous_card_id'];

interface RawSignature {
  signer: string;
  signature: string;
  snapshot?: string;
}

export interface CardsDeps {
  store: VirgilStore;
  appId: string;
  /** The stand-in's own key for the `virgil` signature. */
  serviceKey: KeyObject;
}

/**
 * The clients base64 the snapshot JSON as Latin-1 but hash and sign its UTF-8 bytes; mirror that.
 * (Identical for ASCII identities.)
 */
function snapshotSignedBytes(snapshotBase64: string): { text: string; bytes: Buffer } {
  const text = Buffer.from(snapshotBase64, 'base64').toString('latin1');
  return { text, bytes: Buffer.from(text, 'utf8') };
}

/** Card id: hex of the first 32 bytes of SHA-512 over the snapshot. */
export function cardIdOf(snapshotBytes: Uint8Array): string {
  return createHash('sha512').update(snapshotBytes).digest().subarray(0, 32).toString('hex');
}

function cardInvalid(message: string): VirgilError {
  return badRequest(message, VirgilErrorCode.CardInvalid);
}

function parseSignatures(body: Json): RawSignature[] {
  const list = body.signatures;
  if (!Array.isArray(list)) throw cardInvalid('Field "signatures" must be an array.');
  return list.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw cardInvalid(`signatures[${index}] must be an object.`);
    }
    const entry = item as Json;
    onlyFields(entry, ['signer', 'signature', 'snapshot'], `signatures[${index}]`);
    const signer = entry.signer;
    if (typeof signer !== 'string' || signer === '')
      throw cardInvalid(`signatures[${index}].signer must be a string.`);
    const signature = base64Field(entry, 'signature');
    const snapshot =
      entry.snapshot === undefined ? undefined : base64Field(entry, 'snapshot', { allowEmpty: true });
    return snapshot === undefined ? { signer, signature } : { signer, signature, snapshot };
  });
}

interface Snapshot {
  identity: string;
  publicKey: string;
  previousCardId: string | undefined;
}

function parseSnapshot(text: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw cardInvalid('content_snapshot is not base64 of a JSON object.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw cardInvalid('content_snapshot is not base64 of a JSON object.');
  }
  const snapshot = value as Json;
  onlyFields(snapshot, SNAPSHOT_FIELDS, 'content_snapshot');
  if (snapshot.version !== CARD_VERSION) throw cardInvalid('content_snapshot.version must be "5.0".');
  if (typeof snapshot.identity !== 'string' || snapshot.identity === '') {
    throw cardInvalid('content_snapshot.identity must be a non-empty string.');
  }
  if (typeof snapshot.created_at !== 'number' || !Number.isInteger(snapshot.created_at)) {
    throw cardInvalid('content_snapshot.created_at must be an integer (seconds).');
  }
  if (typeof snapshot.public_key !== 'string' || snapshot.public_key === '') {
    throw cardInvalid('content_snapshot.public_key must be a base64 string.');
  }
  const previous = snapshot.previous_card_id;
  if (previous !== undefined && (typeof previous !== 'string' || !/^[0-9a-f]{64}$/.test(previous))) {
    throw cardInvalid('content_snapshot.previous_card_id must be a 64-character hex card id.');
  }
  return { identity: snapshot.identity, publicKey: snapshot.public_key, previousCardId: previous };
}

function importCardKey(publicKeyBase64: string): KeyObject {
  let key: KeyObject;
  try {
    key = publicKeyFromBase64(publicKeyBase64);
  } catch {
    throw cardInvalid('content_snapshot.public_key is not a base64 SPKI public key.');
  }
  if (!isEd25519(key)) {
    throw badRequest(
      'Only Ed25519 card keys are supported by the local stand-in.',
      VirgilErrorCode.CardKeyTypeUnsupported,
    );
  }
  return key;
}

function cardNotFound(): VirgilError {
  return new VirgilError(404, VirgilErrorCode.CardNotFound, 'Requested card entity not found.');
}

/** Raw cards are stored as JSON text and spliced verbatim into responses, so their bytes never change. */
function rawJsonResponse(json: string, headers: Record<string, string> = {}): Response {
  return new Response(json, { status: 200, headers: { 'content-type': 'application/json', ...headers } });
}

/** Hono routes for `/card/v5`. */
export function cardRoutes(deps: CardsDeps): Hono<VirgilEnv> {
  const { store, appId, serviceKey } = deps;
  const routes = new Hono<VirgilEnv>();

  routes.post('/', async (c) => {
    const identity = c.get('identity');
    const body = await readJsonObject(c);
    onlyFields(body, ['content_snapshot', 'signatures'], 'card');
    const contentSnapshot = base64Field(body, 'content_snapshot');
    const signatures = parseSignatures(body);
    const { text, bytes } = snapshotSignedBytes(contentSnapshot);
    const snapshot = parseSnapshot(text);
    if (snapshot.identity !== identity) {
      throw badRequest(
        'Card identity does not match the access token identity.',
        VirgilErrorCode.CardIdentityMismatch,
      );
    }
    if (signatures.some((s) => s.signer === 'virgil')) {
      throw cardInvalid('A card must not carry a "virgil" signature; the service adds it.');
    }
    const selfSignatures = signatures.filter((s) => s.signer === 'self');
    if (selfSignatures.length !== 1) throw cardInvalid('A card needs exactly one "self" signature.');
    const self = selfSignatures[0] as RawSignature;
    const signedData = Buffer.concat([bytes, Buffer.from(self.snapshot ?? '', 'base64')]);
    if (!verifyVirgil(importCardKey(snapshot.publicKey), signedData, Buffer.from(self.signature, 'base64'))) {
      throw badRequest('The self signature does not verify.', VirgilErrorCode.CardSelfSignatureInvalid);
    }
    const id = cardIdOf(bytes);
    const stored = {
      content_snapshot: contentSnapshot,
      signatures: [
        ...signatures,
        { signer: 'virgil', signature: signVirgil(serviceKey, bytes).toString('base64') },
      ],
    };
    const rawCard = JSON.stringify(stored);
    store.transaction(() => {
      if (store.hasCardId(id))
        throw badRequest('A card with this id already exists.', VirgilErrorCode.CardAlreadyExists);
      if (snapshot.previousCardId !== undefined) {
        const previous = store.getCard(appId, snapshot.previousCardId);
        if (!previous || previous.identity !== identity) {
          throw badRequest(
            'previous_card_id names no card of this identity.',
            VirgilErrorCode.CardPreviousInvalid,
          );
        }
        if (previous.supersededBy !== null || previous.revoked) {
          throw badRequest(
            'The previous card is already superseded or revoked.',
            VirgilErrorCode.CardPreviousInvalid,
          );
        }
        store.markSuperseded(appId, previous.id, id);
      }
      store.insertCard({ id, appId, identity, previousCardId: snapshot.previousCardId ?? null, rawCard });
    });
    return rawJsonResponse(rawCard);
  });

  routes.post('/actions/search', async (c) => {
    const body = await readJsonObject(c);
    onlyFields(body, ['identities'], 'search');
    const identities = [...new Set(stringArray(body, 'identities'))];
    if (identities.length > MAX_SEARCH_IDENTITIES) {
      throw badRequest(
        `At most ${MAX_SEARCH_IDENTITIES} identities per search.`,
        VirgilErrorCode.TooManyIdentities,
      );
    }
    const cards = store.searchCards(appId, identities);
    return rawJsonResponse(`[${cards.map((card) => card.rawCard).join(',')}]`);
  });

  routes.post('/actions/revoke/:id', async (c) => {
    const body = await readJsonObject(c, true);
    onlyFields(body, [], 'revoke');
    const identity = c.get('identity');
    store.transaction(() => {
      const card = store.getCard(appId, c.req.param('id'));
      if (!card) throw cardNotFound();
      if (card.identity !== identity) {
        throw new VirgilError(403, VirgilErrorCode.NotCardOwner, 'Only the card owner may revoke it.');
      }
      // Revoking a chain head revokes its predecessors too, so the identity can register afresh.
      for (let id: string | null = card.id; id !== null;) {
        const current = store.getCard(appId, id);
        if (!current) break;
        store.markRevoked(appId, current.id);
        id = current.previousCardId;
      }
    });
    return c.body(null, 200);
  });

  routes.get('/:id', (c) => {
    const card = store.getCard(appId, c.req.param('id'));
    if (!card) throw cardNotFound();
    const outdated = card.supersededBy !== null || card.revoked;
    return rawJsonResponse(card.rawCard, outdated ? { 'X-Virgil-Is-Superseeded': 'true' } : {});
  });

  return routes;
}
