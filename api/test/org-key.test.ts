// The organization key ceremony: M of N shares rebuild the key, M-1 never do (neither through the tool's count check
// nor by combining them anyway), and shares of another ceremony or a corrupted share are refused.
import { combine } from 'shamir-secret-sharing';
import { describe, expect, it } from 'vitest';
import { decodeShare, createOrganizationKey, rebuildOrganizationKey } from '../tools/record/ceremony.js';
import { runOrgKey } from '../tools/org-key.js';

const offline = async () => undefined;

describe('organization key shares', () => {
  it('rebuilds the key from any M of N shares', async () => {
    const created = await createOrganizationKey(5, 3, offline);
    expect(created.shares).toHaveLength(5);
    for (const pick of [
      [0, 1, 2],
      [4, 2, 0],
      [1, 3, 4, 0],
    ]) {
      const key = await rebuildOrganizationKey(pick.map((i) => created.shares[i]!));
      expect(key.publicKey).toBe(created.publicKey);
      expect(Buffer.from(key.privateKeyDer).equals(Buffer.from(created.privateKeyDer))).toBe(true);
    }
  });

  it('refuses M-1 shares, and combining them anyway does not give the key', async () => {
    const created = await createOrganizationKey(5, 3, offline);
    const two = created.shares.slice(0, 2);
    await expect(rebuildOrganizationKey(two)).rejects.toThrow('3 different shares are needed, 2 given');
    await expect(rebuildOrganizationKey([two[0]!, two[0]!, two[1]!])).rejects.toThrow('needed');
    const guessed = await combine(two.map((s) => decodeShare(s).bytes));
    expect(Buffer.from(guessed).equals(Buffer.from(created.privateKeyDer))).toBe(false);
  });

  it('refuses shares of two ceremonies and a corrupted share', async () => {
    const a = await createOrganizationKey(3, 2, offline);
    const b = await createOrganizationKey(3, 2, offline);
    await expect(rebuildOrganizationKey([a.shares[0]!, b.shares[1]!])).rejects.toThrow('different');
    const { threshold, fingerprint, bytes } = decodeShare(a.shares[1]!);
    const flipped = Uint8Array.from(bytes, (byte, i) => (i === 3 ? byte ^ 0xff : byte));
    const corrupt = `scorg1.${threshold}.${fingerprint}.${Buffer.from(flipped).toString('base64url')}`;
    await expect(rebuildOrganizationKey([a.shares[0]!, corrupt])).rejects.toThrow(
      'the shares do not rebuild the organization key',
    );
  });

  it('the CLI prints shares and the pin, writes no key unless asked, and combines from standard input', async () => {
    const lines: string[] = [];
    expect(
      await runOrgKey(['create', '--shares', '3', '--threshold', '2', '--no-publish'], {}, (l) =>
        lines.push(l),
      ),
    ).toBe(0);
    const shares = lines.filter((l) => l.startsWith('share ')).map((l) => l.split(': ')[1]!);
    expect(shares).toHaveLength(3);
    const pinned = lines
      .find((l) => l.startsWith('ORGANIZATION_PUBLIC_KEY='))!
      .split('=')
      .slice(1)
      .join('=');
    expect(lines.some((l) => l.includes('written'))).toBe(false);
    const out: string[] = [];
    expect(
      await runOrgKey(
        ['combine'],
        {},
        (l) => out.push(l),
        async () => [shares[2]!, shares[0]!],
      ),
    ).toBe(0);
    expect(out[0]).toBe(`rebuilt the organization key (public key ${pinned})`);
    expect(await runOrgKey(['combine', '--share', shares[1]!], {}, () => {})).toBe(1);
    expect(await runOrgKey(['create', '--shares', '3', '--threshold', '2'], {}, () => {})).toBe(2);
  });
});
