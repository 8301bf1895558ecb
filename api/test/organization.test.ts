// The organization recipient in the token API: read from ORGANIZATION_* (all or none, never a chat user id), and
// carried by every /v1/session answer so the widget can pin it.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';
import { portalToken, post, testApp, testSecrets } from './helpers.js';

const ORG = {
  ORGANIZATION_IDENTITY: 'organization',
  ORGANIZATION_CARD_ID: 'ab'.repeat(32),
  ORGANIZATION_PUBLIC_KEY: 'MCowBQYDK2VwAyEA' + 'A'.repeat(43) + '=',
  ORGANIZATION_NAME: 'Sunrise Clinic',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    readConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

describe('ORGANIZATION_* configuration', () => {
  it('is off by default', () => {
    expect(readConfig(testSecrets().env).organization).toBeUndefined();
  });

  it('reads the pinned identity, card id, public key and name', () => {
    expect(readConfig(testSecrets(ORG).env).organization).toEqual({
      identity: 'organization',
      cardId: ORG.ORGANIZATION_CARD_ID,
      publicKey: ORG.ORGANIZATION_PUBLIC_KEY,
      name: 'Sunrise Clinic',
    });
  });

  it('refuses a partial pin, a chat user id as identity and a malformed card id or key', () => {
    const { ORGANIZATION_CARD_ID: _card, ...partial } = ORG;
    expect(problemsOf(testSecrets(partial).env)).toEqual([
      'ORGANIZATION_IDENTITY, ORGANIZATION_CARD_ID and ORGANIZATION_PUBLIC_KEY are set together',
    ]);
    const bad = {
      ...ORG,
      ORGANIZATION_IDENTITY: `u${'0'.repeat(32)}`,
      ORGANIZATION_CARD_ID: 'card',
      ORGANIZATION_PUBLIC_KEY: 'not base64!',
    };
    expect(problemsOf(testSecrets(bad).env)).toEqual([
      'ORGANIZATION_IDENTITY must be 1-64 of [A-Za-z0-9@._:-] and not a chat user id',
      'ORGANIZATION_CARD_ID must be a card id (64 hex)',
      'ORGANIZATION_PUBLIC_KEY must be base64 (DER public key)',
    ]);
  });
});

describe('POST /v1/session with an organization recipient', () => {
  it('carries the pinned key to the widget, and nothing without one', async () => {
    const withOrg = testSecrets(ORG).env;
    const token = await portalToken(withOrg.PORTAL_JWT_SECRET!, {});
    const body = await (await testApp(withOrg).app.request(post('/v1/session', { token }))).json();
    expect(body.organization).toEqual({
      identity: 'organization',
      cardId: ORG.ORGANIZATION_CARD_ID,
      publicKey: ORG.ORGANIZATION_PUBLIC_KEY,
      name: 'Sunrise Clinic',
    });
    const plain = testSecrets().env;
    const plainToken = await portalToken(plain.PORTAL_JWT_SECRET!, {});
    const without = await (
      await testApp(plain).app.request(post('/v1/session', { token: plainToken }))
    ).json();
    expect(without).not.toHaveProperty('organization');
  });
});
