/**
 * The two servers the API benchmark compares, each started in its own process by `run-api-bench.ts`:
 * - `api`: this token API (Node entry, real config, audit log on, stdout discarded by the parent);
 * - `baseline`: a minimal token server in Express 4: every origin allowed (`cors()`), the username from the body, a Stream token
 *   from stream-chat's `createToken` and a Virgil JWT from virgil-sdk's `JwtGenerator` (WASM virgil-crypto).
 * Usage: `BENCH_ENV='{…}' tsx api/bench/servers.ts api|baseline` prints `READY <url>` when listening.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { StreamChat } from 'stream-chat';
import { initCrypto, VirgilAccessTokenSigner, VirgilCrypto } from 'virgil-crypto';
import { JwtGenerator } from 'virgil-sdk';
import { startNodeApi } from '../src/entries/node.js';

async function startBaseline(env: Record<string, string>): Promise<string> {
  await initCrypto();
  const virgilCrypto = new VirgilCrypto();
  const generator = new JwtGenerator({
    appId: env.VIRGIL_APP_ID!,
    apiKeyId: env.VIRGIL_APP_KEY_ID!,
    apiKey: virgilCrypto.importPrivateKey(env.VIRGIL_APP_KEY!),
    accessTokenSigner: new VirgilAccessTokenSigner(virgilCrypto),
    millisecondsToLive: 20 * 60 * 1000,
  });
  const stream = new StreamChat(env.STREAM_API_KEY!, env.STREAM_API_SECRET!);
  const app = express();
  // What a bare `cors()` does: every origin allowed.
  app.use((_req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    next();
  });
  app.use(express.json());
  app.post('/session', (req, res) => {
    const username = String((req.body as { username?: unknown }).username ?? '');
    const exp = Math.floor(Date.now() / 1000) + 3600;
    res.json({
      user: { id: username },
      stream: { apiKey: env.STREAM_API_KEY, token: stream.createToken(username, exp) },
      virgil: { token: generator.generateToken(username).toString() },
    });
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

const kind = process.argv[2];
const env = JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>;
const url = kind === 'baseline' ? await startBaseline(env) : (await startNodeApi(env)).url;
process.stderr.write(`READY ${url}\n`);
process.on('SIGTERM', () => process.exit(0));
