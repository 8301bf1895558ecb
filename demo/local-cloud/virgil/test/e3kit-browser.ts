/**
 * Browser-side helpers for the stand-in's browser tests: the real E3Kit (bundled by `npm run build`),
 * tokens and config from the wtr-virgil-plugin routes, and one EThree instance per user "device".
 */
import type { EThree as EThreeClass } from '@virgilsecurity/e3kit-browser';

export type EThree = EThreeClass;

const E3KIT_BUNDLE = '/dist/test-vendor/e3kit.js';
let e3kit: Promise<{ EThree: typeof EThreeClass }> | undefined;

/** Loads the real EThree once (from a URL, so TypeScript does not try to resolve the bundle). */
export function loadEThree(): Promise<{ EThree: typeof EThreeClass }> {
  e3kit ??= import(/* @vite-ignore */ E3KIT_BUNDLE) as Promise<{ EThree: typeof EThreeClass }>;
  return e3kit;
}

async function ok(response: Response): Promise<Response> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  return response;
}

export async function virgilApiUrl(): Promise<string> {
  const { apiUrl } = (await (await ok(await fetch('/__virgil/config'))).json()) as { apiUrl: string };
  return apiUrl;
}

export async function fetchToken(identity: string, ttlSeconds = 600): Promise<string> {
  const query = new URLSearchParams({ identity, ttl: String(ttlSeconds) });
  return (await ok(await fetch(`/__virgil/token?${query}`))).text();
}

export async function restartVirgil(): Promise<void> {
  await ok(await fetch('/__virgil/restart', { method: 'POST' }));
}

export interface Inspection {
  cards: { id: string; identity: string; supersededBy: string | null; revoked: boolean }[];
  keyknoxV1: { identity: string; value: string }[];
  keyknoxV2: { owner: string; root: string; path: string; key: string; copies: { identity: string }[] }[];
  secrets: { pythiaSecretStored: boolean };
  requests: { method: string; path: string; identity?: string; status: number; body: string }[];
}

export async function inspectVirgil(): Promise<Inspection> {
  return (await (await ok(await fetch('/__virgil/inspect'))).json()) as Inspection;
}

export function uniqueIdentity(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

export interface Device {
  identity: string;
  eThree: EThree;
  /** How often E3Kit has asked this device for a token. */
  tokenCalls: () => number;
}

/**
 * A fresh E3Kit instance for `identity` with its own key and group storage (a separate "device").
 * `ttl` picks each token's lifetime from the call number (0-based).
 */
export async function openDevice(
  identity: string,
  opts: { ttl?: (call: number) => number } = {},
): Promise<Device> {
  const { EThree } = await loadEThree();
  const apiUrl = await virgilApiUrl();
  const device = crypto.randomUUID();
  let calls = 0;
  const getToken = () => {
    const call = calls++;
    return fetchToken(identity, opts.ttl?.(call) ?? 600);
  };
  const eThree = await EThree.initialize(getToken, {
    apiUrl,
    storageName: `virgil-test-keys-${device}`,
    groupStorageName: `virgil-test-groups-${device}`,
  });
  return { identity, eThree, tokenCalls: () => calls };
}

/** Opens a device and registers a new card for it. */
export async function registeredDevice(prefix: string): Promise<Device> {
  const device = await openDevice(uniqueIdentity(prefix));
  await device.eThree.register();
  return device;
}

/** Resolves with the rejection's `name` (E3Kit's errors carry their class name there), or fails if it resolved. */
export async function rejectionName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error('Expected the call to fail.');
}
