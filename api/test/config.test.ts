import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';
import { productionSecrets, testSecrets } from './helpers.js';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    readConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('readConfig', () => {
  it('reads a complete environment with defaults', () => {
    const { env } = testSecrets({ STREAM_BASE_URL: '', VIRGIL_API_URL: '' });
    const config = readConfig(env);
    expect(config.stream.baseURL).toBe('https://chat.stream-io-api.com');
    expect(config.virgil.apiUrl).toBe('https://api.virgilsecurity.com');
    expect(config.stream.tokenTtlS).toBe(3600);
    expect(config.virgil.tokenTtlS).toBe(1200);
    expect(config.portal).toMatchObject({ nameClaim: 'name', peersClaim: 'peers', leewayS: 30 });
    expect([...config.allowedOrigins]).toEqual(['https://portal.example', 'http://localhost:5173']);
  });

  it('names every missing variable', () => {
    expect(problemsOf({})).toEqual([
      'ALLOWED_ORIGINS is required',
      'PORTAL_JWT_SECRET or PORTAL_JWKS_URL is required',
      'USER_ID_SECRET is required',
      'STREAM_API_SECRET is required',
      'STREAM_API_KEY is required',
      'VIRGIL_APP_KEY is required',
      'PORTAL_JWT_ISSUER is required',
      'PORTAL_JWT_AUDIENCE is required',
      'VIRGIL_APP_ID is required',
      'VIRGIL_APP_KEY_ID is required',
    ]);
  });

  it('names invalid variables without echoing their values', () => {
    const { env } = testSecrets();
    const bad = {
      ...env,
      ALLOWED_ORIGINS: 'https://portal.example/path-SECRETVALUE',
      PORTAL_JWT_SECRET: 'short-SECRETVALUE',
      VIRGIL_APP_KEY: 'bm90IGEga2V5U0VDUkVUVkFMVUU=',
      STREAM_TOKEN_TTL_S: '10',
      STREAM_BASE_URL: 'ftp://SECRETVALUE',
      AUDIT_LOG: 'SECRETVALUE',
    };
    let message = '';
    try {
      readConfig(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of [
      'ALLOWED_ORIGINS',
      'PORTAL_JWT_SECRET',
      'VIRGIL_APP_KEY',
      'STREAM_TOKEN_TTL_S',
      'STREAM_BASE_URL',
      'AUDIT_LOG',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('SECRETVALUE');
  });

  it('checks the Stream app in production, and lets STREAM_APP_CHECK turn it on elsewhere but never off there', () => {
    const { env } = testSecrets();
    expect(readConfig(env).streamAppCheck).toBe('off');
    expect(readConfig({ ...env, STREAM_APP_CHECK: 'enforce' }).streamAppCheck).toBe('enforce');
    const production = productionSecrets().env;
    expect(readConfig(production)).toMatchObject({ production: true, streamAppCheck: 'enforce' });
    expect(problemsOf({ ...production, STREAM_APP_CHECK: 'off' })).toEqual([
      'STREAM_APP_CHECK cannot be "off" with NODE_ENV=production',
    ]);
    expect(problemsOf({ ...env, STREAM_APP_CHECK: 'warn' })).toEqual([
      'STREAM_APP_CHECK must be "enforce" or "off"',
    ]);
  });

  it('refuses both portal key sources at once', () => {
    const { env } = testSecrets({ PORTAL_JWKS_URL: 'https://portal.example/jwks.json' });
    expect(problemsOf(env)).toEqual(['set only one of PORTAL_JWT_SECRET and PORTAL_JWKS_URL']);
  });

  it('refuses known development secrets with NODE_ENV=production', () => {
    const { env } = productionSecrets({ STREAM_API_KEY: 'dev0123456789ab' });
    expect(problemsOf(env)).toEqual([
      'STREAM_API_KEY is a development value; refusing to start with NODE_ENV=production',
    ]);
    expect(() =>
      readConfig({ ...env, STREAM_API_KEY: 'prod-key' }, { devSecrets: [env.USER_ID_SECRET!] }),
    ).toThrow(/USER_ID_SECRET is a development value/);
    expect(readConfig({ ...env, STREAM_API_KEY: 'prod-key' }).stream.apiKey).toBe('prod-key');
    expect(readConfig({ ...env, NODE_ENV: 'development' }).stream.apiKey).toBe('dev0123456789ab');
  });

  it('refuses http: in production for the JWKS URL, Stream, Virgil and the portal origins, loopback included', () => {
    const { PORTAL_JWT_SECRET: _secret, ...production } = productionSecrets().env;
    const plainHttp = {
      ...production,
      PORTAL_JWKS_URL: 'http://127.0.0.1:4000/.well-known/jwks.json',
      STREAM_BASE_URL: 'http://localhost:3030',
      VIRGIL_API_URL: 'http://[::1]:8080',
      ALLOWED_ORIGINS: 'https://portal.example,http://localhost:5173,http://127.0.0.1:5173',
    };
    const problems = problemsOf(plainHttp);
    expect(problems).toEqual(
      ['ALLOWED_ORIGINS', 'PORTAL_JWKS_URL', 'STREAM_BASE_URL', 'VIRGIL_API_URL'].map(
        (name) => `${name} must use https: with NODE_ENV=production (http: is for local development only)`,
      ),
    );
    expect(problems.join('\n')).not.toMatch(/localhost|127\.0\.0\.1|::1/);

    // One http: entry among https: origins is enough to refuse; the https: defaults pass.
    expect(
      problemsOf({ ...productionSecrets().env, ALLOWED_ORIGINS: 'https://a.example,http://b.example' }),
    ).toEqual([
      'ALLOWED_ORIGINS must use https: with NODE_ENV=production (http: is for local development only)',
    ]);
    expect(problemsOf({ ...productionSecrets().env, FRAME_ORIGINS: 'http://cdn.example' })).toEqual([
      'FRAME_ORIGINS must use https: with NODE_ENV=production (http: is for local development only)',
    ]);
    expect(problemsOf({ ...testSecrets().env, FRAME_ORIGINS: 'https://cdn.example/widget' })).toEqual([
      'FRAME_ORIGINS must list exact origins such as https://portal.example (scheme, host, optional port)',
    ]);
    expect([
      ...readConfig({ ...testSecrets().env, FRAME_ORIGINS: 'https://cdn.example' }).frameOrigins,
    ]).toEqual(['https://cdn.example']);
    const defaults = readConfig({ ...productionSecrets().env, STREAM_BASE_URL: '', VIRGIL_API_URL: '' });
    expect([defaults.stream.baseURL, defaults.virgil.apiUrl]).toEqual([
      'https://chat.stream-io-api.com',
      'https://api.virgilsecurity.com',
    ]);

    // Outside production the local demo's loopback http stays allowed.
    for (const NODE_ENV of ['development', 'test', '']) {
      const config = readConfig({ ...plainHttp, NODE_ENV });
      expect(config.stream.baseURL).toBe('http://localhost:3030');
      expect(config.portal.jwksUrl).toBe('http://127.0.0.1:4000/.well-known/jwks.json');
      expect(config.allowedOrigins.has('http://localhost:5173')).toBe(true);
    }
  });

  it('reads the trusted proxy hops: 0 by default, the forwarded header only behind a trusted proxy', () => {
    const { env } = testSecrets();
    expect(readConfig(env).rateLimit).toMatchObject({
      trustedProxyHops: 0,
      forwardedHeader: 'x-forwarded-for',
    });
    expect(readConfig({ ...env, TRUSTED_PROXY_HOPS: '2' }).rateLimit.trustedProxyHops).toBe(2);
    expect(
      readConfig({ ...env, TRUSTED_PROXY_HOPS: '1', RATE_LIMIT_IP_HEADER: 'X-Real-IP' }).rateLimit,
    ).toMatchObject({ trustedProxyHops: 1, forwardedHeader: 'x-real-ip' });
    expect(problemsOf({ ...env, RATE_LIMIT_IP_HEADER: 'X-Real-IP' })).toEqual([
      'RATE_LIMIT_IP_HEADER is read only with TRUSTED_PROXY_HOPS of 1 or more',
    ]);
    for (const hops of ['-1', '11', 'one', '1.5'])
      expect(problemsOf({ ...env, TRUSTED_PROXY_HOPS: hops })).toEqual([
        'TRUSTED_PROXY_HOPS must be an integer from 0 to 10',
      ]);
  });

  it('reads the rate-limit store: memory by default; redis with a URL; each shared store on its runtime only', () => {
    const { env } = testSecrets();
    expect(readConfig(env).rateLimit).toMatchObject({ store: 'memory', onStoreError: 'closed' });
    expect(readConfig(env).rateLimit.redisUrl).toBeUndefined();
    const redis = { ...env, RATE_LIMIT_STORE: 'redis', REDIS_URL: 'redis://:pw@127.0.0.1:6379/0' };
    expect(readConfig(redis, { runtime: 'node' }).rateLimit).toMatchObject({
      store: 'redis',
      redisUrl: 'redis://:pw@127.0.0.1:6379/0',
    });
    expect(
      readConfig(
        { ...env, RATE_LIMIT_STORE: 'durable-object', RATE_LIMIT_ON_STORE_ERROR: 'open' },
        { runtime: 'workers' },
      ).rateLimit,
    ).toMatchObject({ store: 'durable-object', onStoreError: 'open' });

    const problems = (extra: Record<string, string>, runtime?: 'node' | 'workers') => {
      try {
        readConfig({ ...env, ...extra }, runtime ? { runtime } : {});
      } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
      }
      return [];
    };
    expect(problems(redis, 'workers')).toEqual([
      'RATE_LIMIT_STORE "redis" is not available on workers; use memory or durable-object',
      'REDIS_URL is read only with RATE_LIMIT_STORE=redis',
    ]);
    expect(problems({ RATE_LIMIT_STORE: 'durable-object' }, 'node')).toEqual([
      'RATE_LIMIT_STORE "durable-object" is not available on node; use memory or redis',
    ]);
    expect(problems({ RATE_LIMIT_STORE: 'postgres' }, 'node')).toEqual([
      'RATE_LIMIT_STORE must be "memory" or "redis"',
    ]);
    expect(problems({ RATE_LIMIT_STORE: 'redis' })).toEqual([
      'REDIS_URL is required with RATE_LIMIT_STORE=redis',
    ]);
    // A URL without the store would look shared and count per process.
    expect(problems({ REDIS_URL: 'redis://127.0.0.1' })).toEqual([
      'REDIS_URL is read only with RATE_LIMIT_STORE=redis',
    ]);
    expect(problems({ RATE_LIMIT_STORE: 'redis', REDIS_URL: 'http://user:hunter2@cache' })).toEqual([
      'REDIS_URL must be a redis: or rediss: URL',
    ]);
    expect(problems({ RATE_LIMIT_ON_STORE_ERROR: 'open' })).toEqual([
      'RATE_LIMIT_ON_STORE_ERROR applies only to a shared RATE_LIMIT_STORE (redis or durable-object)',
    ]);
    expect(problems({ ...redis, RATE_LIMIT_ON_STORE_ERROR: 'maybe' })).toEqual([
      'RATE_LIMIT_ON_STORE_ERROR must be "closed" or "open"',
    ]);
  });

  it('in production, wants TLS to Redis and never echoes the URL', () => {
    const { env } = productionSecrets({
      RATE_LIMIT_STORE: 'redis',
      REDIS_URL: 'redis://:s3cret-pw@cache:6379',
    });
    let message = '';
    try {
      readConfig(env, { runtime: 'node' });
    } catch (err) {
      message = err instanceof Error ? err.message : '';
    }
    expect(message).toContain('REDIS_URL must use rediss: (TLS) with NODE_ENV=production');
    expect(message).not.toContain('s3cret-pw');
    expect(readConfig({ ...env, REDIS_URL: 'rediss://:s3cret-pw@cache:6380' }).rateLimit.store).toBe('redis');
  });
});
