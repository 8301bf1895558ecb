import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirgilApp } from '../app.js';
import { publicKeyFromAppKey } from '../jwt.js';
import { createBrainKeyService } from '../pythia.js';
import { VirgilStore } from '../store.js';
import { TestCloud, uniqueIdentity } from './harness.js';

const env = new TestCloud();
beforeAll(() => env.start({ maxBodyBytes: 4096 }));
afterAll(() => env.dispose());

describe('the HTTP shell of the Virgil stand-in', () => {
  it('answers CORS preflights and exposes the headers e3kit reads', async () => {
    const preflight = await fetch(`${env.cloud.url}/keyknox/v1`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://portal.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers':
          'authorization,content-type,virgil-agent,virgil-keyknox-previous-hash',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'virgil-keyknox-previous-hash',
    );
    const pull = await env.request('GET', '/keyknox/v1', { headers: { origin: 'http://portal.example' } });
    expect(pull.headers.get('access-control-expose-headers')).toContain('Virgil-Keyknox-Hash');
    expect(pull.headers.get('access-control-expose-headers')).toContain('X-Virgil-Is-Superseeded');
  });

  it.each([
    ['malformed JSON', '/card/v5/actions/search', '{"identities": [', 400, 40000],
    ['a JSON array body', '/card/v5/actions/search', '[]', 400, 40000],
    ['an unsupported field', '/card/v5/actions/search', { identities: ['a'], card_types: ['x'] }, 400, 40001],
    ['an oversized body', '/keyknox/v1', { meta: '', value: 'A'.repeat(8192) }, 413, 41300],
  ])('rejects %s in Virgil error format', async (_name, path, body, status, code) => {
    const method = path === '/keyknox/v1' ? 'PUT' : 'POST';
    const response = await env.request(method, path, { body });
    expect(response.status).toBe(status);
    expect(response.json).toMatchObject({ code });
    expect(typeof (response.json as { message: unknown }).message).toBe('string');
  });

  it('answers 404/40400 for paths it does not implement', async () => {
    const response = await env.request('POST', '/pythia/v1/password', { body: {} });
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ code: 40400 });
  });

  it('keeps cards and Keyknox data across a restart on the same port and folder', async () => {
    const identity = uniqueIdentity('persist');
    const value = Buffer.from('blob').toString('base64');
    await env.request('PUT', '/keyknox/v1', { identity, body: { meta: value, value } });
    const url = env.cloud.url;
    await env.restart();
    expect(env.cloud.url).toBe(url);
    expect((await env.request('GET', '/keyknox/v1', { identity })).json).toMatchObject({
      value,
      version: '1.0',
    });
    const inspection = env.cloud.inspect();
    expect(inspection.secrets).toEqual({ pythiaSecretStored: true, cardsServiceKeyStored: true });
    expect(JSON.stringify(inspection)).not.toMatch(/pythia\.secret"\s*:/);
    expect(inspection.requests.some((r) => r.path === '/keyknox/v1' && r.identity === identity)).toBe(true);
  });

  it('never records Authorization headers', async () => {
    const token = env.token('recorded');
    await env.request('GET', '/keyknox/v1', { token });
    expect(JSON.stringify(env.cloud.inspect())).not.toContain(token);
  });
});

describe('createVirgilApp', () => {
  it('can be mounted under a path prefix', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'virgil-prefix-test-'));
    const store = new VirgilStore(dataDir);
    try {
      const keys = {
        appId: env.app.appId,
        publicKeys: new Map([[env.app.appKeyId, publicKeyFromAppKey(env.app.appKey)]]),
      };
      const virgil = createVirgilApp({
        store,
        keys,
        serviceKey: generateKeyPairSync('ed25519').privateKey,
        brainKeys: await createBrainKeyService(store, env.app.appId),
        clockLeewaySeconds: 0,
        maxBodyBytes: 4096,
        record: () => undefined,
      });
      const host = new Hono().route('/virgil', virgil);
      const identity = uniqueIdentity('mounted');
      const response = await host.request('/virgil/card/v5/actions/search', {
        method: 'POST',
        headers: { authorization: `Virgil ${env.token(identity)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ identities: [identity] }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([]);
    } finally {
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
