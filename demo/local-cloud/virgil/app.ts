/**
 * The Virgil stand-in as a Hono app: CORS, body limit, request recording, VEDS512 auth, then the Cards v5,
 * Keyknox v1/v2 and Pythia routes. Every error leaves in Virgil's `{code, message}` format.
 */
import type { KeyObject } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { cardRoutes } from './cards.js';
import { VirgilError, VirgilErrorCode } from './errors.js';
import type { VirgilEnv } from './http.js';
import { verifyAuthorization, type AppKeys } from './jwt.js';
import { keyknoxV1Routes, keyknoxV2Routes } from './keyknox.js';
import { pythiaRoutes, type BrainKeyService } from './pythia.js';
import type { VirgilStore } from './store.js';

/** One request as the stand-in received it (the Authorization header is deliberately not kept). */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The authenticated caller, when the token verified. */
  identity?: string;
  status: number;
  /** The raw request body text ('' when none). */
  body: string;
}

export interface VirgilAppDeps {
  store: VirgilStore;
  keys: AppKeys;
  serviceKey: KeyObject;
  brainKeys: BrainKeyService;
  clockLeewaySeconds: number;
  maxBodyBytes: number;
  /** Receives every request after it was answered. */
  record(request: RecordedRequest): void;
  now?: () => number;
}

const CORS = cors({
  origin: '*',
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type', 'Virgil-Agent', 'Virgil-Keyknox-Previous-Hash'],
  exposeHeaders: ['Virgil-Keyknox-Hash', 'X-Virgil-Is-Superseeded'],
  maxAge: 600,
});

/**
 * Builds the stand-in's HTTP app; mount it under a prefix with `new Hono().route('/virgil', app)` if needed.
 * @example const app = createVirgilApp({ store, keys, serviceKey, brainKeys, clockLeewaySeconds: 60, maxBodyBytes: 1 << 20, record: () => {} });
 */
export function createVirgilApp(deps: VirgilAppDeps): Hono<VirgilEnv> {
  const now = deps.now ?? Date.now;
  const app = new Hono<VirgilEnv>();

  app.use('*', CORS);
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: (c) =>
        c.json(
          { code: VirgilErrorCode.BodyTooLarge, message: `Request body exceeds ${deps.maxBodyBytes} bytes.` },
          413,
        ),
    }),
  );
  app.use('*', async (c, next) => {
    const body =
      c.req.method === 'GET' || c.req.method === 'OPTIONS' ? '' : await c.req.text().catch(() => '');
    await next();
    if (c.req.method === 'OPTIONS') return;
    const identity = c.get('identity') as string | undefined;
    deps.record({
      method: c.req.method,
      path: c.req.path,
      ...(identity ? { identity } : {}),
      status: c.res.status,
      body,
    });
  });

  const authenticate = createMiddleware<VirgilEnv>(async (c, next) => {
    const nowSeconds = now() / 1000;
    const token = verifyAuthorization(
      c.req.header('authorization'),
      deps.keys,
      nowSeconds,
      deps.clockLeewaySeconds,
    );
    c.set('identity', token.identity);
    await next();
  });
  for (const prefix of ['/card/*', '/keyknox/*', '/pythia/*']) app.use(prefix, authenticate);

  const appId = deps.keys.appId;
  app.route('/card/v5', cardRoutes({ store: deps.store, appId, serviceKey: deps.serviceKey }));
  app.route('/keyknox/v1', keyknoxV1Routes({ store: deps.store, appId }));
  app.route('/keyknox/v2', keyknoxV2Routes({ store: deps.store, appId }));
  app.route('/pythia/v1', pythiaRoutes(deps.brainKeys));

  app.notFound((c) =>
    c.json(
      {
        code: VirgilErrorCode.NotFound,
        message: `The local Virgil stand-in does not implement ${c.req.method} ${c.req.path}.`,
      },
      404,
    ),
  );
  app.onError((error, c) => {
    if (error instanceof VirgilError)
      return c.json({ code: error.code, message: error.message }, error.status);
    return c.json(
      { code: VirgilErrorCode.Internal, message: 'Internal error in the local Virgil stand-in.' },
      500,
    );
  });
  return app;
}
