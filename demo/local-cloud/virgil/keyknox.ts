/**
 * Keyknox v1 (one blob per identity, password backups) and v2 (keyed entries holding one copy per recipient:
 * keyName backups and group tickets). Every push/pull/reset answer carries a `Virgil-Keyknox-Hash`.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { VirgilError, VirgilErrorCode } from './errors.js';
import {
  base64Field,
  onlyFields,
  optionalString,
  readJsonObject,
  requiredString,
  stringArray,
  type VirgilEnv,
} from './http.js';
import type { EntryAddress, KeyknoxV1Row, VirgilStore } from './store.js';

const HASH_HEADER = 'Virgil-Keyknox-Hash';
const PREVIOUS_HASH_HEADER = 'Virgil-Keyknox-Previous-Hash';

export interface KeyknoxDeps {
  store: VirgilStore;
  appId: string;
}

function newHash(): string {
  return randomBytes(32).toString('base64');
}

function hashMismatch(): VirgilError {
  return new VirgilError(
    409,
    VirgilErrorCode.KeyknoxPreviousHashMismatch,
    'Keyknox previous hash is missing or does not match the current value.',
  );
}

function withHash(c: Context<VirgilEnv>, hash: string, body: unknown): Response {
  c.header(HASH_HEADER, hash);
  return c.json(body);
}

/** Version as the service reports it: a counter, never below 1. */
function versionOf(row: KeyknoxV1Row | undefined): string {
  return `${Math.max(row?.version ?? 0, 1)}.0`;
}

/** Hono routes for `/keyknox/v1`. */
export function keyknoxV1Routes({ store, appId }: KeyknoxDeps): Hono<VirgilEnv> {
  const routes = new Hono<VirgilEnv>();

  routes.get('/', (c) => {
    const row = store.getV1(appId, c.get('identity'));
    // The hash of "nothing stored" is still a hash: clients send it back with their first push.
    const hash = row?.hash ?? newHash();
    return withHash(c, hash, { meta: row?.meta ?? '', value: row?.value ?? '', version: versionOf(row) });
  });

  routes.put('/', async (c) => {
    const identity = c.get('identity');
    const body = await readJsonObject(c);
    onlyFields(body, ['meta', 'value'], 'keyknox v1 push');
    const meta = base64Field(body, 'meta', { allowEmpty: true });
    const value = base64Field(body, 'value', { allowEmpty: true });
    const previousHash = c.req.header(PREVIOUS_HASH_HEADER);
    const row = store.transaction(() => {
      const current = store.getV1(appId, identity);
      if (current) {
        const hasData = current.value !== '' || current.meta !== '';
        if (
          (hasData && previousHash === undefined) ||
          (previousHash !== undefined && previousHash !== current.hash)
        ) {
          throw hashMismatch();
        }
      }
      const next = { appId, identity, meta, value, version: (current?.version ?? 0) + 1, hash: newHash() };
      store.putV1(next);
      return next;
    });
    return withHash(c, row.hash, { meta: row.meta, value: row.value, version: versionOf(row) });
  });

  const reset = (c: Context<VirgilEnv>) => {
    const identity = c.get('identity');
    const row = store.transaction(() => {
      const current = store.getV1(appId, identity);
      if (!current) return undefined;
      const next = { ...current, meta: '', value: '', version: current.version + 1, hash: newHash() };
      store.putV1(next);
      return next;
    });
    return withHash(c, row?.hash ?? newHash(), { meta: '', value: '', version: versionOf(row) });
  };
  routes.post('/reset', async (c) => {
    onlyFields(await readJsonObject(c, true), [], 'keyknox v1 reset');
    return reset(c);
  });
  // Older Swift SDKs reset with DELETE /keyknox/v1.
  routes.delete('/', reset);

  return routes;
}

/** Hono routes for `/keyknox/v2`. */
export function keyknoxV2Routes({ store, appId }: KeyknoxDeps): Hono<VirgilEnv> {
  const routes = new Hono<VirgilEnv>();

  routes.post('/push', async (c) => {
    const caller = c.get('identity');
    const body = await readJsonObject(c);
    onlyFields(body, ['root', 'path', 'key', 'identities', 'meta', 'value'], 'keyknox v2 push');
    const address: EntryAddress = {
      appId,
      owner: caller,
      root: requiredString(body, 'root'),
      path: requiredString(body, 'path'),
      key: requiredString(body, 'key'),
    };
    const identities = [...new Set(stringArray(body, 'identities'))];
    if (identities.length === 0)
      throw new VirgilError(400, VirgilErrorCode.BadRequest, 'Field "identities" is empty.');
    const meta = base64Field(body, 'meta');
    const value = base64Field(body, 'value');
    const previousHash = c.req.header(PREVIOUS_HASH_HEADER);
    const entry = store.transaction(() => {
      const current = store.getEntry(address);
      // Overwriting a recipient's existing copy needs the current hash; adding new recipients does not.
      const overwrites = current?.copies.some((copy) => identities.includes(copy.identity)) ?? false;
      if (current && overwrites && previousHash !== current.hash) throw hashMismatch();
      store.putCopies(
        address,
        newHash(),
        identities.map((identity) => ({ identity, meta, value })),
      );
      return store.getEntry(address);
    });
    if (!entry) throw new VirgilError(500, VirgilErrorCode.Internal, 'Keyknox entry vanished while writing.');
    return withHash(c, entry.hash, {
      owner: caller,
      root: address.root,
      path: address.path,
      key: address.key,
      identities: entry.copies.map((copy) => copy.identity),
      meta,
      value,
    });
  });

  routes.post('/pull', async (c) => {
    const caller = c.get('identity');
    const body = await readJsonObject(c);
    onlyFields(body, ['root', 'path', 'key', 'identity'], 'keyknox v2 pull');
    const address: EntryAddress = {
      appId,
      owner: optionalString(body, 'identity') ?? caller,
      root: requiredString(body, 'root'),
      path: requiredString(body, 'path'),
      key: requiredString(body, 'key'),
    };
    const entry = store.getEntry(address);
    const copy = entry?.copies.find((item) => item.identity === caller);
    return withHash(c, entry?.hash ?? newHash(), {
      owner: address.owner,
      root: address.root,
      path: address.path,
      key: address.key,
      identities: copy && entry ? entry.copies.map((item) => item.identity) : [],
      meta: copy?.meta ?? '',
      value: copy?.value ?? '',
    });
  });

  routes.post('/keys', async (c) => {
    const caller = c.get('identity');
    const body = await readJsonObject(c, true);
    onlyFields(body, ['root', 'path', 'identity'], 'keyknox v2 keys');
    const filter = {
      appId,
      owner: optionalString(body, 'identity') ?? caller,
      root: optionalString(body, 'root'),
      path: optionalString(body, 'path'),
    };
    return c.json(store.keysReadableBy(filter, caller));
  });

  routes.post('/reset', async (c) => {
    const caller = c.get('identity');
    const body = await readJsonObject(c, true);
    onlyFields(body, ['root', 'path', 'key', 'identity'], 'keyknox v2 reset');
    const root = optionalString(body, 'root');
    const path = optionalString(body, 'path');
    const key = optionalString(body, 'key');
    const identity = optionalString(body, 'identity');
    const { hash, remaining } = store.transaction(() => {
      const matches = store.findEntries({ appId, owner: caller, root, path, key });
      let remainingIdentities: string[] = [];
      const nextHash = newHash();
      for (const address of matches) {
        if (identity === undefined) {
          store.deleteEntry(address);
          continue;
        }
        store.deleteCopy(address, identity);
        const left = store.getEntry(address)?.copies ?? [];
        if (left.length === 0) store.deleteEntry(address);
        else store.setEntryHash(address, nextHash);
        remainingIdentities = left.map((copy) => copy.identity);
      }
      return { hash: nextHash, remaining: matches.length === 1 ? remainingIdentities : [] };
    });
    return withHash(c, hash, {
      owner: caller,
      root: root ?? '',
      path: path ?? '',
      key: key ?? '',
      identities: remaining,
      meta: '',
      value: '',
    });
  });

  return routes;
}
