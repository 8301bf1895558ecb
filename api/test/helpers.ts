/**
 * Test fixtures for the token API: freshly generated secrets and keys, portal session tokens, request helpers
 * and a fake `ChannelDirectory`. Nothing here is read from disk or shared with other tests.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { collectingAuditSink } from '../src/audit.js';
import { createApp } from '../src/app.js';
import type { AppDeps } from '../src/app.js';
import type { ChannelDirectory, DistinctChannelRequest } from '../src/channels/directory.js';
import { readConfig } from '../src/config.js';

export const ORIGIN = 'https://portal.example';
export const ISSUER = 'https://portal.example/auth';
export const AUDIENCE = 'secure-chat';

export interface TestSecrets {
  env: Record<string, string>;
  /** The Virgil App Key's public half, base64 SPKI DER. */
  virgilPublicKey: string;
}

export function testSecrets(overrides: Record<string, string> = {}): TestSecrets {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const hex = (n: number) => randomBytes(n).toString('hex');
  return {
    env: {
      ALLOWED_ORIGINS: `${ORIGIN},http://localhost:5173`,
      PORTAL_JWT_SECRET: hex(32),
      PORTAL_JWT_ISSUER: ISSUER,
      PORTAL_JWT_AUDIENCE: AUDIENCE,
      USER_ID_SECRET: hex(32),
      STREAM_API_KEY: `key${hex(6)}`,
      STREAM_API_SECRET: hex(32),
      STREAM_BASE_URL: 'http://127.0.0.1:9',
      VIRGIL_APP_ID: hex(16),
      VIRGIL_APP_KEY_ID: hex(16),
      VIRGIL_APP_KEY: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      VIRGIL_API_URL: 'http://127.0.0.1:9/virgil',
      ...overrides,
    },
    virgilPublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/**
 * `testSecrets` as a production deployment sets them: `NODE_ENV=production` and https: everywhere. The URLs point
 * at a closed loopback port, so nothing reaches a real service.
 */
export function productionSecrets(overrides: Record<string, string> = {}): TestSecrets {
  return testSecrets({
    NODE_ENV: 'production',
    ALLOWED_ORIGINS: ORIGIN,
    STREAM_BASE_URL: 'https://127.0.0.1:9',
    VIRGIL_API_URL: 'https://127.0.0.1:9/virgil',
    ...overrides,
  });
}

/**
 * A portal session token signed like the portal would, valid for 2 hours unless claims say otherwise: longer than
 * the default token lifetimes, so issued tokens show their TTL unless a test sets an earlier `exp`.
 */
export async function portalToken(
  secret: string,
  claims: Record<string, unknown> = {},
  header: { alg?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: 'patient-4711',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 7200,
    ...claims,
  })
    .setProtectedHeader({ alg: header.alg ?? 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

export class FakeDirectory implements ChannelDirectory {
  readonly calls: DistinctChannelRequest[] = [];
  readonly channels = new Map<string, string[]>();
  failing = false;

  async ensureDistinctChannel(request: DistinctChannelRequest) {
    this.calls.push(request);
    if (this.failing) throw new Error('chat service down');
    const members = [...request.members].sort();
    const cid = `messaging:!members-${members.join('-').slice(0, 40)}`;
    if (!this.channels.has(cid)) this.channels.set(cid, members);
    return { cid, members: this.channels.get(cid) ?? [] };
  }
}

export function testApp(env: Record<string, string>, deps: Partial<Omit<AppDeps, 'config'>> = {}) {
  const audit = collectingAuditSink();
  const channels = new FakeDirectory();
  const errors: unknown[] = [];
  const app = createApp({
    config: readConfig(env),
    audit,
    channels,
    onUnexpectedError: (e) => errors.push(e),
    ...deps,
  });
  return { app, audit, channels, errors };
}

export function post(
  path: string,
  opts: { origin?: string | null; token?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return new Request(`http://api.test${path}`, {
    method: 'POST',
    headers,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
}

/** Decodes a JWT's payload without verifying it (the tests verify separately). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
