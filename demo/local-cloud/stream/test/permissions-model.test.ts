import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MESSAGING_GRANTS,
  isGranted,
  isKnownPermission,
  ownCapabilities,
  type FeatureFlags,
} from '../permissions.js';

const expectations = JSON.parse(
  readFileSync(new URL('./conformance-expectations.json', import.meta.url), 'utf8'),
) as { ownerCapabilitiesWithAllFeatures: string[] };

const ALL_FEATURES: FeatureFlags = {
  connect_events: true,
  custom_events: true,
  delivery_events: true,
  mutes: true,
  polls: true,
  quotes: true,
  reactions: true,
  read_events: true,
  replies: true,
  search: true,
  shared_locations: true,
  typing_events: true,
  uploads: true,
};

describe('permission model', () => {
  it("derives exactly the real service's own_capabilities for a channel owner under default grants", () => {
    const caps = ownCapabilities(DEFAULT_MESSAGING_GRANTS, ALL_FEATURES, ['user', 'channel_member'], true);
    expect(caps.sort()).toEqual(expectations.ownerCapabilitiesWithAllFeatures);
  });

  it('applies -owner grants only to the owner, and plain grants to anyone holding the role', () => {
    const grants = { user: ['update-message-owner'], channel_member: ['create-message'] };
    expect(isGranted(grants, 'UpdateMessage', ['user'], true)).toBe(true);
    expect(isGranted(grants, 'UpdateMessage', ['user'], false)).toBe(false);
    expect(isGranted(grants, 'CreateMessage', ['user', 'channel_member'], false)).toBe(true);
    expect(isGranted(grants, 'CreateMessage', ['user'], false)).toBe(false);
  });

  it('knows Stream permission ids with their conditions', () => {
    for (const id of ['read-channel', 'update-channel-members-owner', 'share-location-any-team'])
      expect(isKnownPermission(id), id).toBe(true);
    for (const id of ['read-everything', 'update-channel-members-admin'])
      expect(isKnownPermission(id), id).toBe(false);
  });
});
