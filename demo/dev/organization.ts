/**
 * The demo's organization recipient (docs/medical-record.md): `npm start` and the browser test stack run the key
 * ceremony against the Virgil stand-in at start (2 of 3 shares; the card published, or rotated when the identity
 * already has one), and pin the card in the token API. The shares stay in memory: the test stack's export route
 * uses them, `npm start` prints them for trying `npm run export`.
 */
import { createOrganizationKey, publishTo } from '../../api/tools/record/ceremony.js';
import type { VirgilAccess } from '../../api/tools/record/virgil.js';

export const DEMO_ORGANIZATION = 'organization';
export const DEMO_ORGANIZATION_NAME = 'Sunrise Clinic';

export interface DemoOrganization {
  readonly identity: string;
  readonly cardId: string;
  readonly publicKey: string;
  readonly name: string;
  readonly threshold: number;
  readonly shares: readonly string[];
}

export async function createDemoOrganization(
  access: VirgilAccess,
  identity = DEMO_ORGANIZATION,
): Promise<DemoOrganization> {
  const created = await createOrganizationKey(3, 2, publishTo(access, identity));
  created.privateKeyDer.fill(0);
  if (!created.cardId) throw new Error('the organization card was not published');
  return {
    identity,
    cardId: created.cardId,
    publicKey: created.publicKey,
    name: DEMO_ORGANIZATION_NAME,
    threshold: created.threshold,
    shares: created.shares,
  };
}

/** The token API's `ORGANIZATION_*` variables for a pinned organization. */
export function organizationEnv(org: Omit<DemoOrganization, 'shares' | 'threshold'>): Record<string, string> {
  return {
    ORGANIZATION_IDENTITY: org.identity,
    ORGANIZATION_CARD_ID: org.cardId,
    ORGANIZATION_PUBLIC_KEY: org.publicKey,
    ORGANIZATION_NAME: org.name,
  };
}
